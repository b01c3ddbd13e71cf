package sandbox

// listQuery is a validated list request.
type listQuery struct {
	page              pageReq
	afterID, beforeID string            // cursors as given
	filter            map[string]string // the view's implemented filters that were given
	types             []string          // events: type and types[]
	expand            expandSet         // expand[]=data.… the list expands
}

// listStreams builds the streams a list of view v draws from, with the
// query's filters applied. Callers hold d.mu for reading while the streams
// are used.
func (d *dataset) listStreams(v view, q *listQuery) []stream {
	switch v {
	case vBalanceTransactions:
		return d.txnStreams(q)
	case vEvents:
		return d.eventStreams(q)
	case vInvoiceItems:
		return d.invoiceItemStreams(q)
	}
	k := views[v].kind
	extra := d.filterFor(v, q)
	return []stream{{
		lead:    leadPlain,
		hi:      d.n(k),
		created: func(i int) int64 { return d.created(k, i) },
		keep: func(i int) bool {
			return d.exists(k, i) && d.inView(v, i) && (extra == nil || extra(i))
		},
		write: func(w *jw, i int) { d.write(w, v, i, d.current(k, i)) },
	}}
}

// filterFor turns a view's filters into one predicate over indexes, or nil.
func (d *dataset) filterFor(v view, q *listQuery) func(i int) bool {
	var preds []func(i int) bool
	for name, val := range q.filter {
		if p := d.filterPred(v, name, val); p != nil {
			preds = append(preds, p)
		}
	}
	if v == vSubscriptions {
		preds = append(preds, subStatusPred(d, q.filter["status"]))
	}
	if len(preds) == 0 {
		return nil
	}
	return func(i int) bool {
		for _, p := range preds {
			if !p(i) {
				return false
			}
		}
		return true
	}
}

// refIndex reads an id filter's value as an index of family f; an id the
// account never issued matches nothing (-1), as Stripe answers an empty list.
func (d *dataset) refIndex(f family, id string) int {
	lead, i, ok := d.parseID(f, id)
	if !ok || lead != leadPlain {
		return -1
	}
	return i
}

// filterPred returns the predicate of one filter (the values were checked
// by the parameter parser).
func (d *dataset) filterPred(v view, name, val string) func(i int) bool {
	switch name {
	case "customer":
		c := d.refIndex(famCustomer, val)
		switch v {
		case vCharges, vPaymentIntents:
			return func(i int) bool { return d.charge(i).customer == c }
		case vInvoices:
			return func(i int) bool { return d.invoice(i).customer == c }
		case vSubscriptions:
			return func(i int) bool { return d.sub(i).customer == c }
		case vCreditNotes:
			return func(i int) bool { return d.creditNote(i).inv.customer == c }
		}
	case "payment_intent", "charge":
		f := famCharge
		if name == "payment_intent" {
			f = famPaymentIntent
		}
		c := d.refIndex(f, val)
		switch v {
		case vCharges:
			return func(i int) bool { return i == c }
		case vRefunds:
			return func(i int) bool { return d.refund(i).charge == c }
		case vDisputes:
			return func(i int) bool { return d.dispute(i).charge == c }
		}
	case "subscription":
		s := d.refIndex(famSubscription, val)
		return func(i int) bool { return d.invoice(i).sub == s }
	case "invoice":
		j := d.refIndex(famInvoice, val)
		return func(i int) bool { return d.creditNote(i).invoice == j }
	case "status":
		switch v {
		case vInvoices:
			return func(i int) bool { return d.invoice(i).plan.status == val }
		case vPayouts:
			return func(i int) bool { f := d.payout(i); return d.payoutStatus(&f) == val }
		}
	case "active":
		want := val == "true"
		if v == vProducts {
			return func(i int) bool { return d.productActive(i) == want }
		}
		return func(i int) bool { return d.productActive(d.price(i).product) == want }
	case "product":
		p := d.refIndex(famProduct, val)
		return func(i int) bool { return d.price(i).product == p }
	case "type":
		if v == vPrices {
			return func(i int) bool { return (d.price(i).interval == "") == (val == "one_time") }
		}
	case "currency":
		if v == vPrices && val != d.acct.Currency {
			return func(int) bool { return false }
		}
	case "price":
		p := d.refIndex(famPrice, val)
		return func(i int) bool {
			f := d.sub(i)
			for k := 0; k < f.items; k++ {
				if price, _ := d.subItem(i, &f, k); price == p {
					return true
				}
			}
			return false
		}
	case "email":
		var buf []byte
		return func(i int) bool {
			buf = appendEmail(buf[:0], d.person(uint64(kCustomer), i), i, d.version(kCustomer, i))
			return string(buf) == val
		}
	}
	return nil
}

// subscriptionStatuses are the values /v1/subscriptions takes for status.
var subscriptionStatuses = []string{"active", "all", "canceled", "ended", "incomplete",
	"incomplete_expired", "past_due", "paused", "trialing", "unpaid"}

// subStatusPred filters subscriptions as Stripe does: without a status,
// every subscription that is not canceled; "all" for every one.
func subStatusPred(d *dataset, status string) func(i int) bool {
	switch status {
	case "all":
		return func(int) bool { return true }
	case "":
		return func(i int) bool { return d.sub(i).status != "canceled" }
	case "ended":
		return func(i int) bool { s := d.sub(i).status; return s == "canceled" || s == "incomplete_expired" }
	}
	return func(i int) bool { return d.sub(i).status == status }
}
