package sandbox

// Balance transactions are merged from several streams, one per source
// (lead): charges, refunds, disputes, payouts, won disputes' reversals,
// failed payouts' returns and monthly Stripe fees. Each is an index space of
// its own kind, created non-decreasing in the index.

// Leads of the balance transactions the payout schedule adds.
const (
	leadTxnFee        = 'f' // a monthly Stripe fee (type stripe_fee); index: the month
	leadTxnPayoutFail = 'q' // a failed payout's funds coming back (payout_failure); index: the payout
	leadTxnDisputeWon = 'w' // a won dispute's funds coming back (adjustment); index: the dispute
)

// txnSource is one stream of balance transactions.
type txnSource struct {
	lead  byte
	typ   string // its type, for the type filter
	n     int    // size of its index space
	nBase int    // the base part, which payouts sweep
	keep  func(i int) bool
	// avail is when transaction i's funds became available, non-decreasing
	// in i over the base part; nil for the payouts' own transactions.
	avail func(i int) int64
	// source is the family of the object a transaction comes from, for the
	// source filter; numFamilies when it has none.
	source family
}

// txnSources lists the streams. Callers hold d.mu for reading.
func (d *dataset) txnSources() []txnSource {
	won := func(i int) bool { return i < d.base[kDispute] && d.disputeStatus(i) == "won" }
	return []txnSource{
		{lead: leadTxnCharge, typ: "charge", n: d.n(kCharge), nBase: d.base[kCharge], source: famCharge,
			keep:  func(i int) bool { return !d.chargeFailed(i) },
			avail: func(i int) int64 { return d.created(kCharge, i) + chargeAvail }},
		{lead: leadTxnDispute, typ: "adjustment", n: d.n(kDispute), nBase: d.base[kDispute], source: famDispute,
			avail: func(i int) int64 { return d.created(kDispute, i) }},
		{lead: leadTxnFee, typ: "stripe_fee", n: d.pay.fees, nBase: d.pay.fees, source: numFamilies,
			avail: d.pay.feeMonth},
		{lead: leadTxnPayout, typ: "payout", n: d.n(kPayout), nBase: d.base[kPayout], source: famPayout},
		{lead: leadTxnPayoutFail, typ: "payout_failure", n: d.base[kPayout], nBase: d.base[kPayout], source: famPayout,
			keep:  func(i int) bool { return d.pay.slots[i].failed },
			avail: func(i int) int64 { return d.pay.slots[i].created + payoutFailLag }},
		{lead: leadTxnRefund, typ: "refund", n: d.n(kRefund), nBase: d.base[kRefund], source: famRefund,
			avail: func(i int) int64 { return d.created(kRefund, i) }},
		{lead: leadTxnDisputeWon, typ: "adjustment", n: d.base[kDispute], nBase: d.base[kDispute], source: famDispute,
			keep: won, avail: func(i int) int64 { return d.created(kDispute, i) + disputeWonLag }},
	}
}

// txnCreated is when balance transaction (lead, i) was made.
func (d *dataset) txnCreated(lead byte, i int) int64 {
	switch lead {
	case leadTxnFee:
		return d.pay.feeMonth(i)
	case leadTxnPayoutFail:
		return d.pay.slots[i].created + payoutFailLag
	case leadTxnDisputeWon:
		return d.created(kDispute, i) + disputeWonLag
	}
	return d.created(txnKind(lead), i)
}

// txnStreams are the streams of a balance transactions list with the
// query's filters applied: type, currency, source and payout (the
// transactions an automatic payout swept, and the payout's own).
func (d *dataset) txnStreams(q *listQuery) []stream {
	po := -1
	if id, ok := q.filter["payout"]; ok {
		po = d.refIndex(famPayout, id) // checked by payoutFilter
	}
	var out []stream
	for _, s := range d.txnSources() {
		if t, ok := q.filter["type"]; ok && t != s.typ {
			continue
		}
		if c, ok := q.filter["currency"]; ok && c != d.acct.Currency {
			continue
		}
		lead := s.lead
		st := stream{
			lead:    lead,
			hi:      s.n,
			created: func(i int) int64 { return d.txnCreated(lead, i) },
			keep:    s.keep,
			write:   func(w *jw, i int) { d.writeTxn(w, lead, i) },
		}
		if id, ok := q.filter["source"]; ok {
			st.lo, st.hi = 0, 0
			if s.source != numFamilies {
				if i := d.refIndex(s.source, id); i >= 0 && i < s.n {
					st.lo, st.hi = i, i+1
				}
			}
		}
		if po >= 0 {
			f := d.payout(po)
			lo, hi := po, po+1
			if s.avail != nil {
				lo, hi = sweptRange(s.nBase, s.avail, f.from, f.created)
			}
			st.lo, st.hi = max(st.lo, lo), min(st.hi, hi)
		}
		out = append(out, st)
	}
	return out
}

// payoutFilter checks a payout= filter: an id this account never issued is
// Stripe's 404, a manual payout Stripe's 400 (it cannot say what a manual
// payout paid out).
func (d *dataset) payoutFilter(q *listQuery) *paramError {
	id, ok := q.filter["payout"]
	if !ok {
		return nil
	}
	i := d.refIndex(famPayout, id)
	if i < 0 || i >= d.n(kPayout) {
		return noSuch("payout", id, "payout")
	}
	if i >= d.base[kPayout] {
		return badParam("payout", "Balance transaction history can only be filtered on automatic transfers, not manual.")
	}
	return nil
}

// txnExists reports whether balance transaction (lead, i) exists.
func (d *dataset) txnExists(lead byte, i int) bool {
	for _, s := range d.txnSources() {
		if s.lead == lead {
			return i >= 0 && i < s.n && (s.keep == nil || s.keep(i))
		}
	}
	return false
}

// txnKind is the source kind of balance transactions under lead.
func txnKind(lead byte) kind {
	switch lead {
	case leadTxnCharge:
		return kCharge
	case leadTxnDispute, leadTxnDisputeWon:
		return kDispute
	case leadTxnPayout, leadTxnPayoutFail:
		return kPayout
	}
	return kRefund
}

// payoutLinks returns the ids of the balance transactions base payout x
// swept, in list order (newest first). Callers hold d.mu for reading.
func (d *dataset) payoutLinks(x int) []string {
	q := listQuery{filter: map[string]string{"payout": d.id(famPayout, leadPlain, x)}}
	q.page.gte, q.page.lte = anyCreated()
	streams := d.txnStreams(&q)
	for _, st := range streams {
		q.page.limit += max(0, st.hi-st.lo)
	}
	picks, _ := collect(streams, q.page)
	out := make([]string, 0, len(picks))
	for _, p := range picks {
		if streams[p.s].lead != leadTxnPayout {
			out = append(out, d.id(famTxn, streams[p.s].lead, p.i))
		}
	}
	return out
}
