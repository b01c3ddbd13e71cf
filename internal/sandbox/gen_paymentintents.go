package sandbox

// writePaymentIntent renders the payment intent of charge i. Payment
// intents have no revisions: Stripe sends no event when one is updated.
func (d *dataset) writePaymentIntent(w *jw, i int) {
	f := d.charge(i)
	who, whoN := d.payer(&f, i)
	w.begin('{')
	w.kid("id", d, famPaymentIntent, leadPlain, i)
	w.kstr("object", "payment_intent")
	w.kint("amount", f.amount)
	w.kint("amount_capturable", 0)
	w.kobj("amount_details")
	w.kempty("tip")
	w.end('}')
	if f.failed {
		w.kint("amount_received", 0)
	} else {
		w.kint("amount_received", f.amount)
	}
	w.knull("application")
	w.knull("application_fee_amount")
	w.kobj("automatic_payment_methods")
	w.kstr("allow_redirects", "always")
	w.kbool("enabled", true)
	w.end('}')
	w.knull("canceled_at")
	w.knull("cancellation_reason")
	w.kstr("capture_method", "automatic")
	w.key("client_secret")
	w.b = append(w.b, '"')
	w.b = d.appendID(w.b, famPaymentIntent, leadPlain, i)
	w.b = d.auxID(w.b, "_secret_", uint64(kCharge)+0x90, i, 25)
	w.b = append(w.b, '"')
	w.kstr("confirmation_method", "automatic")
	w.kint("created", f.created)
	w.kstr("currency", f.currency)
	w.kidOr("customer", d, famCustomer, leadPlain, f.customer)
	w.chargeDescription(&f, i, rev{})
	w.kidOr("invoice", d, famInvoice, leadPlain, f.invoice)
	if f.failed {
		dec := declines[d.hash(uint64(kCharge), i, sReason)%uint64(len(declines))]
		w.kobj("last_payment_error")
		w.kid("charge", d, famCharge, leadPlain, i)
		w.kstr("code", dec.code)
		w.kstr("decline_code", dec.decline)
		w.kstr("doc_url", "https://stripe.com/docs/error-codes/"+dec.code)
		w.kstr("message", dec.message)
		w.kstr("type", "card_error")
		w.end('}')
	} else {
		w.knull("last_payment_error")
	}
	w.kid("latest_charge", d, famCharge, leadPlain, i)
	w.kbool("livemode", false)
	w.kempty("metadata")
	w.knull("next_action")
	w.knull("on_behalf_of")
	if f.failed {
		w.knull("payment_method")
	} else {
		w.kaux("payment_method", d, "pm_", uint64(kCharge)+0x60, i, 24)
	}
	w.knull("payment_method_configuration_details")
	w.kobj("payment_method_options")
	w.kobj("card")
	w.knull("installments")
	w.knull("mandate_options")
	w.knull("network")
	w.kstr("request_three_d_secure", "automatic")
	w.end('}')
	w.end('}')
	w.karr("payment_method_types")
	w.elem()
	w.str("card")
	w.end(']')
	w.knull("processing")
	w.kemail("receipt_email", who, whoN, 0)
	w.knull("review")
	w.knull("setup_future_usage")
	w.knull("shipping")
	w.knull("source")
	w.knull("statement_descriptor")
	w.knull("statement_descriptor_suffix")
	if f.failed {
		w.kstr("status", "requires_payment_method")
	} else {
		w.kstr("status", "succeeded")
	}
	w.knull("transfer_data")
	w.knull("transfer_group")
	w.end('}')
}
