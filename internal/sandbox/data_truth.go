package sandbox

// Count is how many objects of a type exist: live ones, and deleted ones (by
// mutation, or as children of a deleted parent). It is the shape of
// GET /_sandbox/truth and of the warehouse's counts.
type Count struct {
	Live    int `json:"live"`
	Deleted int `json:"deleted"`
}

// baseTruth holds totals over base objects that take a pass over an index
// space to count; computed once per dataset, on first use.
type baseTruth struct {
	succeeded int // base charges that succeeded (each has a balance transaction)
	lines     int // line items of base invoices
	items     int // items of base subscriptions
}

func (d *dataset) computeBaseTruth() baseTruth {
	var t baseTruth
	for i := 0; i < d.base[kCharge]; i++ {
		if !d.chargeFailed(i) {
			t.succeeded++
		}
	}
	t.lines = d.hist.lines
	for s := 0; s < d.base[kSubscription]; s++ {
		t.items += d.subItemCount(s)
	}
	return t
}

// truth counts every type exactly as a full sync should store it: all
// subscriptions whatever their status, every invoice's line items, every
// subscription's items, and the events of the 30-day window.
func (d *dataset) truth() map[string]Count {
	d.ready()
	d.mu.RLock()
	defer d.mu.RUnlock()
	d.truthOnce.Do(func() { d.baseTruth = d.computeBaseTruth() })
	out := make(map[string]Count, numViews)
	kindCount := func(k kind) Count {
		del := len(d.ov[k].deleted)
		return Count{Live: d.n(k) - del, Deleted: del}
	}
	for v := range numViews {
		if k := views[v].kind; views[v].evLead != 0 {
			out[views[v].name] = kindCount(k)
		}
	}
	// Plans are the recurring prices.
	plans := Count{Live: d.base[kPrice] - ceilDiv(d.base[kPrice], 3)}
	for k := d.base[kPrice]; k < d.n(kPrice); k++ {
		if d.recurringPrice(k) {
			plans.Live++
		}
	}
	for i := range d.ov[kPrice].deleted {
		if d.recurringPrice(int(i)) {
			plans.Live--
			plans.Deleted++
		}
	}
	out["plans"] = plans
	// Payment intents pair with charges; neither can be deleted.
	out["payment_intents"] = kindCount(kCharge)
	appendedCharges := d.n(kCharge) - d.base[kCharge]
	// Besides one per succeeded charge, refund, dispute and payout: a
	// reversal per won dispute, a return per failed payout, a Stripe fee a month.
	out["balance_transactions"] = Count{Live: d.baseTruth.succeeded + appendedCharges +
		d.n(kRefund) + d.n(kDispute) + d.n(kPayout) + d.pay.won + d.pay.failed + d.pay.fees}

	lines := Count{Live: d.baseTruth.lines}
	for j := d.base[kInvoice]; j < d.n(kInvoice); j++ {
		lines.Live += d.invoice(j).lines
	}
	for j := range d.ov[kInvoice].deleted {
		n := d.invoice(int(j)).lines
		lines.Live -= n
		lines.Deleted += n
	}
	out["invoice_line_items"] = lines

	items := Count{Live: d.baseTruth.items}
	for s := d.base[kSubscription]; s < d.n(kSubscription); s++ {
		items.Live += d.subItemCount(s)
	}
	for s := range d.ov[kSubscription].deleted {
		n := d.subItemCount(int(s))
		items.Live -= n
		items.Deleted += n
	}
	out["subscription_items"] = items

	events := len(d.events)
	for _, v := range eventViews {
		lo, hi := d.baseEventRange(v)
		if v == vPlans {
			events += (hi - lo) - (ceilDiv(hi, 3) - ceilDiv(lo, 3)) // prices with i%3 != 0
			continue
		}
		events += hi - lo
	}
	out["events"] = Count{Live: events}
	return out
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// PayoutLinks are a payout's links: the balance transactions it swept.
type PayoutLinks struct {
	Payout string   `json:"payout"`
	Amount int64    `json:"amount"`
	Links  []string `json:"links"` // balance transaction ids, newest first
}

// payoutLinkCount is how many balance transactions the automatic payouts
// swept, all payouts together: the links a complete sync of
// GET /v1/balance_transactions?payout=… for every payout holds (besides
// each payout's own transaction, which that list also returns).
func (d *dataset) payoutLinkCount() int {
	d.ready()
	return d.pay.links
}

// links returns the links of payout id, false when it is not an automatic
// payout of the account.
func (d *dataset) links(id string) (PayoutLinks, bool) {
	d.ready()
	d.mu.RLock()
	defer d.mu.RUnlock()
	x := d.refIndex(famPayout, id)
	if x < 0 || x >= d.base[kPayout] {
		return PayoutLinks{}, false
	}
	return PayoutLinks{Payout: id, Amount: d.pay.slots[x].amount, Links: d.payoutLinks(x)}, true
}
