package sandbox

import "github.com/ledgerline/ledgerline/internal/stripespec"

// view is one of the 17 object types the sandbox serves, keyed as the
// warehouse tables and /_sandbox/truth are.
type view uint8

const (
	vCustomers view = iota
	vCharges
	vCoupons
	vInvoices
	vPlans
	vSubscriptions
	vEvents
	vRefunds
	vPaymentIntents
	vBalanceTransactions
	vPayouts
	vDisputes
	vProducts
	vPrices
	vInvoiceLineItems
	vCreditNotes
	vSubscriptionItems
	numViews
)

// vInvoiceItems is listed (GET /v1/invoiceitems) but not one of the 17
// types a sync copies: loops over views stop at numViews, before it.
const vInvoiceItems = numViews

// viewSpec describes a view: its names, ids and the list parameters it takes.
type viewSpec struct {
	name   string // plural key: "charges"
	object string // Stripe's object value: "charge"
	kind   kind   // the index space it draws from (single-kind views)
	fam    family
	// filters are the list parameters the sandbox implements besides limit,
	// cursors and created; stripeOnly are parameters Stripe takes that the
	// sandbox refuses rather than ignore.
	filters    []string
	stripeOnly []string
	noCreated  bool // the list takes no created filter
	evLead     byte // lead of the ids of its objects' creation events; 0: none
	deletable  bool // mutate can delete it (Stripe sends <object>.deleted)
	eventName  string
}

var views = [numViews + 1]viewSpec{
	vCustomers: {name: "customers", object: "customer", kind: kCustomer, fam: famCustomer,
		filters: []string{"email"}, stripeOnly: []string{"test_clock"}, evLead: 'a', deletable: true},
	vCharges: {name: "charges", object: "charge", kind: kCharge, fam: famCharge,
		filters: []string{"customer", "payment_intent"}, stripeOnly: []string{"transfer_group"}, evLead: 'h'},
	vCoupons: {name: "coupons", object: "coupon", kind: kCoupon, fam: famCoupon, evLead: 'e', deletable: true},
	vInvoices: {name: "invoices", object: "invoice", kind: kInvoice, fam: famInvoice,
		filters:    []string{"customer", "status", "subscription"},
		stripeOnly: []string{"collection_method", "customer_account", "due_date"}, evLead: 'g', deletable: true},
	vPlans: {name: "plans", object: "plan", kind: kPrice, fam: famPrice,
		filters: []string{"active", "product"}, evLead: 'd', deletable: true},
	vSubscriptions: {name: "subscriptions", object: "subscription", kind: kSubscription, fam: famSubscription,
		filters: []string{"customer", "price", "status"},
		stripeOnly: []string{"automatic_tax", "collection_method", "current_period_end", "current_period_start",
			"customer_account", "test_clock"}, evLead: 'f', deletable: true, eventName: "customer.subscription"},
	vEvents: {name: "events", object: "event", fam: famEvent,
		filters: []string{"type", "types"}, stripeOnly: []string{"delivery_success"}},
	vRefunds: {name: "refunds", object: "refund", kind: kRefund, fam: famRefund,
		filters: []string{"charge", "payment_intent"}, evLead: 'j'},
	vPaymentIntents: {name: "payment_intents", object: "payment_intent", kind: kCharge, fam: famPaymentIntent,
		filters: []string{"customer"}, stripeOnly: []string{"customer_account"}, evLead: 'i'},
	vBalanceTransactions: {name: "balance_transactions", object: "balance_transaction", fam: famTxn,
		filters: []string{"currency", "payout", "source", "type"}},
	vPayouts: {name: "payouts", object: "payout", kind: kPayout, fam: famPayout,
		filters: []string{"status"}, stripeOnly: []string{"arrival_date", "destination"}, evLead: 'l'},
	vDisputes: {name: "disputes", object: "dispute", kind: kDispute, fam: famDispute,
		filters: []string{"charge", "payment_intent"}, evLead: 'k', eventName: "charge.dispute"},
	vProducts: {name: "products", object: "product", kind: kProduct, fam: famProduct,
		filters: []string{"active"}, stripeOnly: []string{"ids", "shippable", "url"}, evLead: 'b', deletable: true},
	vPrices: {name: "prices", object: "price", kind: kPrice, fam: famPrice,
		filters: []string{"active", "currency", "product", "type"}, stripeOnly: []string{"lookup_keys", "recurring"},
		evLead: 'c', deletable: true},
	vInvoiceLineItems: {name: "invoice_line_items", object: "line_item", kind: kInvoice, fam: famLine, noCreated: true},
	vCreditNotes: {name: "credit_notes", object: "credit_note", kind: kCreditNote, fam: famCreditNote,
		filters: []string{"customer", "invoice"}, stripeOnly: []string{"customer_account"}, evLead: 'm'},
	vInvoiceItems: {name: "invoiceitems", object: "invoiceitem", kind: kInvoice, fam: famInvoiceItem,
		filters: []string{"customer", "invoice", "pending"}, stripeOnly: []string{"customer_account"}},
	vSubscriptionItems: {name: "subscription_items", object: "subscription_item", kind: kSubscription,
		fam: famSubItem, noCreated: true, filters: []string{"subscription"}},
}

// leadMutationEvent is the lead of the ids of events that mutations made.
const leadMutationEvent = 'x'

// eventPrefix is the start of the view's event types: "charge" for
// "charge.succeeded", "customer.subscription" for subscriptions.
func (v view) eventPrefix() string {
	if p := views[v].eventName; p != "" {
		return p
	}
	return views[v].object
}

// viewByName finds a view by its plural key.
func viewByName(name string) (view, bool) {
	for v := range numViews {
		if views[v].name == name {
			return v, true
		}
	}
	return 0, false
}

// write renders object i of view v at revision r. Balance transactions,
// events and children are rendered elsewhere.
func (d *dataset) write(w *jw, v view, i int, r rev) {
	switch v {
	case vCustomers:
		d.writeCustomer(w, i, r)
	case vCharges:
		d.writeCharge(w, i, r)
	case vCoupons:
		d.writeCoupon(w, i, r)
	case vInvoices:
		d.writeInvoice(w, i, r)
	case vPlans:
		d.writePlan(w, i, r)
	case vSubscriptions:
		d.writeSubscription(w, i, r)
	case vRefunds:
		d.writeRefund(w, i, r)
	case vPaymentIntents:
		d.writePaymentIntent(w, i)
	case vPayouts:
		d.writePayout(w, i, r)
	case vDisputes:
		d.writeDispute(w, i, r)
	case vProducts:
		d.writeProduct(w, i, r)
	case vPrices:
		d.writePrice(w, i, r)
	case vCreditNotes:
		d.writeCreditNote(w, i, r)
	}
}

// baseEventType is the type of the event that base object i of view v made
// when it was created: one per object, named for the state it is in.
func (d *dataset) baseEventType(v view, i int) string {
	switch v {
	case vCustomers:
		return "customer.created"
	case vCharges:
		if d.chargeFailed(i) {
			return "charge.failed"
		}
		return "charge.succeeded"
	case vPaymentIntents:
		if d.chargeFailed(i) {
			return "payment_intent.payment_failed"
		}
		return "payment_intent.succeeded"
	case vInvoices:
		switch d.invoicePlan(i).status {
		case "paid":
			return "invoice.paid"
		case "void":
			return "invoice.voided"
		case "uncollectible":
			return "invoice.marked_uncollectible"
		}
		return "invoice.finalized"
	case vPayouts:
		f := d.payout(i)
		switch d.payoutStatus(&f) {
		case "failed":
			return "payout.failed"
		case "paid":
			return "payout.paid"
		}
		return "payout.created"
	}
	return v.eventPrefix() + ".created"
}

// baseEventTypes lists every type baseEventType can return for v.
func baseEventTypes(v view) []string {
	switch v {
	case vCharges:
		return []string{"charge.failed", "charge.succeeded"}
	case vPaymentIntents:
		return []string{"payment_intent.payment_failed", "payment_intent.succeeded"}
	case vInvoices:
		return []string{"invoice.finalized", "invoice.marked_uncollectible", "invoice.paid", "invoice.voided"}
	case vPayouts:
		return []string{"payout.created", "payout.failed", "payout.paid"}
	}
	return []string{v.eventPrefix() + ".created"}
}

// inView reports whether index i of the view's kind belongs to the view at
// all (plans are the recurring prices). Deleted objects still belong.
func (d *dataset) inView(v view, i int) bool {
	k := views[v].kind
	if i < 0 || i >= d.n(k) {
		return false
	}
	if v == vPlans {
		return d.recurringPrice(i)
	}
	return true
}

// balanceTransactionTypes are Stripe's balance transaction types, which
// the list's type filter takes.
var balanceTransactionTypes = stripespec.BalanceTransactionTypes
