package sandbox

import "strconv"

// cnFacts is a credit note with the invoice it credits.
type cnFacts struct {
	invoice int
	inv     invoiceFacts
	amount  int64 // the first line of the invoice (after its discount), credited in full
}

// creditNote returns the facts of credit note x. Callers hold d.mu.
func (d *dataset) creditNote(x int) cnFacts {
	j := 0
	if x < d.base[kCreditNote] {
		j = int(d.hist.cn[x])
	} else {
		l, _ := d.link(kCreditNote, x)
		j = int(l[0])
	}
	inv := d.invoice(j)
	return cnFacts{invoice: j, inv: inv, amount: max(0, d.lineOf(j, &inv, 0).net())}
}

// writeCreditNote renders credit note x at revision r.
func (d *dataset) writeCreditNote(w *jw, x int, r rev) {
	f := d.creditNote(x)
	created := d.created(kCreditNote, x)
	post := f.inv.plan.status == "paid"
	w.begin('{')
	w.kid("id", d, famCreditNote, leadPlain, x)
	w.kstr("object", "credit_note")
	w.kint("amount", f.amount)
	w.kint("amount_shipping", 0)
	w.kint("created", created)
	w.kstr("currency", d.acct.Currency)
	w.kid("customer", d, famCustomer, leadPlain, f.inv.customer)
	w.knull("customer_balance_transaction")
	w.kint("discount_amount", 0)
	w.kemptyArr("discount_amounts")
	w.kint("effective_at", created)
	w.kid("invoice", d, famInvoice, leadPlain, f.invoice)
	w.kobj("lines")
	w.kstr("object", "list")
	w.karr("data")
	w.elem()
	w.begin('{')
	w.kaux("id", d, "cnli_", uint64(kCreditNote)+0x10, x, 24)
	w.kstr("object", "credit_note_line_item")
	w.kint("amount", f.amount)
	w.kint("amount_excluding_tax", f.amount)
	w.key("description")
	w.b = append(w.b, '"')
	w.b = d.appendProductName(w.b, d.price(d.lineOf(f.invoice, &f.inv, 0).price).product)
	w.b = append(w.b, '"')
	w.kint("discount_amount", 0)
	w.kemptyArr("discount_amounts")
	w.kid("invoice_line_item", d, famLine, leadPlain, f.invoice*maxItems)
	w.kbool("livemode", false)
	w.kemptyArr("pretax_credit_amounts")
	w.kint("quantity", 1)
	w.kemptyArr("tax_amounts")
	w.kemptyArr("tax_rates")
	w.kstr("type", "invoice_line_item")
	w.kint("unit_amount", f.amount)
	w.kamountDecimal("unit_amount_decimal", f.amount)
	w.kamountDecimal("unit_amount_excluding_tax", f.amount)
	w.end('}')
	w.end(']')
	w.kbool("has_more", false)
	w.kint("total_count", 1)
	w.key("url")
	w.b = append(w.b, `"/v1/credit_notes/`...)
	w.b = d.appendID(w.b, famCreditNote, leadPlain, x)
	w.b = append(w.b, `/lines"`...)
	w.end('}')
	w.kbool("livemode", false)
	if r.v > 0 {
		w.kstr("memo", "Adjusted (revision "+strconv.Itoa(r.v)+")")
	} else {
		w.knull("memo")
	}
	w.metadata(r)
	w.key("number")
	w.b = append(w.b, '"')
	w.b = d.appendInvoiceNumber(w.b, f.invoice, &f.inv)
	w.b = append(w.b, `-CN-01"`...)
	w.knull("out_of_band_amount")
	w.key("pdf")
	w.b = append(w.b, `"https://pay.stripe.com/credit_notes/`...)
	w.b = append(w.b, d.acct.ID...)
	w.b = d.auxID(w.b, "/test_", uint64(kCreditNote)+0x20, x, 40)
	w.b = append(w.b, "/pdf?s=ap\""...)
	if post {
		w.kint("post_payment_amount", f.amount)
		w.kint("pre_payment_amount", 0)
	} else {
		w.kint("post_payment_amount", 0)
		w.kint("pre_payment_amount", f.amount)
	}
	w.kemptyArr("pretax_credit_amounts")
	w.kstrOr("reason", creditNoteReasons[d.hash(uint64(kCreditNote), x, sReason)%uint64(len(creditNoteReasons))])
	w.knull("refund")
	w.kemptyArr("refunds")
	w.knull("shipping_cost")
	w.kstr("status", "issued")
	w.kint("subtotal", f.amount)
	w.kint("subtotal_excluding_tax", f.amount)
	w.kemptyArr("tax_amounts")
	w.kint("total", f.amount)
	w.kint("total_excluding_tax", f.amount)
	if post {
		w.kstr("type", "post_payment")
	} else {
		w.kstr("type", "pre_payment")
	}
	w.knull("voided_at")
	w.end('}')
}
