package sandbox

import "strconv"

// chargeFacts is what a charge's neighbours (its payment intent, refund,
// dispute, invoice and balance transaction) need to know about it.
type chargeFacts struct {
	created  int64
	amount   int64
	currency string
	customer int // -1 for a guest checkout
	invoice  int // -1 unless the charge pays an invoice
	invSub   bool
	failed   bool
}

// chargeFailed reports whether base charge i was declined: an invoice's
// failed attempt (see invPlan), or about one order in 25 (refunds and
// disputes are of orders that succeeded).
func (d *dataset) chargeFailed(i int) bool {
	if i >= d.base[kCharge] {
		return false
	}
	if r, inv := d.hist.invoiceChargeRank(i); inv {
		return d.hist.ch[r]&1 == 1
	}
	return d.otherChargeFailed(i)
}

// otherChargeFailed reports whether base charge i, an order, was declined.
func (d *dataset) otherChargeFailed(i int) bool { return d.hash(uint64(kCharge), i, sFail)%25 == 0 }

// charge returns the facts of charge i. Callers hold d.mu.
func (d *dataset) charge(i int) chargeFacts { return d.chargeWith(i, -1) }

// chargeWith is charge when customers, if not negative, is how many
// customers existed when the charge was made (a walk in created order knows).
func (d *dataset) chargeWith(i int, customers int) chargeFacts {
	f := chargeFacts{created: d.created(kCharge, i), customer: -1, invoice: -1, failed: d.chargeFailed(i)}
	if i < d.base[kCharge] {
		if r, ok := d.hist.invoiceChargeRank(i); ok {
			j := int(d.hist.ch[r] & 0xffffffff >> 3)
			inv := d.invoice(j)
			f.invoice, f.invSub, f.amount, f.currency, f.customer = j, inv.sub >= 0, inv.total, d.acct.Currency, inv.customer
			return f
		}
	}
	h := d.hash(uint64(kCharge), i, sAmount)
	if l, ok := d.link(kCharge, i); ok {
		f.customer = int(l[0])
	} else if h%5 != 0 {
		if customers < 0 {
			customers = d.countBefore(kCustomer, f.created+1)
		}
		f.customer = d.pickCustomerOf(uint64(kCharge), i, customers)
	}
	if f.customer >= 0 {
		f.currency = d.customerCurrency(f.customer)
	} else if (h>>4)%9 == 0 {
		f.currency = foreignCurrencies[(h>>8)%uint64(len(foreignCurrencies))]
	} else {
		f.currency = d.acct.Currency
	}
	dollars := int64(5 + (h>>12)%60)
	if (h>>20)%4 == 0 {
		dollars += int64((h >> 24) % 400)
	}
	cents := [...]int64{0, 0, 0, 50, 99, 95, 49, 25}[(h>>40)%8]
	f.amount = dollars*100 + cents
	return f
}

// chargeMoney is what charge i moved: its created, amount and currency.
// The payout schedule reads it for every charge, so an invoice's charge
// skips what only rendering needs.
func (d *dataset) chargeMoney(i int, customers int) (int64, int64, string) {
	if i < d.base[kCharge] {
		if r, ok := d.hist.invoiceChargeRank(i); ok {
			inv := d.invoiceOf(int(d.hist.ch[r]&0xffffffff>>3), false)
			return d.created(kCharge, i), inv.total, d.acct.Currency
		}
	}
	f := d.chargeWith(i, customers)
	return f.created, f.amount, f.currency
}

// chargeNet is the net of charge i's balance transaction (txn's amount
// less its fee), for the payout schedule's walk in created order, which
// passes how many customers existed.
func (d *dataset) chargeNet(i int, customers int) int64 {
	_, amount, currency := d.chargeMoney(i, customers)
	amount, _ = convertAmount(amount, currency, d.acct.Currency)
	return amount - chargeFee(amount)
}

// chargeFee is Stripe's fee on a charge of amount (settlement currency).
func chargeFee(amount int64) int64 { return amount*29/1000 + 30 }

// refundOf returns the refund of base charge i and its amount, if any.
func (d *dataset) refundOf(i int, amount int64) (int, int64, bool) {
	if i >= d.base[kCharge] {
		return 0, 0, false
	}
	x, ok := childIn(d.hist.ref, i)
	if !ok {
		return 0, 0, false
	}
	return x, refundAmount(d, x, amount), true
}

// refundAmount: seven refunds in ten are full, the rest half.
func refundAmount(d *dataset, x int, chargeAmount int64) int64 {
	if d.hash(uint64(kRefund), x, sAmount)%10 < 7 {
		return chargeAmount
	}
	return chargeAmount / 2
}

// card is the test card a charge was paid with.
type card struct {
	brand, network, funding, last4 string
	expMonth, expYear              int64
}

// cardOf draws the card of a customer (or of a guest charge).
func (d *dataset) cardOf(customer, charge int) card {
	what, i := uint64(kCustomer)+0x50, customer
	if customer < 0 {
		what, i = uint64(kCharge)+0x50, charge
	}
	h := d.hash(what, i, sCard)
	b := cardBrands[h%uint64(len(cardBrands))]
	return card{brand: b.brand, network: b.network, funding: b.funding,
		last4: b.last4, expMonth: int64(1 + (h>>8)%12), expYear: int64(2027 + (h>>16)%5)}
}

// payer returns who pays a charge: its customer, or a made-up guest.
func (d *dataset) payer(f *chargeFacts, i int) (person, int) {
	if f.customer >= 0 {
		return d.person(uint64(kCustomer), f.customer), f.customer
	}
	return d.person(uint64(kCharge), i), i + 1000000
}

// writeChargeDescription writes the charge's description at revision r.
func (w *jw) chargeDescription(f *chargeFacts, i int, r rev) {
	w.key("description")
	w.b = append(w.b, '"')
	switch {
	case f.invoice >= 0 && f.invSub:
		w.b = append(w.b, "Subscription update"...)
	case f.invoice >= 0:
		w.b = append(w.b, "Payment for Invoice"...)
	default:
		w.b = append(w.b, "Order #"...)
		w.b = strconv.AppendInt(w.b, int64(1001+i), 10)
	}
	if r.v > 0 {
		w.b = append(w.b, " (revision "...)
		w.b = strconv.AppendInt(w.b, int64(r.v), 10)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
}

// writeCharge renders charge i at revision r.
func (d *dataset) writeCharge(w *jw, i int, r rev) {
	f := d.charge(i)
	_, refunded, hasRefund := d.refundOf(i, f.amount)
	_, disputed := childIn(d.hist.dis, i)
	disputed = disputed && i < d.base[kCharge]
	who, whoN := d.payer(&f, i)
	c := d.cardOf(f.customer, i)
	w.begin('{')
	w.kid("id", d, famCharge, leadPlain, i)
	w.kstr("object", "charge")
	w.kint("amount", f.amount)
	if f.failed {
		w.kint("amount_captured", 0)
	} else {
		w.kint("amount_captured", f.amount)
	}
	w.kint("amount_refunded", refunded)
	w.knull("application")
	w.knull("application_fee")
	w.knull("application_fee_amount")
	if f.failed {
		w.knull("balance_transaction")
	} else {
		d.ktxn(w, leadTxnCharge, i)
	}
	w.kobj("billing_details")
	w.address("address", d, uint64(kCustomer), whoN)
	w.kemail("email", who, whoN, 0)
	w.kname("name", who)
	w.knull("phone")
	w.end('}')
	w.kstr("calculated_statement_descriptor", d.descriptor)
	w.kbool("captured", !f.failed)
	w.kint("created", f.created)
	w.kstr("currency", f.currency)
	w.kidOr("customer", d, famCustomer, leadPlain, f.customer)
	w.chargeDescription(&f, i, r)
	w.kbool("disputed", disputed)
	w.knull("failure_balance_transaction")
	dec := declines[d.hash(uint64(kCharge), i, sReason)%uint64(len(declines))]
	if f.failed {
		w.kstr("failure_code", dec.code)
		w.kstr("failure_message", dec.message)
	} else {
		w.knull("failure_code")
		w.knull("failure_message")
	}
	w.kempty("fraud_details")
	w.kidOr("invoice", d, famInvoice, leadPlain, f.invoice)
	w.kbool("livemode", false)
	w.metadata(r)
	w.knull("on_behalf_of")
	w.kobj("outcome")
	risk := int64(d.hash(uint64(kCharge), i, sMisc) % 65)
	if f.failed {
		w.kstr("network_status", "declined_by_network")
		w.kstr("reason", dec.decline)
		w.kstr("risk_level", "normal")
		w.kint("risk_score", risk)
		w.kstr("seller_message", "The bank did not return any further details with this decline.")
		w.kstr("type", "issuer_declined")
	} else {
		w.kstr("network_status", "approved_by_network")
		w.knull("reason")
		w.kstr("risk_level", "normal")
		w.kint("risk_score", risk)
		w.kstr("seller_message", "Payment complete.")
		w.kstr("type", "authorized")
	}
	w.end('}')
	w.kbool("paid", !f.failed)
	w.kid("payment_intent", d, famPaymentIntent, leadPlain, i)
	w.kaux("payment_method", d, "pm_", uint64(kCharge)+0x60, i, 24)
	w.kobj("payment_method_details")
	d.writeCardDetails(w, c, f, whoN)
	w.kstr("type", "card")
	w.end('}')
	w.kempty("radar_options")
	w.kemail("receipt_email", who, whoN, 0)
	w.knull("receipt_number")
	w.key("receipt_url")
	w.b = append(w.b, `"https://pay.stripe.com/receipts/payment/`...)
	w.b = d.auxID(w.b, "", uint64(kCharge)+0x70, i, 96)
	w.b = append(w.b, '"')
	w.kbool("refunded", hasRefund && refunded == f.amount)
	if w.more&xRefunds != 0 {
		d.writeChargeRefunds(w, i)
	}
	w.knull("review")
	w.knull("shipping")
	w.knull("source")
	w.knull("source_transfer")
	w.knull("statement_descriptor")
	w.knull("statement_descriptor_suffix")
	if f.failed {
		w.kstr("status", "failed")
	} else {
		w.kstr("status", "succeeded")
	}
	w.knull("transfer_data")
	w.knull("transfer_group")
	w.end('}')
}

// writeCardDetails writes payment_method_details.card.
func (d *dataset) writeCardDetails(w *jw, c card, f chargeFacts, whoN int) {
	w.kobj("card")
	if f.failed {
		w.knull("amount_authorized")
	} else {
		w.kint("amount_authorized", f.amount)
	}
	w.kstr("brand", c.brand)
	w.kobj("checks")
	w.kstr("address_line1_check", "pass")
	w.kstr("address_postal_code_check", "pass")
	w.kstr("cvc_check", "pass")
	w.end('}')
	w.kstr("country", d.acct.Country)
	w.kint("exp_month", c.expMonth)
	w.kint("exp_year", c.expYear)
	w.kobj("extended_authorization")
	w.kstr("status", "disabled")
	w.end('}')
	w.kaux("fingerprint", d, "", uint64(kCustomer)+0x80, whoN, 16)
	w.kstr("funding", c.funding)
	w.kobj("incremental_authorization")
	w.kstr("status", "unavailable")
	w.end('}')
	w.knull("installments")
	w.kstr("last4", c.last4)
	w.knull("mandate")
	w.kobj("multicapture")
	w.kstr("status", "unavailable")
	w.end('}')
	w.kstr("network", c.network)
	w.kobj("network_token")
	w.kbool("used", false)
	w.end('}')
	w.kobj("overcapture")
	w.kint("maximum_amount_capturable", f.amount)
	w.kstr("status", "unavailable")
	w.end('}')
	w.knull("three_d_secure")
	w.knull("wallet")
	w.end('}')
}
