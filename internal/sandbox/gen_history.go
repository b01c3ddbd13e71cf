package sandbox

import (
	"math/bits"
	"slices"
)

// The billing history: every invoice the subscriptions made by the data's
// end (one per billing period, and a trial's $0 invoice), one-off invoices,
// and the charges that paid them or failed to. Invoices and the charges of
// invoices happen at times that the subscriptions' calendars set, so their
// order cannot be computed from an index the way other kinds are: it is laid
// out once per dataset (ready), in a few bytes per invoice and per invoice
// charge, never per object of other kinds. Charges are one index space in
// created order: the charges of invoices, merged with the other charges
// (orders, spread over a timeline), told apart by a bitmap.

// history is a dataset's billing history.
type history struct {
	t0 int64 // times below are offsets from t0
	// inv holds the base invoices in created order: offset<<32 | payload,
	// where payload is sub<<8 | invoice number, or oneOffFlag | one-off index.
	inv []uint64
	// ch holds the charges of invoices in created order:
	// offset<<32 | invoice<<3 | attempt<<1 | failed.
	ch []uint64
	// isInv marks, over base charge indexes, the charges of invoices;
	// before[w] counts those below word w.
	isInv  []uint64
	before []uint32
	// ref, dis: the base charge of each base refund and dispute; cn: the
	// base invoice of each base credit note (all increasing).
	ref, dis, cn []int32
	subCustomer  []int32 // the customer of each base subscription
	lines        int     // line items of base invoices
}

const oneOffFlag = 1 << 31

// buildHistory lays out the history. ready calls it once, before anything
// reads invoices, charges, refunds, disputes or credit notes.
func (d *dataset) buildHistory() {
	h := &d.hist
	h.t0 = min(d.tl[kSubscription].start, d.tl[kInvoice].start) - 40*day
	b := &d.base
	// each visits every invoice with its plan; the passes below count, lay
	// out the invoices, then their charges (exact sizes: no slack to carry).
	each := func(visit func(e uint64, p invPlan)) {
		for s := 0; s < b[kSubscription]; s++ {
			f := d.subCore(s)
			for n := 0; n < f.nInv; n++ {
				p := d.subInvoicePlan(s, &f, n)
				visit(uint64(p.created-h.t0)<<32|uint64(s)<<8|uint64(n), p)
			}
		}
		for q := 0; q < d.oneOffs; q++ {
			created := d.tl[kInvoice].at(q, d.hash(uint64(kInvoice), q, sTime))
			p := d.oneOffPlan(q, created)
			visit(uint64(created-h.t0)<<32|oneOffFlag|uint64(q), p)
		}
	}
	invs, charges := d.oneOffs, 0
	h.subCustomer = make([]int32, b[kSubscription])
	for s := range h.subCustomer {
		f := d.subCore(s)
		h.subCustomer[s] = int32(d.drawSubCustomer(s, &f))
		invs += f.nInv
		h.lines += f.items * f.nInv
		if f.change != 0 {
			h.lines += 2
		}
	}
	for q := 0; q < d.oneOffs; q++ {
		h.lines += oneOffLines(d, q)
	}
	h.inv = make([]uint64, 0, invs)
	each(func(e uint64, p invPlan) { h.inv, charges = append(h.inv, e), charges+p.charges })
	slices.Sort(h.inv)
	h.ch = make([]uint64, 0, charges)
	b[kInvoice] = len(h.inv)
	each(func(e uint64, p invPlan) {
		j, _ := slices.BinarySearch(h.inv, e)
		for a := 0; a < p.charges; a++ {
			failed := uint64(0)
			if p.failed[a] {
				failed = 1
			}
			h.ch = append(h.ch, uint64(p.created+p.lag[a]-h.t0)<<32|uint64(j)<<3|uint64(a)<<1|failed)
		}
	})
	slices.Sort(h.ch)
	d.mergeCharges()
	h.ref = d.pickCharges(kRefund, max(1, b[kCharge]/33))
	h.dis = d.pickCharges(kDispute, max(1, b[kCharge]/200))
	b[kRefund], b[kDispute] = len(h.ref), len(h.dis)
	h.cn = d.pickCreditNoted(max(1, b[kInvoice]/50))
	b[kCreditNote] = len(h.cn)
}

// mergeCharges places the charges of invoices among the others (spread
// over the charges' timeline), in created order.
func (d *dataset) mergeCharges() {
	h := &d.hist
	others := max(1, d.chargeBudget-len(h.ch))
	d.tl[kCharge].n = others
	total := others + len(h.ch)
	d.base[kCharge] = total
	words := (total + 63) / 64
	h.isInv, h.before = make([]uint64, words), make([]uint32, words)
	k, r := 0, 0
	for i := 0; i < total; i++ {
		if i%64 == 0 {
			h.before[i/64] = uint32(r)
		}
		takeInv := r < len(h.ch) && (k >= others ||
			h.t0+int64(h.ch[r]>>32) < d.tl[kCharge].at(k, d.hash(uint64(kCharge), k, sTime)))
		if takeInv {
			h.isInv[i/64] |= 1 << (i % 64)
			r++
		} else {
			k++
		}
	}
}

// invoiceChargeRank returns, for base charge i, whether it pays an invoice
// and its rank among those (or among the others).
func (h *history) invoiceChargeRank(i int) (int, bool) {
	w := h.isInv[i/64]
	r := int(h.before[i/64]) + bits.OnesCount64(w&(1<<(i%64)-1))
	if w>>(i%64)&1 == 1 {
		return r, true
	}
	return i - r, false
}

// invoiceChargeIndex is the base charge index of the r-th charge of an invoice.
func (h *history) invoiceChargeIndex(r int) int {
	w := max(0, sortSearch(len(h.before), func(w int) bool { return int(h.before[w]) > r })-1)
	word, left := h.isInv[w], r-int(h.before[w])
	for ; left > 0; left-- {
		word &= word - 1
	}
	return w*64 + bits.TrailingZeros64(word)
}

// chargeOf returns the base charge index of attempt a of invoice j, or -1.
func (d *dataset) chargeOf(j int, p *invPlan, a int) int {
	if a < 0 || a >= p.charges {
		return -1
	}
	h := &d.hist
	t := uint64(p.created + p.lag[a] - h.t0)
	r := sortSearch(len(h.ch), func(r int) bool { return h.ch[r]>>32 >= t })
	for ; r < len(h.ch) && h.ch[r]>>32 == t; r++ {
		if int(h.ch[r]&0xffffffff>>3) == j && int(h.ch[r]>>1&3) == a {
			return h.invoiceChargeIndex(r)
		}
	}
	return -1
}

// pickCharges draws m base charges for refunds or disputes, one per block
// of charges: succeeded charges that pay no invoice.
func (d *dataset) pickCharges(k kind, m int) []int32 {
	n := d.base[kCharge]
	m = min(m, n)
	size := n / m
	out := make([]int32, 0, m)
	for x := 0; x < m; x++ {
		start := int(d.hash(uint64(k), x, sTarget) % uint64(size))
		for t := 0; t < size; t++ {
			i := x*size + (start+t)%size
			if _, inv := d.hist.invoiceChargeRank(i); !inv && !d.otherChargeFailed(i) {
				out = append(out, int32(i))
				break
			}
		}
	}
	return out
}

// pickCreditNoted draws m base invoices to credit, one per block: paid or
// open invoices with something to credit.
func (d *dataset) pickCreditNoted(m int) []int32 {
	n := d.base[kInvoice]
	m = min(m, n)
	size := n / m
	out := make([]int32, 0, m)
	for x := 0; x < m; x++ {
		start := int(d.hash(uint64(kCreditNote), x, sTarget) % uint64(size))
		for t := 0; t < size; t++ {
			j := x*size + (start+t)%size
			f := d.invoice(j)
			if (f.plan.status == "paid" || f.plan.status == "open") && f.total > 0 && d.lineOf(j, &f, 0).net() > 0 &&
				f.created+invoiceLead+creditNoteLag <= d.end {
				out = append(out, int32(j))
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// childIn finds parent p in a table of parents: the child's index.
func childIn(table []int32, p int) (int, bool) {
	x, ok := slices.BinarySearch(table, int32(p))
	return x, ok
}

// sortSearch is sort.Search without the import in every file.
func sortSearch(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
