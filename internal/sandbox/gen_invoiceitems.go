package sandbox

// Invoice items: the one-off charges Stripe bills on an invoice
// (POST /v1/invoiceitems, then an invoice that picks them up). Each line of
// a one-off invoice is one invoice item — the line's invoice_item — with the
// same amount, quantity, price and period; so is each proration line of a
// subscription invoice (proration: true: Stripe makes the items when the
// quantity changes, and the next invoice picks them up; the sandbox dates
// them with that invoice, keeping the list in created order). Item k of
// invoice j has index
// j*maxItems + k, so the index space is sparse and created follows the
// invoice's. Every item is invoiced (none is pending), and items make no
// events (no invoiceitem.* in /v1/events) and are not in /_sandbox/truth:
// no sync copies them yet.

// invoiceItemOf is the invoice and line of invoice item i, when it
// exists (its invoice exists and line k is an invoice item's).
func (d *dataset) invoiceItemOf(i int) (j, k int, f invoiceFacts, ok bool) {
	if i < 0 {
		return 0, 0, f, false
	}
	j, k = i/maxItems, i%maxItems
	if !d.exists(kInvoice, j) || k >= d.invoiceLineCount(j) {
		return 0, 0, f, false
	}
	f = d.invoice(j)
	if !d.lineOf(j, &f, k).item {
		return 0, 0, f, false
	}
	return j, k, f, true
}

// invoiceLineCount is how many lines invoice j has, without the rest of
// its facts.
func (d *dataset) invoiceLineCount(j int) int {
	if j >= d.base[kInvoice] {
		return d.invoice(j).lines
	}
	e := d.hist.inv[j]
	if e&oneOffFlag != 0 {
		return oneOffLines(d, int(e&(oneOffFlag-1)))
	}
	s, n := int(e&0xffffffff>>8), int(e&0xff)
	f := d.subCore(s)
	if p := n - f.hasTrial(); p > 0 && p == f.change {
		return f.items + 2
	}
	return f.items
}

func (d *dataset) invoiceItemExists(i int) bool {
	_, _, _, ok := d.invoiceItemOf(i)
	return ok
}

// invoiceItemCreated is when item i was made (its date): when its invoice was.
func (d *dataset) invoiceItemCreated(i int) int64 { return d.created(kInvoice, i/maxItems) }

// invoiceItemStreams is the one stream of GET /v1/invoiceitems with the
// customer, invoice and pending filters.
func (d *dataset) invoiceItemStreams(q *listQuery) []stream {
	st := stream{
		lead:    leadPlain,
		hi:      d.n(kInvoice) * maxItems,
		created: d.invoiceItemCreated,
		write:   func(w *jw, i int) { d.writeInvoiceItem(w, i) },
	}
	cust := -2
	if id, ok := q.filter["customer"]; ok {
		cust = d.refIndex(famCustomer, id)
	}
	if id, ok := q.filter["invoice"]; ok {
		j := d.refIndex(famInvoice, id)
		st.lo, st.hi = 0, 0
		if j >= 0 && j < d.n(kInvoice) {
			st.lo, st.hi = j*maxItems, (j+1)*maxItems
		}
	}
	if q.filter["pending"] == "true" {
		st.hi = 0 // every item is on an invoice
	}
	st.keep = func(i int) bool {
		if cust == -2 {
			return d.invoiceItemExists(i)
		}
		_, _, f, ok := d.invoiceItemOf(i)
		return ok && f.customer == cust
	}
	return []stream{st}
}

// writeInvoiceItem renders invoice item i (API version 2023-10-16, with the
// newer spec's quantity_decimal).
func (d *dataset) writeInvoiceItem(w *jw, i int) {
	j, k, f, _ := d.invoiceItemOf(i)
	l := d.lineOf(j, &f, k)
	price, qty, unit, start, end := l.price, l.qty, l.unit, l.start, l.end
	w.begin('{')
	w.kid("id", d, famInvoiceItem, leadPlain, i)
	w.kstr("object", "invoiceitem")
	w.kint("amount", l.amount)
	w.kstr("currency", d.acct.Currency)
	w.kid("customer", d, famCustomer, leadPlain, f.customer)
	w.kint("date", d.invoiceItemCreated(i))
	w.key("description")
	w.b = append(w.b, '"')
	w.b = d.appendProductName(w.b, d.price(price).product)
	w.b = append(w.b, '"')
	w.kbool("discountable", true)
	w.kemptyArr("discounts")
	w.kid("invoice", d, famInvoice, leadPlain, j)
	w.kbool("livemode", false)
	w.kempty("metadata")
	w.kobj("period")
	w.kint("end", end)
	w.kint("start", start)
	w.end('}')
	w.knull("plan")
	w.key("price")
	d.writePrice(w, price, d.current(kPrice, price))
	w.kbool("proration", l.proration)
	w.kint("quantity", qty)
	w.kamountDecimal("quantity_decimal", qty)
	w.kidOr("subscription", d, famSubscription, leadPlain, f.sub)
	w.kemptyArr("tax_rates")
	w.knull("test_clock")
	w.kint("unit_amount", unit)
	w.kamountDecimal("unit_amount_decimal", unit)
	w.end('}')
}
