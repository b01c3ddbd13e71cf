package sandbox

import (
	"strconv"
	"time"
)

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

// lineFacts is one line of an invoice.
type lineFacts struct {
	price      int
	qty        int64
	unit       int64 // per unit; a proration's share of the period (negative for credits)
	amount     int64
	off        int64 // the coupon's discount on it
	start, end int64 // the period it bills
	proration  bool
	item       bool // an invoice item's line (one-off lines and prorations), not the subscription's
}

func (l lineFacts) net() int64 { return l.amount - l.off }

// lineOf returns line k of invoice j: a subscription invoice bills each
// item for its period (a trial's at $0), then, after a change of quantity,
// the two proration lines Stripe adds: a credit for the unused time at the
// old quantity and a charge for the remaining time at the new one.
func (d *dataset) lineOf(j int, f *invoiceFacts, k int) lineFacts {
	if f.sub < 0 {
		h := d.hash(uint64(kInvoice)+0x100, j*maxItems+k, sPrice)
		l := lineFacts{price: int(h%uint64(d.base[kProduct]))*3 + priceOneTime, qty: 1 + int64((h>>20)%3),
			start: f.created, end: f.created, item: true}
		l.unit = d.price(l.price).unit
		l.amount = l.qty * l.unit
		return l
	}
	s, sf := f.sub, &f.subF
	if k >= sf.items {
		m := sf.change - 1
		a, b := sf.bound(m), sf.bound(m+1)
		l := lineFacts{start: sf.changeAt, end: b, proration: true, item: true}
		l.price, _ = d.subItem(s, sf, 0)
		pu := (d.price(l.price).unit*(b-sf.changeAt) + (b-a)/2) / (b - a)
		if k == sf.items {
			l.qty, l.unit = sf.qty0, -pu
		} else {
			l.qty, l.unit = sf.qty1, pu
		}
		l.amount = l.qty * l.unit
		return l
	}
	var l lineFacts
	l.price, _ = d.subItem(s, sf, k)
	l.unit = d.price(l.price).unit
	switch {
	case j >= d.base[kInvoice]:
		_, l.qty = d.subItem(s, sf, k)
		l.start, l.end = f.created, addInterval(f.created, sf.interval, 1)
	case f.period < 0:
		l.qty = d.subQty(s, sf, k, 0)
		l.start, l.end = sf.created, sf.trialEnd
		l.unit = 0
	default:
		l.qty = d.subQty(s, sf, k, f.period)
		l.start, l.end = sf.bound(f.period), sf.bound(f.period+1)
	}
	l.amount = l.qty * l.unit
	if f.discount {
		if f.cf.percent != 0 {
			l.off = (l.amount*f.cf.percent + 50) / 100
		} else {
			// An amount off is taken from the lines in order, at most half the items' sum.
			var sum, before int64
			for x := 0; x < sf.items; x++ {
				_, q := d.subItem(s, sf, x)
				if j < d.base[kInvoice] {
					q = d.subQty(s, sf, x, f.period)
				}
				a := q * d.price(d.priceOfItem(s, sf, x)).unit
				sum += a
				if x < k {
					before += a
				}
			}
			left := max(0, min(f.cf.amountOff, sum/2)-before)
			l.off = min(left, l.amount)
		}
	}
	return l
}

// priceOfItem is the price of item k of subscription s.
func (d *dataset) priceOfItem(s int, f *subFacts, k int) int {
	p, _ := d.subItem(s, f, k)
	return p
}

// writeLine renders line k of invoice j.
func (d *dataset) writeLine(w *jw, j int, f *invoiceFacts, k int) {
	l := d.lineOf(j, f, k)
	pf := d.price(l.price)
	w.begin('{')
	w.kid("id", d, famLine, leadPlain, j*maxItems+k)
	w.kstr("object", "line_item")
	w.kint("amount", l.amount)
	w.kint("amount_excluding_tax", l.amount)
	w.kstr("currency", d.acct.Currency)
	w.key("description")
	w.b = append(w.b, '"')
	switch {
	case l.proration && l.unit < 0:
		w.b = append(w.b, "Unused time on "...)
	case l.proration:
		w.b = append(w.b, "Remaining time on "...)
	case f.sub >= 0 && f.period < 0 && j < d.base[kInvoice]:
		w.b = append(w.b, "Trial period for "...)
	}
	if f.sub >= 0 {
		w.b = strconv.AppendInt(w.b, l.qty, 10)
		w.b = append(w.b, " × "...)
	}
	w.b = d.appendProductName(w.b, pf.product)
	switch {
	case l.proration:
		w.b = append(w.b, " after "...)
		w.b = time.Unix(l.start, 0).UTC().AppendFormat(w.b, "02 Jan 2006")
	case f.sub >= 0:
		w.b = append(w.b, " (at "...)
		w.b = appendMoney(w.b, pf.unit, d.acct.Currency)
		w.b = append(w.b, " / "...)
		w.b = append(w.b, pf.interval...)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
	di := func() {
		w.b = d.auxID(append(w.b, '"'), "di_", uint64(kSubscription)+0xd1, f.sub, 24)
		w.b = append(w.b, '"')
	}
	if l.off > 0 {
		w.karr("discount_amounts")
		w.elem()
		w.begin('{')
		w.kint("amount", l.off)
		w.key("discount")
		di()
		w.end('}')
		w.end(']')
	} else {
		w.karr("discount_amounts")
		if f.discount && !l.proration {
			w.elem()
			w.begin('{')
			w.kint("amount", 0)
			w.key("discount")
			di()
			w.end('}')
		}
		w.end(']')
	}
	w.kbool("discountable", !l.proration)
	if l.off > 0 {
		w.karr("discounts")
		w.elem()
		di()
		w.end(']')
	} else {
		w.kemptyArr("discounts")
	}
	w.kid("invoice", d, famInvoice, leadPlain, j)
	if l.item {
		w.kid("invoice_item", d, famInvoiceItem, leadPlain, j*maxItems+k)
	} else {
		w.knull("invoice_item")
	}
	w.kbool("livemode", false)
	w.kempty("metadata")
	w.kobj("period")
	w.kint("end", l.end)
	w.kint("start", l.start)
	w.end('}')
	pr := d.current(kPrice, l.price)
	if f.sub >= 0 {
		w.key("plan")
		d.writePlan(w, l.price, pr)
	} else {
		w.knull("plan")
	}
	w.key("price")
	d.writePrice(w, l.price, pr)
	w.kbool("proration", l.proration)
	w.kobj("proration_details")
	if l.proration && l.unit < 0 && f.n > 0 {
		// The credit is for the line of the invoice that billed the period.
		w.kobj("credited_items")
		prev := d.subInvoiceIndex(f.sub, &f.subF, f.n-1)
		w.kidOr("invoice", d, famInvoice, leadPlain, prev)
		w.karr("invoice_line_items")
		w.elem()
		w.b = append(w.b, '"')
		w.b = d.appendID(w.b, famLine, leadPlain, prev*maxItems)
		w.b = append(w.b, '"')
		w.end(']')
		w.end('}')
	} else {
		w.knull("credited_items")
	}
	w.end('}')
	w.kint("quantity", l.qty)
	w.kidOr("subscription", d, famSubscription, leadPlain, f.sub)
	if f.sub >= 0 {
		w.kid("subscription_item", d, famSubItem, leadPlain, f.sub*maxItems+k%f.subF.items*(1-k/f.subF.items))
	} else {
		w.knull("subscription_item")
	}
	w.kint("subtotal", l.amount)
	w.kemptyArr("tax_amounts")
	w.kemptyArr("tax_rates")
	if l.item {
		w.kstr("type", "invoiceitem")
	} else {
		w.kstr("type", "subscription")
	}
	w.kamountDecimal("unit_amount_excluding_tax", l.unit)
	w.end('}')
}

// subInvoiceIndex is the index of invoice n of subscription s, or -1.
func (d *dataset) subInvoiceIndex(s int, f *subFacts, n int) int {
	t := uint64(subInvoiceCreated(f, n) - d.hist.t0)
	h := d.hist.inv
	want := uint64(s)<<8 | uint64(n)
	for j := sortSearch(len(h), func(j int) bool { return h[j]>>32 >= t }); j < len(h) && h[j]>>32 == t; j++ {
		if h[j]&0xffffffff == want {
			return j
		}
	}
	return -1
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
