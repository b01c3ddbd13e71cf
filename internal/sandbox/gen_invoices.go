package sandbox

import "strconv"

// invoiceFacts is what an invoice's neighbours need to know about it.
type invoiceFacts struct {
	created  int64
	sub      int // -1 for one-off invoices
	n        int // the invoice's number within its subscription
	period   int // the paid period it bills; -1 for a trial's invoice
	subF     subFacts
	customer int
	lines    int
	plan     invPlan
	prorate  bool
	discount bool // the subscription's coupon applies
	cf       couponFacts
	subtotal int64
	off      int64 // total discount
	total    int64
}

// invoice returns the facts of invoice j. Callers hold d.mu.
func (d *dataset) invoice(j int) invoiceFacts { return d.invoiceOf(j, true) }

// invoiceOf returns the facts of invoice j; without who, a one-off
// invoice's customer is left out (it costs a search of the customers).
func (d *dataset) invoiceOf(j int, who bool) invoiceFacts {
	f := invoiceFacts{created: d.created(kInvoice, j), sub: -1}
	if j >= d.base[kInvoice] {
		// Appended by a mutation: open, waiting for payment.
		l, _ := d.link(kInvoice, j)
		f.customer, f.sub, f.plan = int(l[0]), int(l[1]), invPlan{created: f.created, status: "open"}
		if f.sub >= 0 {
			f.subF = d.sub(f.sub)
			f.lines, f.n, f.period = f.subF.items, f.subF.nInv, f.subF.paid
		} else {
			f.lines = 1 + int(d.hash(uint64(kInvoice), j, sMisc)%2)
		}
	} else {
		e := d.hist.inv[j]
		if e&oneOffFlag != 0 {
			q := int(e & (oneOffFlag - 1))
			f.lines, f.plan = oneOffLines(d, q), d.oneOffPlan(q, f.created)
			if who {
				f.customer = max(d.pickCustomer(uint64(kInvoice), j, f.created), 0)
			}
		} else {
			f.sub, f.n = int(e&0xffffffff>>8), int(e&0xff)
			f.subF = d.subForInvoice(f.sub)
			f.customer, f.lines = f.subF.customer, f.subF.items
			f.period = f.n - f.subF.hasTrial()
			f.plan = d.subInvoicePlan(f.sub, &f.subF, f.n)
			if f.period > 0 && f.period == f.subF.change {
				f.prorate, f.lines = true, f.lines+2
			}
		}
	}
	if f.sub >= 0 && f.subF.coupon >= 0 && f.period >= 0 {
		f.cf = d.coupon(f.subF.coupon)
		switch f.cf.duration {
		case "forever":
			f.discount = true
		case "once":
			f.discount = f.period == 0
		default:
			f.discount = f.subF.bound(f.period) < addMonthsClamped(f.subF.created, int(f.cf.months))
		}
	}
	for k := 0; k < f.lines; k++ {
		l := d.lineOf(j, &f, k)
		f.subtotal += l.amount
		f.off += l.off
	}
	f.total = f.subtotal - f.off
	return f
}

// paid is what was paid on the invoice.
func (f *invoiceFacts) paid() int64 {
	if f.plan.status == "paid" {
		return f.total
	}
	return 0
}

// remaining is what is still due on the invoice.
func (f *invoiceFacts) remaining() int64 {
	if f.plan.status == "open" || f.plan.status == "uncollectible" {
		return f.total
	}
	return 0
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
	if x, ok := childIn(d.hist.cn, j); ok && d.exists(kCreditNote, x) {
		return d.creditNote(x).amount
	}
	return 0
}

// writeInvoice renders invoice j at revision r, with its lines embedded.
func (d *dataset) writeInvoice(w *jw, j int, r rev) {
	f := d.invoice(j)
	p := &f.plan
	charge := -1
	if j < d.base[kInvoice] {
		charge = d.chargeOf(j, p, p.charges-1) // the latest
	}
	cust := d.person(uint64(kCustomer), f.customer)
	open := p.status == "open"
	w.begin('{')
	w.kid("id", d, famInvoice, leadPlain, j)
	w.kstr("object", "invoice")
	w.kstr("account_country", d.acct.Country)
	w.kstr("account_name", d.acct.Name)
	w.knull("account_tax_ids")
	w.kint("amount_due", f.total)
	w.kint("amount_overpaid", 0)
	w.kint("amount_paid", f.paid())
	w.kint("amount_paid_off_stripe", 0)
	w.kint("amount_remaining", f.remaining())
	w.kint("amount_shipping", 0)
	w.knull("application")
	w.knull("application_fee_amount")
	w.kint("attempt_count", int64(p.charges))
	w.kbool("attempted", p.charges > 0 || p.status == "paid")
	w.kbool("auto_advance", open)
	w.kobj("automatic_tax")
	w.knull("disabled_reason")
	w.kbool("enabled", false)
	w.knull("liability")
	w.knull("status")
	w.end('}')
	switch {
	case f.sub < 0:
		w.kstr("billing_reason", "manual")
	case f.n == 0:
		w.kstr("billing_reason", "subscription_create")
	default:
		w.kstr("billing_reason", "subscription_cycle")
	}
	w.kidOr("charge", d, famCharge, leadPlain, charge)
	if p.send {
		w.kstr("collection_method", "send_invoice")
	} else {
		w.kstr("collection_method", "charge_automatically")
	}
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
	if f.discount {
		w.key("discount")
		d.writeDiscount(w, f.sub, &f.subF)
		w.karr("discounts")
		w.elem()
		w.b = append(w.b, '"')
		w.b = d.auxID(w.b, "di_", uint64(kSubscription)+0xd1, f.sub, 24)
		w.b = append(w.b, '"')
		w.end(']')
	} else {
		w.knull("discount")
		w.kemptyArr("discounts")
	}
	w.kintOr("due_date", p.due, p.send)
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
	w.kintOr("next_payment_attempt", p.next, p.next != 0)
	w.key("number")
	w.b = append(w.b, '"')
	w.b = d.appendInvoiceNumber(w.b, j, &f)
	w.b = append(w.b, '"')
	w.knull("on_behalf_of")
	w.kbool("paid", p.status == "paid")
	w.kbool("paid_out_of_band", false)
	w.kidOr("payment_intent", d, famPaymentIntent, leadPlain, charge)
	w.kobj("payment_settings")
	w.knull("default_mandate")
	w.knull("payment_method_options")
	w.knull("payment_method_types")
	w.end('}')
	if f.sub >= 0 && f.n > 0 {
		w.kint("period_end", f.created)
		w.kint("period_start", subInvoiceCreated(&f.subF, f.n-1))
	} else {
		w.kint("period_end", f.created)
		w.kint("period_start", f.created)
	}
	credited := d.creditNoted(j)
	if p.status == "paid" {
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
	w.kstr("status", p.status)
	w.kobj("status_transitions")
	w.kint("finalized_at", f.created)
	w.kintOr("marked_uncollectible_at", p.settled, p.status == "uncollectible")
	w.kintOr("paid_at", p.settled, p.status == "paid")
	w.kintOr("voided_at", p.settled, p.status == "void")
	w.end('}')
	w.kidOr("subscription", d, famSubscription, leadPlain, f.sub)
	if f.sub >= 0 {
		w.kobj("subscription_details")
		w.kempty("metadata")
		w.end('}')
	} else {
		w.knull("subscription_details")
	}
	w.kint("subtotal", f.subtotal)
	w.kint("subtotal_excluding_tax", f.subtotal)
	w.knull("tax")
	w.knull("test_clock")
	w.kint("total", f.total)
	if f.off > 0 {
		w.karr("total_discount_amounts")
		w.elem()
		w.begin('{')
		w.kint("amount", f.off)
		w.kaux("discount", d, "di_", uint64(kSubscription)+0xd1, f.sub, 24)
		w.end('}')
		w.end(']')
	} else {
		w.kemptyArr("total_discount_amounts")
	}
	w.kint("total_excluding_tax", f.total)
	w.kemptyArr("total_tax_amounts")
	w.knull("transfer_data")
	w.kint("webhooks_delivered_at", f.created)
	w.end('}')
}

// writeDiscount writes the discount of subscription s's coupon, as Stripe
// shapes it on a subscription and its invoices: the coupon in full, and
// again under source as newer API versions give it (expanded: a client of
// either version finds the coupon's terms where it looks).
func (d *dataset) writeDiscount(w *jw, s int, f *subFacts) {
	w.begin('{')
	w.kaux("id", d, "di_", uint64(kSubscription)+0xd1, s, 24)
	w.kstr("object", "discount")
	w.knull("checkout_session")
	w.key("coupon")
	d.writeCoupon(w, f.coupon, d.current(kCoupon, f.coupon))
	w.kid("customer", d, famCustomer, leadPlain, f.customer)
	if c := d.coupon(f.coupon); c.duration == "repeating" {
		w.kint("end", addMonthsClamped(f.created, int(c.months)))
	} else {
		w.knull("end")
	}
	w.knull("invoice")
	w.knull("invoice_item")
	w.knull("promotion_code")
	w.kobj("source")
	w.key("coupon")
	d.writeCoupon(w, f.coupon, d.current(kCoupon, f.coupon))
	w.kstr("type", "coupon")
	w.end('}')
	w.kint("start", f.created)
	w.kid("subscription", d, famSubscription, leadPlain, s)
	w.knull("subscription_item")
	w.end('}')
}
