package sandbox

// A subscription's life, drawn from the seed: when it started (after a
// 14-day trial for one in four), how it bills (monthly or yearly, charged
// automatically or, for one in four monthly ones, sent as invoices due in
// 30 days), one change of quantity in the middle of a period for two in
// five monthly ones (billed as Stripe's proration lines on the next
// invoice), a coupon for about one in five, and how it ends: it runs on, is
// canceled at a period's end or at once, stops after a payment that never
// succeeded, or (sent invoices) its customer stops paying. Some new
// subscriptions belong to a customer whose earlier subscription ended: a
// reactivation (see drawSubCustomer). Everything follows from (seed,
// index) and the data's end.

// Fates of subscriptions.
const (
	fateRuns      = iota // runs on
	fatePeriodEnd        // canceled at the end of period life-1
	fateAtOnce           // canceled in the middle of period life-1
	fateFailed           // payment of period life-1 fails for good (sent invoices: the customer stops paying)
)

// subFacts is what a subscription's neighbours need to know about it.
type subFacts struct {
	created  int64
	customer int
	interval string // "month" or "year"
	months   int    // 1 or 12
	items    int    // 1–3 subscription items
	send     bool   // collection_method send_invoice (invoices due in 30 days)
	trialEnd int64  // 0 unless it started with a trial
	anchor   int64  // billing_cycle_anchor: created, or the trial's end
	fate     int
	life     int // paid periods it lives (fatePeriodEnd, fateAtOnce, fateFailed)
	// paid is how many paid periods were invoiced by the data's end; nInv
	// counts the trial's $0 invoice too.
	paid, nInv             int
	status                 string
	atPeriodEnd            bool  // cancel_at_period_end: canceled, ending with the current period
	canceledAt, endedAt    int64 // 0 unless canceled
	cancelAt               int64 // when a scheduled cancellation takes effect
	reason                 string
	change                 int   // paid period whose invoice bills the change's prorations; 0: none
	changeAt               int64 // when the quantity changed
	qty0, qty1             int64 // item 0's quantity before and after the change
	coupon                 int   // -1: none
	lateFrom               int   // sent invoices: paid periods from here stay unpaid (paid: none)
	periodStart, periodEnd int64 // the current (or last) period
}

// maxItems bounds items per subscription and lines per invoice (three
// items and two proration lines); ids of children encode parent*maxItems + k.
const maxItems = 8

// trialDays is the length of the trials subscriptions start with.
const trialDays = 14

// hasTrial reports whether invoice 0 is a trial's $0 invoice.
func (f *subFacts) hasTrial() int {
	if f.trialEnd != 0 {
		return 1
	}
	return 0
}

// bound is the start of paid period k (its end is bound(k+1)).
func (f *subFacts) bound(k int) int64 { return addMonthsClamped(f.anchor, k*f.months) }

// sub returns the facts of subscription i. Callers hold d.mu.
func (d *dataset) sub(i int) subFacts {
	f := d.subBase(i)
	d.subCustomerOf(i, &f)
	return f
}

// subForInvoice is sub without the status and the cancellation, which an
// invoice does not need (and which cost as much as the rest).
func (d *dataset) subForInvoice(i int) subFacts {
	f := d.subCore(i)
	d.subCustomerOf(i, &f)
	return f
}

// subCustomerOf sets the customer of subscription i.
func (d *dataset) subCustomerOf(i int, f *subFacts) {
	switch l, ok := d.link(kSubscription, i); {
	case ok:
		f.customer = int(l[0])
	case i < len(d.hist.subCustomer):
		f.customer = int(d.hist.subCustomer[i])
	default:
		f.customer = d.drawSubCustomer(i, f)
	}
}

// drawSubCustomer picks the customer of base subscription i: for about one
// in three, the customer of an earlier subscription whose last period ended
// over a month before (a reactivation), when one of a dozen drawn did, else
// any customer who existed.
func (d *dataset) drawSubCustomer(i int, f *subFacts) int {
	h := d.hash(uint64(kSubscription), i, sPick)
	if reactivates(h) && i > 0 {
		for try := 0; try < 12; try++ {
			// Among the older two thirds: they have had time to end. Their
			// customers are known: buildHistory draws in index order.
			s := int(mix64(h+uint64(try)) % uint64(max(1, i*2/3)))
			// It came back more than a month after its last period ended,
			// so a month's end lies between: a reactivation, not a change.
			if e := d.subBase(s); e.endedAt != 0 && e.periodEnd+35*day < f.created {
				return int(d.hist.subCustomer[s])
			}
		}
	}
	return max(d.pickCustomer(uint64(kSubscription), i, f.created), 0)
}

func reactivates(h uint64) bool { return h%100 < 35 }

// subBase is everything about subscription i but its customer.
func (d *dataset) subBase(i int) subFacts {
	f := d.subCore(i)
	d.subEnding(i, &f, d.hash(uint64(kSubscription), i, sStatus))
	k := max(f.paid-1, 0)
	switch {
	case f.trialEnd != 0 && f.paid == 0:
		f.periodStart, f.periodEnd = f.created, f.trialEnd
	default:
		f.periodStart, f.periodEnd = f.bound(k), f.bound(k+1)
	}
	return f
}

// subCore is subBase without the status, the cancellation and the current
// period.
func (d *dataset) subCore(i int) subFacts {
	h := d.hash(uint64(kSubscription), i, sMisc)
	h2 := d.hash(uint64(kSubscription), i, sStatus)
	f := subFacts{created: d.created(kSubscription, i), interval: "month", months: 1, items: d.subItemCount(i),
		coupon: -1, status: "active"}
	if h%100 >= 85 {
		f.interval, f.months = "year", 12
	} else if (h>>32)%4 == 0 {
		f.send = true
	}
	f.anchor = f.created
	// One in four starts with a trial (one in two of the last month's).
	if ((h>>24)%4 == 0 || (h>>24)%2 == 0 && f.created > d.end-30*day) && !f.send {
		f.trialEnd = f.created + trialDays*day
		f.anchor = f.trialEnd
	}
	switch x := h2 % 100; {
	case x < 50:
		f.fate = fateRuns
	case x < 64:
		f.fate = fatePeriodEnd
	case x < 74:
		f.fate = fateAtOnce
	case x < 88 || f.send && x < 98:
		f.fate = fateFailed
	}
	if f.months == 1 {
		f.life = 1 + int((h2>>8)%12)
	} else {
		f.life = 1 + int((h2>>8)%2)
	}
	// Paid periods invoiced by the end: those that start an hour before it.
	last := d.end - 3600
	byEnd := 0
	if f.anchor <= last {
		approx := int64(f.months) * 28 * day
		byEnd = int((last-f.anchor)/approx) + 1
		for byEnd > 0 && f.bound(byEnd-1) > last {
			byEnd--
		}
		for f.bound(byEnd) <= last {
			byEnd++
		}
	}
	f.lateFrom = -1
	switch {
	case f.fate == fateFailed && f.send:
		// The customer stopped paying 3–7 periods before the end.
		f.lateFrom = max(0, byEnd-3-int((h2>>16)%5))
		f.fate, f.life = fateRuns, 0
	case f.fate == fateFailed && (h2>>16)%5 < 3:
		// Three in five of these fail in one of the last three periods:
		// money at risk now, not only in the past.
		f.life = max(1, byEnd-int((h2>>20)%3))
	}
	f.paid = byEnd
	if f.fate != fateRuns {
		f.paid = min(byEnd, f.life)
	}
	if f.lateFrom < 0 || f.lateFrom >= f.paid {
		f.lateFrom = f.paid
	}
	f.nInv = f.paid + f.hasTrial()
	d.subChange(i, &f)
	if (h>>48)%100 < 22 {
		f.coupon = d.pickCoupon(h, f.created)
	}
	return f
}

// subEnding sets the status and the cancellation of a subscription.
func (d *dataset) subEnding(i int, f *subFacts, h2 uint64) {
	frac := func(k int) int64 { // a moment in the middle of paid period k
		a, b := f.bound(k), f.bound(k+1)
		return a + (b-a)*int64(25+(h2>>24)%50)/100
	}
	switch {
	case f.trialEnd != 0 && f.paid == 0:
		f.status = "trialing"
	case f.fate == fatePeriodEnd && f.paid == f.life:
		req, end := frac(f.life-1), f.bound(f.life)
		switch {
		case end <= d.end:
			f.status, f.canceledAt, f.endedAt = "canceled", req, end
		case req <= d.end:
			f.atPeriodEnd, f.canceledAt, f.cancelAt = true, req, end
		}
		f.reason = "cancellation_requested"
	case f.fate == fateAtOnce && f.paid == f.life:
		if t := frac(f.life - 1); t <= d.end {
			f.status, f.canceledAt, f.endedAt = "canceled", t, t
			f.reason = "cancellation_requested"
		}
	case f.fate == fateFailed && f.paid == f.life:
		// Stripe retries for two weeks, then cancels.
		if t := f.bound(f.life-1) + 14*day; t <= d.end {
			f.status, f.canceledAt, f.endedAt = "canceled", t, t
			f.reason = "payment_failed"
		} else {
			f.status = "past_due"
		}
	}
	if f.status == "active" {
		if f.lateFrom < f.paid && f.bound(f.lateFrom)+dueDays*day < d.end {
			f.status = "past_due" // a sent invoice is past its due date
		}
		if f.paid > 0 {
			if p := d.subInvoicePlan(i, f, f.nInv-1); p.status == "open" && p.charges > 0 {
				f.status = "past_due" // the latest payment failed; a retry is due
			}
		}
	}
}

// subChange draws the one change of item 0's quantity that two in five
// monthly subscriptions make: up (three in five) or down, in the middle of
// paid period change-1, billed on the invoice of period change.
func (d *dataset) subChange(i int, f *subFacts) {
	h := d.hash(uint64(kSubscription), i, sQty)
	f.qty0 = 1 + int64((h>>20)%3)
	if (h>>20)%5 == 0 {
		f.qty0 = int64(2 + (h>>24)%4)
	}
	f.qty1 = f.qty0
	if f.months != 1 || f.paid < 2 || h%5 >= 2 {
		return
	}
	m := int((h >> 8) % uint64(f.paid-1)) // 0 … paid-2
	a, b := f.bound(m), f.bound(m+1)
	// Period m ends before any cancellation: those come in period life-1.
	f.change, f.changeAt = m+1, a+(b-a)*int64(20+(h>>32)%60)/100
	if (h>>40)%5 < 3 || f.qty0 < 3 {
		f.qty1 = f.qty0 + 1 + int64((h>>44)%2)
	} else {
		f.qty1 = f.qty0 - 1
	}
}

// subQty is item k's quantity in paid period p.
func (d *dataset) subQty(s int, f *subFacts, k, p int) int64 {
	if k == 0 {
		if f.change != 0 && p >= f.change {
			return f.qty1
		}
		return f.qty0
	}
	_, q := d.subItem(s, f, k)
	return q
}

// subItemCount is how many items subscription i has: 1 (six in ten), 2 or 3.
func (d *dataset) subItemCount(i int) int {
	switch (d.hash(uint64(kSubscription), i, sMisc) >> 8) % 10 {
	case 6, 7, 8:
		return 2
	case 9:
		return 3
	}
	return 1
}

// subItem returns the price and drawn quantity of item k of subscription s
// (item 0's quantity changes: see subQty).
func (d *dataset) subItem(s int, f *subFacts, k int) (price int, qty int64) {
	h := d.hash(uint64(kSubscription)+0x100, s*maxItems+k, sPrice)
	variant := priceMonthly
	if f.interval == "year" {
		variant = priceYearly
	}
	price = int(h%uint64(d.base[kProduct]))*3 + variant
	qty = 1
	if (h>>20)%5 == 0 {
		qty = int64(2 + (h>>24)%4)
	}
	if k == 0 {
		qty = f.qty0
		if f.change != 0 && f.changeAt <= d.end {
			qty = f.qty1
		}
	}
	return price, qty
}

// pickCoupon draws a coupon that existed at t for a subscription: forever,
// once or repeating in equal shares when the catalog has one of that
// duration, else the first drawn; -1 when there was none.
func (d *dataset) pickCoupon(h uint64, t int64) int {
	n := d.countBefore(kCoupon, t+1)
	if n == 0 {
		return -1
	}
	want := [...]string{"forever", "once", "repeating"}[(h>>56)%3]
	first := int((h >> 8) % uint64(n))
	for k := 0; k < n; k++ {
		if c := (first + k) % n; d.coupon(c).duration == want {
			return c
		}
	}
	return first
}
