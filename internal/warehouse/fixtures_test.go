package warehouse

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// Stripe-shaped objects for tests and benchmarks, pretty-printed with
// two-space indents and every null field present, as Stripe sends them.
// Shapes follow API version 2023-10-16 (stripe-go v76) and stripe-mock's
// fixtures; a few follow newer versions where fields moved.

type obj = map[string]any

// pretty renders o the way Stripe's API does.
func pretty(o obj) []byte {
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// fakeIDs makes Stripe-looking ids, deterministic per seed.
type fakeIDs struct{ r *rand.Rand }

func newFakeIDs(seed uint64) *fakeIDs { return &fakeIDs{rand.New(rand.NewPCG(seed, 7))} }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// id returns prefix_ and n random base-62 characters.
func (f *fakeIDs) id(prefix string, n int) string {
	b := []byte(prefix + "_")
	for range n {
		b = append(b, base62[f.r.IntN(len(base62))])
	}
	return string(b)
}

// ordered returns an id that sorts with k, as Stripe's do (they start with
// a time-based part): prefix_, "1", six base-62 digits of k, then random
// characters up to n.
func (f *fakeIDs) ordered(prefix string, k int64, n int) string {
	b := []byte(prefix + "_1")
	for i := 5; i >= 0; i-- {
		d := k
		for range i {
			d /= 62
		}
		b = append(b, base62[d%62])
	}
	return string(b) + f.id("", n-7)[1:]
}

// chargeFixture is a card charge as Stripe returns it: about 3.5 KB pretty,
// about 1.6 KB compact without nulls. i varies amounts, customers, status.
func chargeFixture(ids *fakeIDs, i int) obj {
	created := int64(1_700_000_000 + i*37)
	id := ids.ordered("ch", created, 24)
	amount := int64(500 + (i*7919)%250_000)
	status, paid, failure := "succeeded", true, any(nil)
	if i%20 == 7 {
		status, paid, failure = "failed", false, "card_declined"
	}
	var customer, invoice any = ids.id("cus", 14), nil
	if i%5 == 0 {
		customer = nil // a guest checkout
	}
	if i%3 == 0 {
		invoice = ids.id("in", 24)
	}
	addr := obj{"city": "San Francisco", "country": "US", "line1": fmt.Sprintf("%d Townsend St", 100+i%900),
		"line2": nil, "postal_code": "94103", "state": "CA"}
	return obj{
		"id": id, "object": "charge",
		"amount": amount, "amount_captured": map[bool]int64{true: amount, false: 0}[paid], "amount_refunded": 0,
		"application": nil, "application_fee": nil, "application_fee_amount": nil,
		"balance_transaction": ids.id("txn", 24),
		"billing_details": obj{"address": addr, "email": fmt.Sprintf("customer%d@example.com", i),
			"name": "Jenny Rosen", "phone": nil},
		"calculated_statement_descriptor": "LEDGERLINE SHOP",
		"captured":                        paid, "created": created, "currency": "usd", "customer": customer,
		"description": fmt.Sprintf("Order #%d", 10_000+i), "destination": nil, "dispute": nil,
		"disputed": false, "failure_balance_transaction": nil, "failure_code": failure,
		"failure_message": map[bool]any{true: nil, false: "Your card was declined."}[paid],
		"fraud_details":   obj{}, "invoice": invoice, "livemode": false,
		"metadata": obj{"order_id": fmt.Sprint(10_000 + i)}, "on_behalf_of": nil, "order": nil,
		"outcome": obj{"network_status": "approved_by_network", "reason": nil, "risk_level": "normal",
			"risk_score": 10 + i%60, "seller_message": "Payment complete.", "type": "authorized"},
		"paid": paid, "payment_intent": ids.id("pi", 24), "payment_method": ids.id("pm", 24),
		"payment_method_details": obj{"card": obj{
			"amount_authorized": amount, "brand": "visa",
			"checks":  obj{"address_line1_check": "pass", "address_postal_code_check": "pass", "cvc_check": "pass"},
			"country": "US", "exp_month": 1 + i%12, "exp_year": 2027 + i%5,
			"extended_authorization": obj{"status": "disabled"}, "fingerprint": ids.id("fp", 14)[3:],
			"funding": "credit", "incremental_authorization": obj{"status": "unavailable"},
			"installments": nil, "last4": "4242", "mandate": nil,
			"multicapture": obj{"status": "unavailable"}, "network": "visa", "network_token": obj{"used": false},
			"overcapture":    obj{"maximum_amount_capturable": amount, "status": "unavailable"},
			"three_d_secure": nil, "wallet": nil,
		}, "type": "card"},
		"radar_options": obj{}, "receipt_email": fmt.Sprintf("customer%d@example.com", i), "receipt_number": nil,
		"receipt_url": "https://pay.stripe.com/receipts/payment/" + ids.id("CAcaFwoVYWNjdF8x", 100)[17:],
		"refunded":    false, "review": nil, "shipping": nil, "source": nil, "source_transfer": nil,
		"statement_descriptor": nil, "statement_descriptor_suffix": nil, "status": status,
		"transfer_data": nil, "transfer_group": nil,
	}
}

// lineFixture is an invoice line item of API 2023-10-16.
func lineFixture(ids *fakeIDs, invoice, sub string, n int) obj {
	return obj{
		"id": ids.id("il", 24), "object": "line_item", "amount": 2000 * n, "amount_excluding_tax": 2000 * n,
		"currency": "usd", "description": fmt.Sprintf("%d × Pro plan (at $20.00 / month)", n),
		"discount_amounts": []any{}, "discountable": true, "discounts": []any{}, "invoice": invoice,
		"invoice_item": nil, "livemode": false, "metadata": obj{},
		"period": obj{"end": 1_702_592_000, "start": 1_700_000_000},
		"plan":   nil, "price": obj{"id": "price_pro", "object": "price", "product": "prod_pro", "unit_amount": 2000},
		"proration": false, "proration_details": obj{"credited_items": nil}, "quantity": n,
		"subscription": sub, "subscription_item": "si_" + sub[4:], "tax_amounts": []any{}, "tax_rates": []any{},
		"type": "subscription", "unit_amount_excluding_tax": "2000",
	}
}

// invoiceFixture is an invoice with its lines embedded (has_more false).
func invoiceFixture(ids *fakeIDs, lines int) obj {
	id, sub := ids.id("in", 24), ids.id("sub", 24)
	data := []any{}
	for n := range lines {
		data = append(data, lineFixture(ids, id, sub, n+1))
	}
	return obj{
		"id": id, "object": "invoice", "account_country": "US", "account_name": "Ledgerline Shop",
		"amount_due": 2000, "amount_paid": 2000, "amount_remaining": 0, "attempt_count": 1, "attempted": true,
		"billing_reason": "subscription_cycle", "charge": ids.id("ch", 24), "collection_method": "charge_automatically",
		"created": 1_700_000_100, "currency": "usd", "customer": "cus_Jenny", "customer_email": "jenny@example.com",
		"customer_name": "Jenny Rosen", "customer_phone": nil, "default_payment_method": nil, "description": "Thanks!",
		"due_date": nil, "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1/test_x",
		"lines": obj{"object": "list", "data": data, "has_more": false, "total_count": lines,
			"url": "/v1/invoices/" + id + "/lines"},
		"livemode": false, "metadata": obj{}, "number": "4F2C1A-0007", "paid": true,
		"payment_intent": ids.id("pi", 24), "period_end": 1_700_000_000, "period_start": 1_697_408_000,
		"status": "paid", "status_transitions": obj{"finalized_at": 1_700_003_700, "marked_uncollectible_at": nil,
			"paid_at": 1_700_003_800, "voided_at": nil},
		"subscription": sub, "subtotal": 2000, "tax": nil, "total": 2000,
	}
}

// subscriptionFixture is a subscription with its items embedded.
func subscriptionFixture(ids *fakeIDs, items int) obj {
	id := ids.id("sub", 24)
	data := []any{}
	for n := range items {
		data = append(data, obj{
			"id": ids.id("si", 14), "object": "subscription_item", "billing_thresholds": nil,
			"created": 1_700_000_000 + n, "metadata": obj{},
			"plan":     obj{"id": fmt.Sprintf("price_%d", n), "object": "plan", "product": "prod_pro"},
			"price":    obj{"id": fmt.Sprintf("price_%d", n), "object": "price", "product": "prod_pro", "unit_amount": 2000},
			"quantity": n + 1, "subscription": id, "tax_rates": []any{},
		})
	}
	return obj{
		"id": id, "object": "subscription", "application": nil, "billing_cycle_anchor": 1_700_000_000,
		"cancel_at": nil, "cancel_at_period_end": false, "canceled_at": nil, "collection_method": "charge_automatically",
		"created": 1_700_000_000, "currency": "usd", "current_period_end": 1_702_592_000,
		"current_period_start": 1_700_000_000, "customer": "cus_Jenny", "default_payment_method": "pm_card",
		"description": nil, "ended_at": nil,
		"items": obj{"object": "list", "data": data, "has_more": false, "total_count": items,
			"url": "/v1/subscription_items?subscription=" + id},
		"latest_invoice": "in_latest", "livemode": false, "metadata": obj{}, "start_date": 1_700_000_000,
		"status": "active", "trial_end": nil, "trial_start": nil,
	}
}
