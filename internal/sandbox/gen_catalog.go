package sandbox

import "strconv"

// The catalog: products, their prices (three per base product: one-time,
// monthly, yearly), plans (the recurring prices, seen through the legacy
// Plans API with the same ids, as Stripe does) and coupons.

// priceFacts is what a price's neighbours need to know about it.
type priceFacts struct {
	product  int
	interval string // "" for one-time prices, else "month" or "year"
	unit     int64
}

// Price variants, by index within a product's three.
const (
	priceOneTime = 0
	priceMonthly = 1
	priceYearly  = 2
)

func (d *dataset) productUnit(p int) int64 {
	return int64(3+d.hash(uint64(kProduct), p, sAmount)%45)*100 + 99
}

// price returns the facts of price i. Callers hold d.mu when i may be appended.
func (d *dataset) price(i int) priceFacts {
	var prod, variant int
	if i >= d.base[kPrice] {
		variant = int(d.ov[kPrice].variant[i-d.base[kPrice]])
		l, _ := d.link(kPrice, i)
		prod = int(l[0])
	} else {
		prod, variant = i/3, i%3
	}
	f := priceFacts{product: prod, unit: d.productUnit(prod)}
	switch variant {
	case priceMonthly:
		f.interval = "month"
	case priceYearly:
		// Ten months' price, to a multiple of twelve: a year bills a whole
		// number of minor units a month.
		f.interval, f.unit = "year", f.unit*10/12*12
	default:
		f.unit *= 3
	}
	return f
}

// recurringPrice reports whether price i is recurring, i.e. also a plan.
func (d *dataset) recurringPrice(i int) bool {
	if i >= d.base[kPrice] {
		return d.ov[kPrice].variant[i-d.base[kPrice]] != priceOneTime
	}
	return i%3 != priceOneTime
}

// productActive: one product in ten is archived.
func (d *dataset) productActive(p int) bool {
	return d.hash(uint64(kProduct), p, sStatus)%10 != 0
}

func (w *jw) productName(d *dataset, p int, r rev) {
	h := d.hash(uint64(kProduct), p, sName)
	w.key("name")
	w.b = append(w.b, '"')
	w.b = append(w.b, productAdjectives[h%uint64(len(productAdjectives))]...)
	w.b = append(w.b, ' ')
	w.b = append(w.b, productNouns[(h>>16)%uint64(len(productNouns))]...)
	if r.v > 0 {
		w.b = append(w.b, " (edition "...)
		w.b = strconv.AppendInt(w.b, int64(r.v+1), 10)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
}

// writeProduct renders product i at revision r.
func (d *dataset) writeProduct(w *jw, i int, r rev) {
	created := d.created(kProduct, i)
	w.begin('{')
	w.kid("id", d, famProduct, leadPlain, i)
	w.kstr("object", "product")
	w.kbool("active", d.productActive(i))
	w.kemptyArr("attributes")
	w.kint("created", created)
	if i < d.base[kProduct] {
		w.kid("default_price", d, famPrice, leadPlain, 3*i+priceMonthly)
	} else {
		w.knull("default_price")
	}
	w.knull("description")
	w.kemptyArr("features")
	w.kemptyArr("images")
	w.kbool("livemode", false)
	w.kemptyArr("marketing_features")
	w.metadata(r)
	w.productName(d, i, r)
	w.knull("package_dimensions")
	w.knull("shippable")
	w.knull("statement_descriptor")
	w.knull("tax_code")
	w.kstr("type", "service")
	w.knull("unit_label")
	if r.v > 0 {
		w.kint("updated", r.at)
	} else {
		w.kint("updated", created)
	}
	w.knull("url")
	w.end('}')
}

func (w *jw) priceNickname(f priceFacts, r rev) {
	name := "One-off"
	switch f.interval {
	case "month":
		name = "Monthly"
	case "year":
		name = "Yearly"
	}
	w.key("nickname")
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	if r.v > 0 {
		w.b = append(w.b, " (rev "...)
		w.b = strconv.AppendInt(w.b, int64(r.v), 10)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
}

// writePrice renders price i at revision r.
func (d *dataset) writePrice(w *jw, i int, r rev) {
	f := d.price(i)
	w.begin('{')
	w.kid("id", d, famPrice, leadPlain, i)
	w.kstr("object", "price")
	w.kbool("active", d.productActive(f.product))
	w.kstr("billing_scheme", "per_unit")
	w.kint("created", d.created(kPrice, i))
	w.kstr("currency", d.acct.Currency)
	w.knull("custom_unit_amount")
	w.kbool("livemode", false)
	w.knull("lookup_key")
	w.metadata(r)
	w.priceNickname(f, r)
	w.kid("product", d, famProduct, leadPlain, f.product)
	if f.interval == "" {
		w.knull("recurring")
	} else {
		w.kobj("recurring")
		w.knull("aggregate_usage")
		w.kstr("interval", f.interval)
		w.kint("interval_count", 1)
		w.knull("meter")
		w.knull("trial_period_days")
		w.kstr("usage_type", "licensed")
		w.end('}')
	}
	w.kstr("tax_behavior", "unspecified")
	w.knull("tiers_mode")
	w.knull("transform_quantity")
	if f.interval == "" {
		w.kstr("type", "one_time")
	} else {
		w.kstr("type", "recurring")
	}
	w.kint("unit_amount", f.unit)
	w.kamountDecimal("unit_amount_decimal", f.unit)
	w.end('}')
}

// writePlan renders recurring price i as the Plans API shows it.
func (d *dataset) writePlan(w *jw, i int, r rev) {
	f := d.price(i)
	w.begin('{')
	w.kid("id", d, famPrice, leadPlain, i)
	w.kstr("object", "plan")
	w.kbool("active", d.productActive(f.product))
	w.knull("aggregate_usage")
	w.kint("amount", f.unit)
	w.kamountDecimal("amount_decimal", f.unit)
	w.kstr("billing_scheme", "per_unit")
	w.kint("created", d.created(kPrice, i))
	w.kstr("currency", d.acct.Currency)
	w.kstr("interval", f.interval)
	w.kint("interval_count", 1)
	w.kbool("livemode", false)
	w.knull("meter")
	w.metadata(r)
	w.priceNickname(f, r)
	w.kid("product", d, famProduct, leadPlain, f.product)
	if w.more&xTiers != 0 {
		w.kemptyArr("tiers") // every plan bills per unit: no tiers
	}
	w.knull("tiers_mode")
	w.knull("transform_usage")
	w.knull("trial_period_days")
	w.kstr("usage_type", "licensed")
	w.end('}')
}

// couponFacts is what discounts need to know about a coupon.
type couponFacts struct {
	percent   int64 // percent_off; 0 for an amount_off coupon
	amountOff int64 // in the account's currency
	duration  string
	months    int64 // duration_in_months of a repeating coupon
}

// coupon returns the facts of coupon i.
func (d *dataset) coupon(i int) couponFacts {
	h := d.hash(uint64(kCoupon), i, sMisc)
	var f couponFacts
	if h%3 != 0 {
		f.percent = int64(10 + h%4*5)
	} else {
		f.amountOff = int64(5+h%4*5) * 100
	}
	switch (h >> 8) % 3 {
	case 0:
		f.duration = "once"
	case 1:
		f.duration, f.months = "repeating", int64(2+(h>>12)%4)
	default:
		f.duration = "forever"
	}
	return f
}

// writeCoupon renders coupon i at revision r.
func (d *dataset) writeCoupon(w *jw, i int, r rev) {
	h := d.hash(uint64(kCoupon), i, sMisc)
	c := d.coupon(i)
	created := d.created(kCoupon, i)
	w.begin('{')
	w.kid("id", d, famCoupon, leadPlain, i)
	w.kstr("object", "coupon")
	w.kintOr("amount_off", c.amountOff, c.percent == 0)
	w.kint("created", created)
	if c.percent != 0 {
		w.knull("currency")
	} else {
		w.kstr("currency", d.acct.Currency)
	}
	w.kstr("duration", c.duration)
	w.kintOr("duration_in_months", c.months, c.months != 0)
	w.kbool("livemode", false)
	limited := (h>>16)%4 == 0
	if limited {
		w.kint("max_redemptions", 100)
	} else {
		w.knull("max_redemptions")
	}
	w.metadata(r)
	w.key("name")
	w.b = append(w.b, '"')
	w.b = append(w.b, couponNames[(h>>20)%uint64(len(couponNames))]...)
	if r.v > 0 {
		w.b = append(w.b, " (rev "...)
		w.b = strconv.AppendInt(w.b, int64(r.v), 10)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
	w.kintOr("percent_off", c.percent, c.percent != 0)
	redeemBy := created + 90*day
	expired := redeemBy < d.end && (h>>24)%2 == 0
	if expired {
		w.kint("redeem_by", redeemBy)
	} else {
		w.knull("redeem_by")
	}
	redeemed := int64((h >> 28) % 120)
	if limited {
		redeemed = min(redeemed, 100)
	}
	w.kint("times_redeemed", redeemed)
	w.kbool("valid", !expired && !(limited && redeemed == 100))
	w.end('}')
}
