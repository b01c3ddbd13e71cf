package sandbox

import (
	"sort"
	"strconv"
	"time"
)

// Automatic payouts. Stripe pays out on a schedule: each payout sweeps the
// balance transactions whose funds became available (available_on) since
// the previous payout, and its amount is the sum of their net, in the
// account's settlement currency; when that sum is not positive there is no
// payout and the (negative) balance carries over to the next date. The
// sandbox does the same over its base objects: cuts every `period` (a day,
// a week or 30 days, whichever puts at least ten charges in each), and a
// payout at each cut whose sweep is positive.
//
// Which cuts pay out, and how much, depends on the carry from earlier cuts
// and on earlier failed payouts (their funds come back as a payout_failure
// transaction that a later payout sweeps), so the schedule is computed once,
// in one pass over the base objects in order of availability, the first time
// the dataset is used (ready). It keeps a few numbers per payout — at most
// one payout a day, so at most ~1,100 — never per charge. Objects that
// mutations append are never swept: their funds become available after the
// data's end, when no more base payouts are made.

// Delays of the payout lifecycle, in seconds.
const (
	payoutArrival = 2 * day  // a payout arrives two days after it is made
	payoutFailLag = 3 * day  // a failed payout's funds come back three days after it was made
	disputeWonLag = 14 * day // a won dispute's funds come back two weeks after it opened
	chargeAvail   = 2 * day  // a charge's funds become available two days after it
)

// payoutSlot is one base payout.
type payoutSlot struct {
	created int64 // the cut: it sweeps what became available in (from, created]
	from    int64
	amount  int64
	links   int32 // balance transactions swept
	failed  bool
}

// payoutSchedule is the dataset's base payouts and the counts of the
// balance transactions that only the schedule's pass sees.
type payoutSchedule struct {
	period int64
	slots  []payoutSlot
	links  int // swept balance transactions, all payouts
	failed int // failed payouts
	won    int // base disputes won, each with a reversal transaction
	fees   int // monthly Stripe fee transactions
	feeT0  int64
}

// ready lays out the billing history and computes the payout schedule once. Every entry point that reads the
// dataset (REST requests, truth, mutations) calls it before taking d.mu.
func (d *dataset) ready() {
	d.payOnce.Do(func() {
		d.mu.RLock()
		defer d.mu.RUnlock()
		d.buildHistory()
		d.pay = d.computePayouts()
		d.base[kPayout] = len(d.pay.slots)
	})
}

// payoutPeriod picks the schedule: daily (Stripe's default) when a day
// holds ten charges, else weekly when a week does, else every 30 days.
func (d *dataset) payoutPeriod() int64 {
	perDay := float64(d.base[kCharge]) * day / float64(max(d.tl[kCharge].span, 1))
	switch {
	case perDay >= 10:
		return day
	case perDay*7 >= 10:
		return 7 * day
	}
	return 30 * day
}

// feeMonth is when the Stripe fee transaction of month m is made: on the
// first of the month after, at 06:00 UTC.
func (p *payoutSchedule) feeMonth(m int) int64 {
	return time.Unix(p.feeT0, 0).UTC().AddDate(0, m+1, 0).Unix() + 6*3600
}

// sweep walks one source of swept transactions in order of availability.
type sweep struct {
	n     int
	i     int
	avail func(i int) int64
	keep  func(i int) bool
	net   func(i int) int64
}

// take adds the nets of the source's transactions available at or before
// t, returning the sum and how many.
func (s *sweep) take(t int64) (sum int64, n int) {
	for ; s.i < s.n && s.avail(s.i) <= t; s.i++ {
		if s.keep == nil || s.keep(s.i) {
			sum += s.net(s.i)
			n++
		}
	}
	return sum, n
}

// computePayouts runs the schedule over the base objects. Callers hold d.mu.
func (d *dataset) computePayouts() payoutSchedule {
	p := payoutSchedule{period: d.payoutPeriod()}
	start := d.tl[kCharge].start
	anchor := start - start%day
	t0 := time.Unix(start, 0).UTC()
	p.feeT0 = time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC).Unix()
	for p.feeMonth(p.fees) <= d.end {
		p.fees++
	}
	for x := 0; x < d.base[kDispute]; x++ {
		if d.disputeStatus(x) == "won" {
			p.won++
		}
	}
	net := func(lead byte) func(i int) int64 {
		return func(i int) int64 { f := d.txn(lead, i); return f.amount - f.fee }
	}
	// fails are the failed payouts so far, whose funds come back later.
	var fails []int
	sources := []*sweep{
		{n: d.base[kCharge], avail: func(i int) int64 { return d.created(kCharge, i) + chargeAvail },
			keep: func(i int) bool { return !d.chargeFailed(i) }, net: d.chargeNets()},
		{n: d.base[kRefund], avail: func(i int) int64 { return d.created(kRefund, i) }, net: net(leadTxnRefund)},
		{n: d.base[kDispute], avail: func(i int) int64 { return d.created(kDispute, i) }, net: net(leadTxnDispute)},
		{n: d.base[kDispute], avail: func(i int) int64 { return d.created(kDispute, i) + disputeWonLag },
			keep: func(i int) bool { return d.disputeStatus(i) == "won" }, net: net(leadTxnDisputeWon)},
		{n: p.fees, avail: p.feeMonth, net: func(i int) int64 { return d.stripeFee(i) }},
	}
	failSweep := &sweep{avail: func(k int) int64 { return p.slots[fails[k]].created + payoutFailLag },
		net: func(k int) int64 { return p.slots[fails[k]].amount }}
	sources = append(sources, failSweep)

	var carry int64
	var carried int
	from := anchor
	for cut := anchor + p.period; cut <= d.end; cut += p.period {
		sum, n := carry, carried
		failSweep.n = len(fails)
		for _, s := range sources {
			a, k := s.take(cut)
			sum, n = sum+a, n+k
		}
		if sum <= 0 {
			carry, carried = sum, n
			continue
		}
		x := len(p.slots)
		slot := payoutSlot{created: cut, from: from, amount: sum, links: int32(n)}
		// About one payout in twelve fails, once its failure can be known.
		slot.failed = d.hash(uint64(kPayout), x, sFail)%12 == 0 && cut+payoutFailLag <= d.end
		if slot.failed {
			fails = append(fails, x)
			p.failed++
		}
		p.slots = append(p.slots, slot)
		p.links += n
		from, carry, carried = cut, 0, 0
	}
	return p
}

// stripeFee is the amount of the Stripe fee transaction of month m (a
// monthly Billing usage fee): negative, in the settlement currency.
func (d *dataset) stripeFee(m int) int64 {
	return -int64(500 + d.hash(0xfee, m, sAmount)%4500)
}

// payoutFacts is what a payout's neighbours need to know about it.
type payoutFacts struct {
	created, arrival int64
	amount           int64
	automatic        bool
	failed           bool
	from             int64 // automatic payouts sweep what became available in (from, created]
	links            int
}

// payout returns the facts of payout x: a slot of the schedule, or a manual
// payout that a mutation made (automatic false, an amount from the seed).
// Callers hold d.mu.
func (d *dataset) payout(x int) payoutFacts {
	if x < d.base[kPayout] {
		s := &d.pay.slots[x]
		return payoutFacts{created: s.created, arrival: s.created + payoutArrival, amount: s.amount,
			automatic: true, failed: s.failed, from: s.from, links: int(s.links)}
	}
	h := d.hash(uint64(kPayout), x, sAmount)
	created := d.created(kPayout, x)
	return payoutFacts{created: created, arrival: created + payoutArrival,
		amount: int64(200+h%5800)*100 + int64((h>>16)%100)}
}

// payoutStatus is Stripe's status of payout x.
func (d *dataset) payoutStatus(f *payoutFacts) string {
	switch {
	case f.failed:
		return "failed"
	case f.arrival <= d.end:
		return "paid"
	}
	return "in_transit"
}

// sweptRange is the index range [lo, hi) of base objects among n whose
// availability (non-decreasing in the index) lies in (from, to].
func sweptRange(n int, avail func(i int) int64, from, to int64) (int, int) {
	lo := sort.Search(n, func(i int) bool { return avail(i) > from })
	hi := sort.Search(n, func(i int) bool { return avail(i) > to })
	return lo, max(lo, hi)
}

// kdestination writes a payout's destination: the id of the account's bank
// account, or the bank_account object when the request expands it
// (expand[]=destination, expand[]=data.destination on the list).
func (d *dataset) kdestination(w *jw) {
	if !w.expandDest {
		w.kaux("destination", d, "ba_", 0xba, 0, 24)
		return
	}
	w.kobj("destination")
	w.kaux("id", d, "ba_", 0xba, 0, 24)
	w.kstr("object", "bank_account")
	w.knull("account_holder_name")
	w.knull("account_holder_type")
	w.knull("account_type")
	w.karr("available_payout_methods")
	w.elem()
	w.str("standard")
	w.end(']')
	w.kstr("bank_name", "STRIPE TEST BANK")
	w.kstr("country", d.acct.Country)
	w.kstr("currency", d.acct.Currency)
	w.kbool("default_for_currency", true)
	w.kaux("fingerprint", d, "", 0xbb, 0, 16)
	w.kstr("last4", d.bankLast4())
	w.kempty("metadata")
	w.knull("routing_number")
	w.kstr("status", "new")
	w.end('}')
}

// bankLast4 is the last four digits of the account's bank account.
func (d *dataset) bankLast4() string {
	v := 1000 + d.hash(0xba, 0, sCard)%9000
	return strconv.FormatUint(v, 10)
}

// chargeNets returns the net of base charge i's balance transaction for a
// walk over charges in created order: it counts the customers who existed
// as it goes, instead of searching for them at every charge.
func (d *dataset) chargeNets() func(i int) int64 {
	customers := 0
	return func(i int) int64 {
		t := d.created(kCharge, i)
		for customers < d.n(kCustomer) && d.created(kCustomer, customers) <= t {
			customers++
		}
		return d.chargeNet(i, customers)
	}
}
