package sandbox

import "strconv"

// Invoice line items: embedded in their invoice and listed by
// GET /v1/invoices/{id}/lines.

// writeInvoiceLines writes the embedded "lines" list (all of an invoice's
// lines fit in its first page of ten).
func (d *dataset) writeInvoiceLines(w *jw, j int, f *invoiceFacts) {
	w.kobj("lines")
	w.kstr("object", "list")
	w.karr("data")
	for k := 0; k < f.lines; k++ {
		w.elem()
		d.writeLine(w, j, f, k)
	}
	w.end(']')
	w.kbool("has_more", false)
	w.kint("total_count", int64(f.lines))
	w.key("url")
	w.b = append(w.b, `"/v1/invoices/`...)
	w.b = d.appendID(w.b, famInvoice, leadPlain, j)
	w.b = append(w.b, `/lines"`...)
	w.end('}')
}

// writeLine renders line k of invoice j.
func (d *dataset) writeLine(w *jw, j int, f *invoiceFacts, k int) {
	price, qty, unit := d.invoiceLine(j, f, k)
	pf := d.price(price)
	start, end := f.linePeriod()
	w.begin('{')
	w.kid("id", d, famLine, leadPlain, j*maxItems+k)
	w.kstr("object", "line_item")
	w.kint("amount", qty*unit)
	w.kint("amount_excluding_tax", qty*unit)
	w.kstr("currency", d.acct.Currency)
	w.key("description")
	w.b = append(w.b, '"')
	if f.sub >= 0 {
		w.b = strconv.AppendInt(w.b, qty, 10)
		w.b = append(w.b, " × "...)
	}
	w.b = d.appendProductName(w.b, pf.product)
	if f.sub >= 0 {
		w.b = append(w.b, " (at "...)
		w.b = appendMoney(w.b, unit, d.acct.Currency)
		w.b = append(w.b, " / "...)
		w.b = append(w.b, pf.interval...)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
	w.kemptyArr("discount_amounts")
	w.kbool("discountable", true)
	w.kemptyArr("discounts")
	w.kid("invoice", d, famInvoice, leadPlain, j)
	if f.sub >= 0 {
		w.knull("invoice_item")
	} else {
		w.kid("invoice_item", d, famInvoiceItem, leadPlain, j*maxItems+k)
	}
	w.kbool("livemode", false)
	w.kempty("metadata")
	w.kobj("period")
	w.kint("end", end)
	w.kint("start", start)
	w.end('}')
	pr := d.current(kPrice, price)
	if f.sub >= 0 {
		w.key("plan")
		d.writePlan(w, price, pr)
	} else {
		w.knull("plan")
	}
	w.key("price")
	d.writePrice(w, price, pr)
	w.kbool("proration", false)
	w.kobj("proration_details")
	w.knull("credited_items")
	w.end('}')
	w.kint("quantity", qty)
	w.kidOr("subscription", d, famSubscription, leadPlain, f.sub)
	if f.sub >= 0 {
		w.kid("subscription_item", d, famSubItem, leadPlain, f.sub*maxItems+k)
	} else {
		w.knull("subscription_item")
	}
	w.kint("subtotal", qty*unit)
	w.kemptyArr("tax_amounts")
	w.kemptyArr("tax_rates")
	if f.sub >= 0 {
		w.kstr("type", "subscription")
	} else {
		w.kstr("type", "invoiceitem")
	}
	w.kamountDecimal("unit_amount_excluding_tax", unit)
	w.end('}')
}

// appendProductName appends product p's name as generated.
func (d *dataset) appendProductName(b []byte, p int) []byte {
	h := d.hash(uint64(kProduct), p, sName)
	b = append(b, productAdjectives[h%uint64(len(productAdjectives))]...)
	b = append(b, ' ')
	return append(b, productNouns[(h>>16)%uint64(len(productNouns))]...)
}

// appendMoney appends an amount in minor units with its currency sign.
func appendMoney(b []byte, v int64, currency string) []byte {
	switch currency {
	case "usd":
		b = append(b, '$')
	case "gbp":
		b = append(b, "£"...)
	case "eur":
		b = append(b, "€"...)
	case "cad":
		b = append(b, "CA$"...)
	case "aud":
		b = append(b, "A$"...)
	case "nzd":
		b = append(b, "NZ$"...)
	}
	b = strconv.AppendInt(b, v/100, 10)
	b = append(b, '.', byte('0'+v%100/10), byte('0'+v%10))
	return b
}
