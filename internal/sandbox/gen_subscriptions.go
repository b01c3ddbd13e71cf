package sandbox

// writeSubscription renders subscription i at revision r, with its items
// embedded as Stripe does.
func (d *dataset) writeSubscription(w *jw, i int, r rev) {
	f := d.sub(i)
	w.begin('{')
	w.kid("id", d, famSubscription, leadPlain, i)
	w.kstr("object", "subscription")
	w.knull("application")
	w.knull("application_fee_percent")
	w.kobj("automatic_tax")
	w.kbool("enabled", false)
	w.knull("liability")
	w.end('}')
	w.kint("billing_cycle_anchor", f.anchor)
	w.knull("billing_cycle_anchor_config")
	w.kobj("billing_mode")
	w.kstr("type", "classic")
	w.end('}')
	w.kemptyArr("billing_schedules")
	w.knull("billing_thresholds")
	// A revision (mutation) toggles a cancellation at the period's end.
	atPeriodEnd := f.atPeriodEnd != (r.v%2 == 1) && f.status != "canceled"
	w.kintOr("cancel_at", f.periodEnd, atPeriodEnd)
	w.kbool("cancel_at_period_end", atPeriodEnd)
	w.kintOr("canceled_at", f.canceledAt, f.canceledAt != 0)
	w.kobj("cancellation_details")
	w.knull("comment")
	w.knull("feedback")
	w.kstrOr("reason", f.reason)
	w.end('}')
	if f.send {
		w.kstr("collection_method", "send_invoice")
	} else {
		w.kstr("collection_method", "charge_automatically")
	}
	w.kint("created", f.created)
	w.kstr("currency", d.acct.Currency)
	w.kint("current_period_end", f.periodEnd)
	w.kint("current_period_start", f.periodStart)
	w.kid("customer", d, famCustomer, leadPlain, f.customer)
	w.kintOr("days_until_due", dueDays, f.send)
	w.kaux("default_payment_method", d, "pm_", uint64(kCustomer)+0x50, f.customer, 24)
	w.knull("default_source")
	w.kemptyArr("default_tax_rates")
	w.knull("description")
	if d.subDiscounted(&f) {
		w.key("discount")
		d.writeDiscount(w, i, &f)
		w.karr("discounts")
		w.elem()
		w.b = append(w.b, '"')
		w.b = d.auxID(w.b, "di_", uint64(kSubscription)+0xd1, i, 24)
		w.b = append(w.b, '"')
		w.end(']')
	} else {
		w.knull("discount")
		w.kemptyArr("discounts")
	}
	w.kintOr("ended_at", f.endedAt, f.endedAt != 0)
	w.kobj("invoice_settings")
	w.knull("account_tax_ids")
	w.kobj("issuer")
	w.kstr("type", "self")
	w.end('}')
	w.end('}')
	w.kobj("items")
	w.kstr("object", "list")
	w.karr("data")
	for k := 0; k < f.items; k++ {
		w.elem()
		d.writeSubItem(w, i, &f, k)
	}
	w.end(']')
	w.kbool("has_more", false)
	w.kint("total_count", int64(f.items))
	w.key("url")
	w.b = append(w.b, `"/v1/subscription_items?subscription=`...)
	w.b = d.appendID(w.b, famSubscription, leadPlain, i)
	w.b = append(w.b, '"')
	w.end('}')
	if f.nInv > 0 && i < d.base[kSubscription] {
		w.kidOr("latest_invoice", d, famInvoice, leadPlain, d.subInvoiceIndex(i, &f, f.nInv-1))
	} else {
		w.knull("latest_invoice")
	}
	w.kbool("livemode", false)
	w.metadata(r)
	w.knull("next_pending_invoice_item_invoice")
	w.knull("on_behalf_of")
	w.knull("pause_collection")
	w.kobj("payment_settings")
	w.knull("payment_method_options")
	w.knull("payment_method_types")
	w.kstr("save_default_payment_method", "off")
	w.end('}')
	w.knull("pending_invoice_item_interval")
	w.knull("pending_setup_intent")
	w.knull("pending_update")
	if f.items == 1 {
		p, qty := d.subItem(i, &f, 0)
		w.key("plan")
		d.writePlan(w, p, d.current(kPrice, p))
		w.kint("quantity", qty)
	} else {
		w.knull("plan")
		w.knull("quantity")
	}
	w.knull("schedule")
	w.kint("start_date", f.created)
	w.kstr("status", f.status)
	w.knull("test_clock")
	w.knull("transfer_data")
	w.kintOr("trial_end", f.trialEnd, f.trialEnd != 0)
	w.kobj("trial_settings")
	w.kobj("end_behavior")
	w.kstr("missing_payment_method", "create_invoice")
	w.end('}')
	w.end('}')
	w.kintOr("trial_start", f.created, f.trialEnd != 0)
	w.end('}')
}

// writeSubItem renders item k of subscription s.
func (d *dataset) writeSubItem(w *jw, s int, f *subFacts, k int) {
	p, qty := d.subItem(s, f, k)
	w.begin('{')
	w.kid("id", d, famSubItem, leadPlain, s*maxItems+k)
	w.kstr("object", "subscription_item")
	w.knull("billing_thresholds")
	w.kint("created", f.created+1)
	w.kint("current_period_end", f.periodEnd)
	w.kint("current_period_start", f.periodStart)
	w.kemptyArr("discounts")
	w.kempty("metadata")
	pr := d.current(kPrice, p)
	w.key("plan")
	d.writePlan(w, p, pr)
	w.key("price")
	d.writePrice(w, p, pr)
	w.kint("quantity", qty)
	w.kid("subscription", d, famSubscription, leadPlain, s)
	w.kemptyArr("tax_rates")
	w.end('}')
}

// subDiscounted reports whether the subscription's coupon still applies at
// the data's end: a forever one always, a once one until the first paid
// invoice, a repeating one for its months.
func (d *dataset) subDiscounted(f *subFacts) bool {
	if f.coupon < 0 {
		return false
	}
	switch c := d.coupon(f.coupon); c.duration {
	case "forever":
		return true
	case "once":
		return f.paid == 0
	default:
		return addMonthsClamped(f.created, int(c.months)) > d.end
	}
}
