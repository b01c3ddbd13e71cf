package sandbox

import "strconv"

// Refunds, disputes, payouts and the balance transactions they make.

// Leads of balance transaction ids: which stream the transaction belongs to.
const (
	leadTxnCharge  = 'c'
	leadTxnDispute = 'd'
	leadTxnPayout  = 'p'
	leadTxnRefund  = 'r'
)

// succeededCharge draws a base charge that succeeded, for objects that
// mutations append (refunds, disputes).
func (d *dataset) succeededCharge(what uint64, x int) int {
	i := int(d.hash(what, x, sTarget) % uint64(d.base[kCharge]))
	for k := 0; k < d.base[kCharge] && d.chargeFailed(i); k++ {
		i = (i + 1) % d.base[kCharge]
	}
	return i
}

// paymentChild is a refund or dispute with the charge it belongs to.
type paymentChild struct {
	charge int
	cf     chargeFacts
	amount int64
}

func (d *dataset) refund(x int) paymentChild {
	c := 0
	if x < d.base[kRefund] {
		c = int(d.hist.ref[x])
	} else {
		c = d.succeededCharge(uint64(kRefund), x)
	}
	cf := d.charge(c)
	return paymentChild{charge: c, cf: cf, amount: refundAmount(d, x, cf.amount)}
}

func (d *dataset) dispute(x int) paymentChild {
	c := 0
	if x < d.base[kDispute] {
		c = int(d.hist.dis[x])
	} else {
		c = d.succeededCharge(uint64(kDispute), x)
	}
	cf := d.charge(c)
	return paymentChild{charge: c, cf: cf, amount: cf.amount}
}

// writeRefund renders refund x at revision r.
func (d *dataset) writeRefund(w *jw, x int, r rev) {
	f := d.refund(x)
	w.begin('{')
	w.kid("id", d, famRefund, leadPlain, x)
	w.kstr("object", "refund")
	w.kint("amount", f.amount)
	d.ktxn(w, leadTxnRefund, x)
	w.kid("charge", d, famCharge, leadPlain, f.charge)
	w.kint("created", d.created(kRefund, x))
	w.kstr("currency", f.cf.currency)
	w.kobj("destination_details")
	w.kobj("card")
	w.kaux("reference", d, "", uint64(kRefund)+0x10, x, 10)
	w.kstr("reference_status", "available")
	w.kstr("reference_type", "acquirer_reference_number")
	w.kstr("type", "refund")
	w.end('}')
	w.kstr("type", "card")
	w.end('}')
	w.metadata(r)
	w.kid("payment_intent", d, famPaymentIntent, leadPlain, f.charge)
	reason := refundReasons[d.hash(uint64(kRefund), x, sReason)%uint64(len(refundReasons))]
	w.kstrOr("reason", reason)
	w.knull("receipt_number")
	w.knull("source_transfer_reversal")
	w.kstr("status", "succeeded")
	w.knull("transfer_reversal")
	w.end('}')
}

// disputeFee is Stripe's dispute fee in the account currency's minor units.
const disputeFee = 1500

// writeDispute renders dispute x at revision r, with its balance
// transaction embedded as Stripe does.
func (d *dataset) writeDispute(w *jw, x int, r rev) {
	f := d.dispute(x)
	created := d.created(kDispute, x)
	h := d.hash(uint64(kDispute), x, sStatus)
	status := d.disputeStatus(x)
	c := d.cardOf(f.cf.customer, f.charge)
	w.begin('{')
	w.kid("id", d, famDispute, leadPlain, x)
	w.kstr("object", "dispute")
	w.kint("amount", f.amount)
	w.karr("balance_transactions")
	w.elem()
	d.writeTxn(w, leadTxnDispute, x)
	if status == "won" && x < d.base[kDispute] {
		w.elem()
		d.writeTxn(w, leadTxnDisputeWon, x)
	}
	w.end(']')
	w.kid("charge", d, famCharge, leadPlain, f.charge)
	w.kint("created", created)
	w.kstr("currency", f.cf.currency)
	w.kemptyArr("enhanced_eligibility_types")
	w.kobj("evidence")
	for _, k := range evidenceFields {
		if k == "enhanced_evidence" {
			w.kempty(k)
			continue
		}
		w.knull(k)
	}
	w.end('}')
	w.kobj("evidence_details")
	if status == "needs_response" {
		w.kint("due_by", created+21*day)
	} else {
		w.knull("due_by")
	}
	w.kempty("enhanced_eligibility")
	w.kbool("has_evidence", status != "needs_response")
	w.kbool("past_due", false)
	if status == "needs_response" {
		w.kint("submission_count", 0)
	} else {
		w.kint("submission_count", 1)
	}
	w.end('}')
	w.kbool("is_charge_refundable", false)
	w.kbool("livemode", false)
	w.metadata(r)
	w.kid("payment_intent", d, famPaymentIntent, leadPlain, f.charge)
	w.kobj("payment_method_details")
	w.kobj("card")
	w.kstr("brand", c.brand)
	w.kstr("case_type", "chargeback")
	w.kstr("network", c.network)
	w.kstr("network_reason_code", "10.4")
	w.end('}')
	w.kstr("type", "card")
	w.end('}')
	w.kstr("reason", disputeReasons[(h>>8)%uint64(len(disputeReasons))])
	w.kstr("status", status)
	w.end('}')
}

// disputeStatus is dispute x's status: needs_response for three weeks,
// then closed: won, lost or warning_closed. Disputes that mutations append
// are young and need a response.
func (d *dataset) disputeStatus(x int) string {
	if d.created(kDispute, x) >= d.end-21*day {
		return "needs_response"
	}
	return [...]string{"won", "lost", "won", "warning_closed"}[d.hash(uint64(kDispute), x, sStatus)%4]
}

var evidenceFields = [...]string{
	"access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure",
	"cancellation_rebuttal", "customer_communication", "customer_email_address", "customer_name",
	"customer_purchase_ip", "customer_signature", "duplicate_charge_documentation",
	"duplicate_charge_explanation", "duplicate_charge_id", "enhanced_evidence", "product_description",
	"receipt", "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date",
	"service_documentation", "shipping_address", "shipping_carrier", "shipping_date",
	"shipping_documentation", "shipping_tracking_number", "uncategorized_file", "uncategorized_text",
}

// Why payouts fail, as Stripe's failure codes and messages say it.
var payoutFailures = [...]struct{ code, message string }{
	{"account_closed", "The bank account has been closed."},
	{"no_account", "The bank account details on file are probably incorrect. No bank account could be located with those details."},
	{"could_not_process", "The bank could not process this payout."},
}

// writePayout renders payout x at revision r.
func (d *dataset) writePayout(w *jw, x int, r rev) {
	f := d.payout(x)
	status := d.payoutStatus(&f)
	w.begin('{')
	w.kid("id", d, famPayout, leadPlain, x)
	w.kstr("object", "payout")
	w.kint("amount", f.amount)
	w.knull("application_fee")
	w.knull("application_fee_amount")
	w.kint("arrival_date", f.arrival)
	w.kbool("automatic", f.automatic)
	d.ktxn(w, leadTxnPayout, x)
	w.kint("created", f.created)
	w.kstr("currency", d.acct.Currency)
	w.key("description")
	w.b = append(w.b, `"STRIPE PAYOUT`...)
	if r.v > 0 {
		w.b = append(w.b, " (revision "...)
		w.b = strconv.AppendInt(w.b, int64(r.v), 10)
		w.b = append(w.b, ')')
	}
	w.b = append(w.b, '"')
	d.kdestination(w)
	fail := payoutFailures[d.hash(uint64(kPayout), x, sReason)%uint64(len(payoutFailures))]
	if f.failed {
		w.kid("failure_balance_transaction", d, famTxn, leadTxnPayoutFail, x)
		w.kstr("failure_code", fail.code)
		w.kstr("failure_message", fail.message)
	} else {
		w.knull("failure_balance_transaction")
		w.knull("failure_code")
		w.knull("failure_message")
	}
	w.kbool("livemode", false)
	w.metadata(r)
	w.kstr("method", "standard")
	w.knull("original_payout")
	switch {
	case !f.automatic:
		w.kstr("reconciliation_status", "not_applicable")
	case status == "in_transit":
		w.kstr("reconciliation_status", "in_progress")
	default:
		w.kstr("reconciliation_status", "completed")
	}
	w.knull("reversed_by")
	w.kstr("source_type", "card")
	w.knull("statement_descriptor")
	w.kstr("status", status)
	w.kstr("type", "bank_account")
	w.end('}')
}

// txnFacts is one balance transaction: its source and the money it moved.
type txnFacts struct {
	created   int64
	amount    int64
	fee       int64
	rate      string // exchange rate, "" when none
	category  string // reporting_category
	typ       string
	feeDesc   string
	desc      string
	available int64
	source    family
}

// txn returns the facts of balance transaction (lead, x).
func (d *dataset) txn(lead byte, x int) txnFacts {
	cur := d.acct.Currency
	switch lead {
	case leadTxnCharge:
		created, amount, currency := d.chargeMoney(x, -1)
		amount, rate := convert(amount, currency, cur)
		fee := chargeFee(amount)
		return txnFacts{created: created, amount: amount, fee: fee, rate: rate, category: "charge",
			typ: "charge", feeDesc: "Stripe processing fees", available: created + 2*day, source: famCharge}
	case leadTxnRefund:
		f := d.refund(x)
		amount, rate := convert(f.amount, f.cf.currency, cur)
		created := d.created(kRefund, x)
		return txnFacts{created: created, amount: -amount, rate: rate, category: "refund", typ: "refund",
			desc: "REFUND FOR CHARGE", available: created, source: famRefund}
	case leadTxnDispute:
		f := d.dispute(x)
		amount, rate := convert(f.amount, f.cf.currency, cur)
		created := d.created(kDispute, x)
		return txnFacts{created: created, amount: -amount, fee: disputeFee, rate: rate, category: "dispute",
			typ: "adjustment", feeDesc: "Dispute fee", desc: "Chargeback withdrawal", available: created, source: famDispute}
	case leadTxnDisputeWon:
		f := d.dispute(x)
		amount, rate := convert(f.amount, f.cf.currency, cur)
		created := d.txnCreated(lead, x)
		return txnFacts{created: created, amount: amount, rate: rate, category: "dispute_reversal",
			typ: "adjustment", desc: "Chargeback reversal", available: created, source: famDispute}
	case leadTxnFee:
		created := d.txnCreated(lead, x)
		return txnFacts{created: created, amount: d.stripeFee(x), category: "fee", typ: "stripe_fee",
			desc: "Billing - Usage Fee", available: created, source: numFamilies}
	case leadTxnPayoutFail:
		f := d.payout(x)
		created := d.txnCreated(lead, x)
		return txnFacts{created: created, amount: f.amount, category: "payout_reversal", typ: "payout_failure",
			desc: "STRIPE PAYOUT FAILURE", available: created, source: famPayout}
	default:
		f := d.payout(x)
		return txnFacts{created: f.created, amount: -f.amount, category: "payout", typ: "payout",
			desc: "STRIPE PAYOUT", available: f.created, source: famPayout}
	}
}

// ktxn writes the member balance_transaction of a charge, refund or
// payout: the id of balance transaction (lead, x), or the object itself
// when the request expands it.
func (d *dataset) ktxn(w *jw, lead byte, x int) {
	if !w.expandTxn {
		w.kid("balance_transaction", d, famTxn, lead, x)
		return
	}
	w.key("balance_transaction")
	d.writeTxn(w, lead, x)
}

// writeTxn renders balance transaction (lead, x).
func (d *dataset) writeTxn(w *jw, lead byte, x int) {
	f := d.txn(lead, x)
	w.begin('{')
	w.kid("id", d, famTxn, lead, x)
	w.kstr("object", "balance_transaction")
	w.kint("amount", f.amount)
	w.kint("available_on", f.available)
	w.kstr("balance_type", "payments")
	w.kint("created", f.created)
	w.kstr("currency", d.acct.Currency)
	w.kstrOr("description", f.desc)
	if f.rate == "" {
		w.knull("exchange_rate")
	} else {
		w.kraw("exchange_rate", f.rate)
	}
	w.kint("fee", f.fee)
	if f.fee == 0 {
		w.kemptyArr("fee_details")
	} else {
		w.karr("fee_details")
		w.elem()
		w.begin('{')
		w.kint("amount", f.fee)
		w.knull("application")
		w.kstr("currency", d.acct.Currency)
		w.kstr("description", f.feeDesc)
		w.kstr("type", "stripe_fee")
		w.end('}')
		w.end(']')
	}
	w.kint("net", f.amount-f.fee)
	w.kstr("reporting_category", f.category)
	if f.source == numFamilies {
		w.knull("source")
	} else {
		w.kid("source", d, f.source, leadPlain, x)
	}
	if f.available <= d.end {
		w.kstr("status", "available")
	} else {
		w.kstr("status", "pending")
	}
	w.kstr("type", f.typ)
	w.end('}')
}
