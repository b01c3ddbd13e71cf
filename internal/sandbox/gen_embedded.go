package sandbox

// Lists embedded in an object when a request expands them: a charge's
// refunds, a customer's subscriptions, sources and tax ids. Each shows its
// first page (ten, as Stripe's embedded lists), newest first, with has_more
// and the URL of the full list. Nested objects are written without the
// outer request's expansions.

// embeddedLimit is how many objects an embedded list shows.
const embeddedLimit = 10

// writeEmbeddedList writes a list object of the objects of a charge or
// customer (family f, index i) under path ("/refunds"); write renders the k-th of them and is
// nil for a list that is always empty (sources, tax ids).
func (d *dataset) writeEmbeddedList(w *jw, f family, i int, path string, items []func()) {
	saved := *w
	w.expandTxn, w.expandDest, w.more = false, false, 0
	w.begin('{')
	w.kstr("object", "list")
	if len(items) == 0 {
		w.kemptyArr("data")
	} else {
		w.karr("data")
		for _, write := range items[:min(len(items), embeddedLimit)] {
			w.elem()
			write()
		}
		w.end(']')
	}
	w.kbool("has_more", len(items) > embeddedLimit)
	w.key("url")
	w.b = append(w.b, '"')
	if f == famCharge {
		w.b = append(w.b, "/v1/charges/"...)
	} else {
		w.b = append(w.b, "/v1/customers/"...)
	}
	w.b = d.appendID(w.b, f, leadPlain, i)
	w.b = append(w.b, path...)
	w.b = append(w.b, '"')
	w.end('}')
	w.expandTxn, w.expandDest, w.more = saved.expandTxn, saved.expandDest, saved.more
}

// writeChargeRefunds writes "refunds": the refunds of charge i, newest
// first: its base refund, if any, and those mutations made.
func (d *dataset) writeChargeRefunds(w *jw, i int) {
	var xs []int
	for x := d.n(kRefund) - 1; x >= d.base[kRefund]; x-- {
		if d.refund(x).charge == i {
			xs = append(xs, x)
		}
	}
	if i < d.base[kCharge] {
		if x, ok := childIn(d.hist.ref, i); ok {
			xs = append(xs, x)
		}
	}
	items := make([]func(), len(xs))
	for k, x := range xs {
		items[k] = func() { d.writeRefund(w, x, d.current(kRefund, x)) }
	}
	w.key("refunds")
	d.writeEmbeddedList(w, famCharge, i, "/refunds", items)
}

// writeCustomerSubscriptions writes "subscriptions": customer c's current
// subscriptions (not canceled, not deleted), newest first. Subscriptions
// refer to customers, not the other way round, so this scans the
// subscriptions made since the customer was; it costs time only when a
// request expands it.
func (d *dataset) writeCustomerSubscriptions(w *jw, c int) {
	var subs []int
	for s := d.n(kSubscription) - 1; s >= d.firstAtOrAfter(kSubscription, d.created(kCustomer, c)); s-- {
		if d.subCustomer(s) == c && d.exists(kSubscription, s) && d.sub(s).status != "canceled" {
			subs = append(subs, s)
		}
	}
	items := make([]func(), len(subs))
	for k, s := range subs {
		items[k] = func() { d.writeSubscription(w, s, d.current(kSubscription, s)) }
	}
	w.key("subscriptions")
	d.writeEmbeddedList(w, famCustomer, c, "/subscriptions", items)
}

// subCustomer is subscription s's customer, as sub gives it.
func (d *dataset) subCustomer(s int) int {
	if l, ok := d.link(kSubscription, s); ok {
		return int(l[0])
	}
	return int(d.hist.subCustomer[s])
}
