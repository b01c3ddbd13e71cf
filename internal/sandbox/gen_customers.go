package sandbox

// customerCurrency is the currency customer i pays in: the account's own
// for most, another one for about one in seven.
func (d *dataset) customerCurrency(i int) string {
	h := d.hash(uint64(kCustomer), i, sCurrency)
	if h%7 != 0 {
		return d.acct.Currency
	}
	c := foreignCurrencies[(h>>8)%uint64(len(foreignCurrencies))]
	if c == d.acct.Currency {
		c = "usd"
		if d.acct.Currency == "usd" {
			c = "eur"
		}
	}
	return c
}

// pickCustomer draws a customer that existed at t for purpose (what, i), or
// -1 when there was none yet.
func (d *dataset) pickCustomer(what uint64, i int, t int64) int {
	return d.pickCustomerOf(what, i, d.countBefore(kCustomer, t+1))
}

// pickCustomerOf is pickCustomer when the n customers who existed are known.
func (d *dataset) pickCustomerOf(what uint64, i int, n int) int {
	if n == 0 {
		return -1
	}
	return int(d.hash(what, i, sPick) % uint64(n))
}

// writeCustomer renders customer i at revision r (API version 2023-10-16).
func (d *dataset) writeCustomer(w *jw, i int, r rev) {
	h := d.hash(uint64(kCustomer), i, sMisc)
	p := d.person(uint64(kCustomer), i)
	w.begin('{')
	w.kid("id", d, famCustomer, leadPlain, i)
	w.kstr("object", "customer")
	if h%4 == 0 {
		w.knull("address")
	} else {
		w.address("address", d, uint64(kCustomer), i)
	}
	w.kint("balance", 0)
	w.kint("created", d.created(kCustomer, i))
	w.kstr("currency", d.customerCurrency(i))
	w.knull("default_source")
	w.kbool("delinquent", h%23 == 0)
	w.knull("description")
	w.knull("discount")
	w.kemail("email", p, i, r.v)
	w.key("invoice_prefix")
	w.b = append(w.b, '"')
	w.b = d.appendInvoicePrefix(w.b, i)
	w.b = append(w.b, '"')
	w.kobj("invoice_settings")
	w.knull("custom_fields")
	w.knull("default_payment_method")
	w.knull("footer")
	w.knull("rendering_options")
	w.end('}')
	w.kbool("livemode", false)
	w.metadata(r)
	w.kname("name", p)
	w.kint("next_invoice_sequence", int64(2+h%40))
	w.knull("phone")
	w.kemptyArr("preferred_locales")
	w.knull("shipping")
	if w.more&xSources != 0 {
		w.key("sources")
		d.writeEmbeddedList(w, famCustomer, i, "/sources", nil)
	}
	if w.more&xSubscriptions != 0 {
		d.writeCustomerSubscriptions(w, i)
	}
	w.kstr("tax_exempt", "none")
	if w.more&xTaxIDs != 0 {
		w.key("tax_ids")
		d.writeEmbeddedList(w, famCustomer, i, "/tax_ids", nil)
	}
	w.knull("test_clock")
	w.end('}')
}

// appendInvoicePrefix appends customer i's invoice prefix: eight upper-case
// hexadecimal digits, like Stripe's.
func (d *dataset) appendInvoicePrefix(b []byte, i int) []byte {
	h := d.hash(uint64(kCustomer), i, sName+100)
	for k := 0; k < 8; k++ {
		b = append(b, "0123456789ABCDEF"[h&15])
		h >>= 4
	}
	return b
}
