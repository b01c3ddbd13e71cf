package sandbox

import "strconv"

// invoiceFacts is what an invoice's neighbours need to know about it.
type invoiceFacts struct {
	created  int64
	charge   int // the charge that paid (or failed to pay) it; -1 for appended invoices
	paid     bool
	sub      int // -1 for one-off invoices
	subF     subFacts
	customer int
	lines    int
	total    int64
}

// invoice returns the facts of invoice j. Callers hold d.mu.
func (d *dataset) invoice(j int) invoiceFacts {
	f := invoiceFacts{created: d.created(kInvoice, j), charge: -1, sub: -1}
	if j < d.base[kInvoice] {
		f.charge = d.inv.target(d, kInvoice, j)
		f.paid = !d.chargeFailed(f.charge)
	}
	f.sub, f.lines = d.invoiceShape(j, f.created)
	l, appended := d.link(kInvoice, j)
	switch {
	case f.sub >= 0:
		f.subF = d.sub(f.sub)
		f.customer = f.subF.customer
	case appended:
		f.customer = int(l[0])
	default:
		f.customer = max(d.pickCustomer(uint64(kInvoice), j, f.created), 0)
	}
	for k := 0; k < f.lines; k++ {
		_, qty, unit := d.invoiceLine(j, &f, k)
		f.total += qty * unit
	}
	return f
}

// invoiceShape returns the subscription invoice j bills (-1 for a one-off
// invoice: three in ten) and how many lines it has.
func (d *dataset) invoiceShape(j int, created int64) (sub, lines int) {
	h := d.hash(uint64(kInvoice), j, sMisc)
	if l, ok := d.link(kInvoice, j); ok {
		if l[1] >= 0 {
			return int(l[1]), d.subItemCount(int(l[1]))
		}
		return -1, 1 + int((h>>40)%2)
	}
	if h%10 < 7 {
		if n := d.countBefore(kSubscription, created+1); n > 0 {
			sub = int((h >> 8) % uint64(n))
			return sub, d.subItemCount(sub)
		}
	}
	return -1, 1 + int((h>>40)%2)
}

// invoiceLine returns the price, quantity and unit amount of line k.
func (d *dataset) invoiceLine(j int, f *invoiceFacts, k int) (price int, qty, unit int64) {
	if f.sub >= 0 {
		price, qty = d.subItem(f.sub, &f.subF, k)
	} else {
		h := d.hash(uint64(kInvoice)+0x100, j*maxItems+k, sPrice)
		price = int(h%uint64(d.base[kProduct]))*3 + priceOneTime
		qty = 1 + int64((h>>20)%3)
	}
	return price, qty, d.price(price).unit
}

// linePeriod is the service period of the invoice's lines.
func (f *invoiceFacts) linePeriod() (int64, int64) {
	if f.sub < 0 {
		return f.created, f.created
	}
	return f.created, addInterval(f.created, f.subF.interval, 1)
}

// appendInvoiceNumber appends "<customer prefix>-<sequence>".
func (d *dataset) appendInvoiceNumber(b []byte, j int, f *invoiceFacts) []byte {
	b = d.appendInvoicePrefix(b, f.customer)
	b = append(b, '-')
	seq := 1 + j%9999
	for p := 1000; p > 1 && seq < p; p /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(seq), 10)
}

// creditNoted returns the amount of the credit note on invoice j, if any.
func (d *dataset) creditNoted(j int) int64 {
	if j >= d.base[kInvoice] {
		return 0
	}
	if x, ok := d.cn.childOf(d, kCreditNote, j); ok && d.exists(kCreditNote, x) {
		return d.creditNote(x).amount
	}
	return 0
}

// writeInvoice renders invoice j at revision r, with its lines embedded.
func (d *dataset) writeInvoice(w *jw, j int, r rev) {
	f := d.invoice(j)
	cust := d.person(uint64(kCustomer), f.customer)
	w.begin('{')
	w.kid("id", d, famInvoice, leadPlain, j)
	w.kstr("object", "invoice")
	w.kstr("account_country", d.acct.Country)
	w.kstr("account_name", d.acct.Name)
	w.knull("account_tax_ids")
	paid := int64(0)
	if f.paid {
		paid = f.total
	}
	w.kint("amount_due", f.total)
	w.kint("amount_overpaid", 0)
	w.kint("amount_paid", paid)
	w.kint("amount_paid_off_stripe", 0)
	w.kint("amount_remaining", f.total-paid)
	w.kint("amount_shipping", 0)
	w.knull("application")
	w.knull("application_fee_amount")
	if f.charge >= 0 {
		w.kint("attempt_count", 1)
		w.kbool("attempted", true)
	} else {
		w.kint("attempt_count", 0)
		w.kbool("attempted", false)
	}
	w.kbool("auto_advance", !f.paid)
	w.kobj("automatic_tax")
	w.knull("disabled_reason")
	w.kbool("enabled", false)
	w.knull("liability")
	w.knull("status")
	w.end('}')
	if f.sub >= 0 {
		w.kstr("billing_reason", "subscription_cycle")
	} else {
		w.kstr("billing_reason", "manual")
	}
	w.kidOr("charge", d, famCharge, leadPlain, f.charge)
	w.kstr("collection_method", "charge_automatically")
	w.kint("created", f.created)
	w.kstr("currency", d.acct.Currency)
	w.knull("custom_fields")
	w.kid("customer", d, famCustomer, leadPlain, f.customer)
	w.knull("customer_address")
	w.kemail("customer_email", cust, f.customer, 0)
	w.kname("customer_name", cust)
	w.knull("customer_phone")
	w.knull("customer_shipping")
	w.kstr("customer_tax_exempt", "none")
	w.kemptyArr("customer_tax_ids")
	w.knull("default_payment_method")
	w.knull("default_source")
	w.kemptyArr("default_tax_rates")
	if r.v > 0 {
		w.kstr("description", "Revised invoice (revision "+strconv.Itoa(r.v)+")")
	} else {
		w.knull("description")
	}
	w.knull("discount")
	w.kemptyArr("discounts")
	w.knull("due_date")
	w.kint("effective_at", f.created)
	w.kint("ending_balance", 0)
	w.knull("footer")
	w.knull("from_invoice")
	w.key("hosted_invoice_url")
	w.b = append(w.b, `"https://invoice.stripe.com/i/`...)
	w.b = append(w.b, d.acct.ID...)
	w.b = d.auxID(w.b, "/test_", uint64(kInvoice)+0x200, j, 40)
	w.b = append(w.b, "?s=ap\""...)
	w.key("invoice_pdf")
	w.b = append(w.b, `"https://pay.stripe.com/invoice/`...)
	w.b = append(w.b, d.acct.ID...)
	w.b = d.auxID(w.b, "/test_", uint64(kInvoice)+0x200, j, 40)
	w.b = append(w.b, "/pdf?s=ap\""...)
	w.kobj("issuer")
	w.kstr("type", "self")
	w.end('}')
	w.knull("last_finalization_error")
	w.knull("latest_revision")
	d.writeInvoiceLines(w, j, &f)
	w.kbool("livemode", false)
	w.metadata(r)
	if f.paid {
		w.knull("next_payment_attempt")
	} else {
		w.kint("next_payment_attempt", f.created+3*day)
	}
	w.key("number")
	w.b = append(w.b, '"')
	w.b = d.appendInvoiceNumber(w.b, j, &f)
	w.b = append(w.b, '"')
	w.knull("on_behalf_of")
	w.kbool("paid", f.paid)
	w.kbool("paid_out_of_band", false)
	w.kidOr("payment_intent", d, famPaymentIntent, leadPlain, f.charge)
	w.kobj("payment_settings")
	w.knull("default_mandate")
	w.knull("payment_method_options")
	w.knull("payment_method_types")
	w.end('}')
	if f.sub >= 0 {
		w.kint("period_end", f.created)
		w.kint("period_start", addInterval(f.created, f.subF.interval, -1))
	} else {
		w.kint("period_end", f.created)
		w.kint("period_start", f.created)
	}
	credited := d.creditNoted(j)
	if f.paid {
		w.kint("post_payment_credit_notes_amount", credited)
		w.kint("pre_payment_credit_notes_amount", 0)
	} else {
		w.kint("post_payment_credit_notes_amount", 0)
		w.kint("pre_payment_credit_notes_amount", credited)
	}
	w.knull("quote")
	w.knull("receipt_number")
	w.knull("rendering")
	w.knull("shipping_cost")
	w.knull("shipping_details")
	w.kint("starting_balance", 0)
	w.knull("statement_descriptor")
	if f.paid {
		w.kstr("status", "paid")
	} else {
		w.kstr("status", "open")
	}
	w.kobj("status_transitions")
	w.kint("finalized_at", f.created)
	w.knull("marked_uncollectible_at")
	if f.paid {
		w.kint("paid_at", d.created(kCharge, f.charge))
	} else {
		w.knull("paid_at")
	}
	w.knull("voided_at")
	w.end('}')
	w.kidOr("subscription", d, famSubscription, leadPlain, f.sub)
	if f.sub >= 0 {
		w.kobj("subscription_details")
		w.kempty("metadata")
		w.end('}')
	} else {
		w.knull("subscription_details")
	}
	w.kint("subtotal", f.total)
	w.kint("subtotal_excluding_tax", f.total)
	w.knull("tax")
	w.knull("test_clock")
	w.kint("total", f.total)
	w.kemptyArr("total_discount_amounts")
	w.kint("total_excluding_tax", f.total)
	w.kemptyArr("total_tax_amounts")
	w.knull("transfer_data")
	w.kint("webhooks_delivered_at", f.created)
	w.end('}')
}
