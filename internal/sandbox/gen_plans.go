package sandbox

// How an invoice is paid (or not). Invoices charged automatically are
// attempted an hour after they are made; about one attempt in twelve fails,
// and Stripe retries three days later — the retry succeeds unless the
// subscription's payment fails for good, after which the invoice is open
// for two weeks and then marked uncollectible. Sent invoices (send_invoice)
// are due 30 days after they are made and paid by card some days after
// (3–27); unpaid ones stay open until 150 days past their due date, then
// are marked uncollectible; a few one-off ones are voided.

// Delays of the payment lifecycle.
const (
	retryLag        = 3*day + invoiceLead // a failed attempt is retried three days later
	dueDays         = 30                  // sent invoices are due in 30 days
	giveUpLag       = 14 * day            // after a failed retry, the invoice is given up on
	uncollectibleAt = 150 * day           // unpaid sent invoices: marked uncollectible this long after due
	voidLag         = 20 * day            // voided one-off invoices: this long after they were sent
)

// invPlan is an invoice's payment story as of the data's end.
type invPlan struct {
	created int64
	status  string // paid, open, void or uncollectible
	send    bool   // collection_method send_invoice
	due     int64  // due_date of sent invoices
	charges int    // attempts made (0–2); charge a is created at created+lag[a]
	lag     [2]int64
	failed  [2]bool
	settled int64 // paid_at, voided_at or marked_uncollectible_at
	next    int64 // next_payment_attempt of an open automatic invoice, 0 if none
}

// planAuto is the story of an invoice charged automatically: fail says the
// first attempt fails, final that the retry fails too.
func (d *dataset) planAuto(created int64, fail, final bool) invPlan {
	p := invPlan{created: created, status: "open"}
	if created+invoiceLead > d.end {
		p.next = created + invoiceLead
		return p
	}
	p.charges, p.lag[0], p.failed[0] = 1, invoiceLead, fail
	if !fail {
		p.status, p.settled = "paid", created+invoiceLead
		return p
	}
	if created+retryLag > d.end {
		p.next = created + retryLag
		return p
	}
	p.charges, p.lag[1], p.failed[1] = 2, retryLag, final
	switch {
	case !final:
		p.status, p.settled = "paid", created+retryLag
	case created+giveUpLag <= d.end:
		p.status, p.settled = "uncollectible", created+giveUpLag
	}
	return p
}

// planSend is the story of a sent invoice: paid by card payDays after it
// was sent, or never paid (unpaid), or voided.
func (d *dataset) planSend(created int64, payDays int64, unpaid, void bool) invPlan {
	p := invPlan{created: created, status: "open", send: true, due: created + dueDays*day}
	switch {
	case void:
		if t := created + voidLag; t <= d.end {
			p.status, p.settled = "void", t
		}
	case unpaid:
		if t := p.due + uncollectibleAt; t <= d.end {
			p.status, p.settled = "uncollectible", t
		}
	case created+payDays*day <= d.end:
		p.charges, p.lag[0] = 1, payDays*day
		p.status, p.settled = "paid", created+payDays*day
	}
	return p
}

// subInvoicePlan is the story of invoice n of subscription s.
func (d *dataset) subInvoicePlan(s int, f *subFacts, n int) invPlan {
	created := subInvoiceCreated(f, n)
	k := n - f.hasTrial()
	if k < 0 {
		return invPlan{created: created, status: "paid", settled: created} // a trial's $0 invoice
	}
	h := d.hash(uint64(kInvoice)+0x300, s<<8|n, sFail)
	if f.send {
		return d.planSend(created, int64(3+(h>>8)%25), k >= f.lateFrom, false)
	}
	final := f.fate == fateFailed && k == f.life-1
	return d.planAuto(created, final || h%12 == 0, final)
}

// oneOffPlan is the story of one-off invoice q: four in ten are sent.
func (d *dataset) oneOffPlan(q int, created int64) invPlan {
	h := d.hash(uint64(kInvoice)+0x400, q, sFail)
	if h%10 < 4 {
		x := (h >> 8) % 100
		return d.planSend(created, int64(2+(h>>24)%38), x >= 12 && x < 27, x < 12)
	}
	fail := (h>>8)%20 == 0
	return d.planAuto(created, fail, fail && (h>>16)%5 < 2)
}

// subInvoiceCreated is when invoice n of a subscription was made: the
// trial's at the start, then each at its paid period's start.
func subInvoiceCreated(f *subFacts, n int) int64 {
	if f.trialEnd != 0 {
		if n == 0 {
			return f.created
		}
		n--
	}
	return f.bound(n)
}

// oneOffLines is how many lines one-off invoice q has: 1 or 2.
func oneOffLines(d *dataset, q int) int {
	return 1 + int(d.hash(uint64(kInvoice)+0x400, q, sMisc)%2)
}

// invoicePlan is the story of base invoice j.
func (d *dataset) invoicePlan(j int) invPlan {
	e := d.hist.inv[j]
	created := d.hist.t0 + int64(e>>32)
	if e&oneOffFlag != 0 {
		return d.oneOffPlan(int(e&(oneOffFlag-1)), created)
	}
	s := int(e & 0xffffffff >> 8)
	f := d.subCore(s)
	return d.subInvoicePlan(s, &f, int(e&0xff))
}
