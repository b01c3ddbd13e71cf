package sandbox

// subFacts is what a subscription's neighbours need to know about it.
type subFacts struct {
	created     int64
	customer    int
	interval    string // "month" or "year"
	items       int    // 1–3 subscription items
	status      string
	canceledAt  int64 // 0 unless canceled
	trialEnd    int64 // 0 unless trialing
	periodStart int64
	periodEnd   int64
}

// maxItems bounds items per subscription and lines per invoice; ids of
// children encode parent*maxItems + k.
const maxItems = 4

// sub returns the facts of subscription i. Callers hold d.mu.
func (d *dataset) sub(i int) subFacts {
	h := d.hash(uint64(kSubscription), i, sMisc)
	f := subFacts{created: d.created(kSubscription, i), interval: "month", items: d.subItemCount(i)}
	if l, ok := d.link(kSubscription, i); ok {
		f.customer = int(l[0])
	} else {
		f.customer = max(d.pickCustomer(uint64(kSubscription), i, f.created), 0)
	}
	if h%100 >= 85 {
		f.interval = "year"
	}
	anchor, ref := f.created, d.end
	x := (h >> 16) % 100
	switch {
	case f.created > d.end-14*day && x < 30:
		f.status, f.trialEnd = "trialing", f.created+14*day
		anchor = f.trialEnd
	case x < 70:
		f.status = "active"
	case x < 86:
		f.status = "canceled"
		f.canceledAt = addInterval(f.created, f.interval, 1+int((h>>24)%12)) - 3*day
		if f.canceledAt >= d.end {
			f.status, f.canceledAt = "active", 0
		} else {
			ref = f.canceledAt
		}
	case x < 91:
		f.status = "past_due"
	case x < 93:
		f.status = "unpaid"
	default:
		f.status = "active"
	}
	if f.trialEnd != 0 {
		f.periodStart, f.periodEnd = f.created, f.trialEnd
	} else {
		f.periodStart, f.periodEnd = period(anchor, f.interval, ref)
	}
	return f
}

// subItemCount is how many items subscription i has: 1 (six in ten), 2 or 3.
func (d *dataset) subItemCount(i int) int {
	switch (d.hash(uint64(kSubscription), i, sMisc) >> 8) % 10 {
	case 6, 7, 8:
		return 2
	case 9:
		return 3
	}
	return 1
}

// period returns the billing period [start, end) that contains ref for a
// subscription anchored at anchor.
func period(anchor int64, interval string, ref int64) (int64, int64) {
	approx := int64(30 * day)
	if interval == "year" {
		approx = 365 * day
	}
	m := int(max(0, (ref-anchor)/approx))
	for m > 0 && addInterval(anchor, interval, m) > ref {
		m--
	}
	for addInterval(anchor, interval, m+1) <= ref {
		m++
	}
	return addInterval(anchor, interval, m), addInterval(anchor, interval, m+1)
}

// subItem returns the price and quantity of item k of subscription s.
func (d *dataset) subItem(s int, f *subFacts, k int) (price int, qty int64) {
	h := d.hash(uint64(kSubscription)+0x100, s*maxItems+k, sPrice)
	variant := priceMonthly
	if f.interval == "year" {
		variant = priceYearly
	}
	price = int(h%uint64(d.base[kProduct]))*3 + variant
	qty = 1
	if (h>>20)%5 == 0 {
		qty = int64(2 + (h>>24)%4)
	}
	return price, qty
}

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
	anchor := f.created
	if f.trialEnd != 0 {
		anchor = f.trialEnd
	}
	w.kint("billing_cycle_anchor", anchor)
	w.knull("billing_cycle_anchor_config")
	w.kobj("billing_mode")
	w.kstr("type", "classic")
	w.end('}')
	w.kemptyArr("billing_schedules")
	w.knull("billing_thresholds")
	w.knull("cancel_at")
	w.kbool("cancel_at_period_end", r.v%2 == 1 && f.status != "canceled")
	w.kintOr("canceled_at", f.canceledAt, f.canceledAt != 0)
	w.kobj("cancellation_details")
	w.knull("comment")
	w.knull("feedback")
	if f.canceledAt != 0 {
		w.kstr("reason", "cancellation_requested")
	} else {
		w.knull("reason")
	}
	w.end('}')
	w.kstr("collection_method", "charge_automatically")
	w.kint("created", f.created)
	w.kstr("currency", d.acct.Currency)
	w.kint("current_period_end", f.periodEnd)
	w.kint("current_period_start", f.periodStart)
	w.kid("customer", d, famCustomer, leadPlain, f.customer)
	w.knull("days_until_due")
	w.kaux("default_payment_method", d, "pm_", uint64(kCustomer)+0x50, f.customer, 24)
	w.knull("default_source")
	w.kemptyArr("default_tax_rates")
	w.knull("description")
	w.knull("discount")
	w.kemptyArr("discounts")
	w.kintOr("ended_at", f.canceledAt, f.canceledAt != 0)
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
	w.knull("latest_invoice")
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
