package sandbox

// Invoice items: the one-off charges Stripe bills on an invoice
// (POST /v1/invoiceitems, then an invoice that picks them up). Each line of
// a one-off invoice is one invoice item — the line's invoice_item — with the
// same amount, quantity, price and period; subscription invoices bill their
// subscription items and have none. Item k of invoice j has index
// j*maxItems + k, so the index space is sparse and created follows the
// invoice's. Every item is invoiced (none is pending), and items make no
// events (no invoiceitem.* in /v1/events) and are not in /_sandbox/truth:
// no sync copies them yet.

// invoiceItemInvoice is the invoice and line of invoice item i, when it
// exists (its invoice exists, is one-off and has that line).
func (d *dataset) invoiceItemOf(i int) (j, k int, f invoiceFacts, ok bool) {
	if i < 0 {
		return 0, 0, f, false
	}
	j, k = i/maxItems, i%maxItems
	if !d.exists(kInvoice, j) {
		return 0, 0, f, false
	}
	sub, lines := d.invoiceShape(j, d.created(kInvoice, j))
	if sub >= 0 || k >= lines {
		return 0, 0, f, false
	}
	return j, k, d.invoice(j), true
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
	price, qty, unit := d.invoiceLine(j, &f, k)
	start, end := f.linePeriod()
	w.begin('{')
	w.kid("id", d, famInvoiceItem, leadPlain, i)
	w.kstr("object", "invoiceitem")
	w.kint("amount", qty*unit)
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
	w.kbool("proration", false)
	w.kint("quantity", qty)
	w.kamountDecimal("quantity_decimal", qty)
	w.knull("subscription")
	w.kemptyArr("tax_rates")
	w.knull("test_clock")
	w.kint("unit_amount", unit)
	w.kamountDecimal("unit_amount_decimal", unit)
	w.end('}')
}
