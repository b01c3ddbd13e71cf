package warehouse

// typeCase is one realistic object of a type and the typed columns Prepare
// must read from it: every column of the type, NULL ones as nil.
type typeCase struct {
	name string // what the case shows
	typ  string
	o    obj
	want map[string]any
}

var i64 = func(n int64) int64 { return n }

func typeCases() []typeCase {
	ids := newFakeIDs(42)
	charge := chargeFixture(ids, 1)
	inv := invoiceFixture(ids, 1)
	line := inv["lines"].(obj)["data"].([]any)[0].(obj)
	sub := subscriptionFixture(ids, 1)
	item := sub["items"].(obj)["data"].([]any)[0].(obj)
	return []typeCase{
		{"a card charge", "charges", charge, map[string]any{
			"amount": charge["amount"], "amount_captured": charge["amount"], "amount_refunded": i64(0),
			"currency": "usd", "status": "succeeded", "paid": i64(1), "captured": i64(1), "refunded": i64(0),
			"disputed": i64(0), "customer": charge["customer"], "invoice": nil,
			"payment_intent": charge["payment_intent"], "balance_transaction": charge["balance_transaction"],
			"payment_method_type": "card", "card_brand": "visa",
			"failure_code": nil, "description": "Order #10001",
		}},
		{"a failed charge with an expanded customer and an invoice", "charges", obj{
			"id": "ch_failed", "object": "charge", "amount": 999, "amount_captured": 0, "amount_refunded": 0,
			"currency": "eur", "status": "failed", "paid": false, "captured": false, "refunded": false, "disputed": true,
			"customer": obj{"id": "cus_expanded", "object": "customer", "email": "x@example.com"},
			"invoice":  "in_9", "payment_intent": nil, "balance_transaction": nil, "payment_method": "pm_9",
			"payment_method_details": obj{"type": "sepa_debit", "sepa_debit": obj{"last4": "3000"}},
			"failure_code":           "insufficient_funds", "description": nil, "created": 1_700_000_000, "livemode": true,
		}, map[string]any{
			"amount": i64(999), "amount_captured": i64(0), "amount_refunded": i64(0), "currency": "eur",
			"status": "failed", "paid": i64(0), "captured": i64(0), "refunded": i64(0), "disputed": i64(1),
			"customer": "cus_expanded", "invoice": "in_9", "payment_intent": nil, "balance_transaction": nil,
			"payment_method_type": "sepa_debit", "card_brand": nil,
			"failure_code": "insufficient_funds", "description": nil,
		}},
		{"a customer", "customers", obj{
			"id": "cus_Jenny", "object": "customer", "address": obj{"city": "Berlin", "country": "DE", "line1": "Str. 1",
				"line2": nil, "postal_code": "10115", "state": nil},
			"balance": -500, "created": 1_690_000_000, "currency": "eur", "default_source": nil, "delinquent": false,
			"description": "VIP", "discount": nil, "email": "jenny@example.com", "invoice_prefix": "7FE1103",
			"invoice_settings": obj{"custom_fields": nil, "default_payment_method": "pm_default", "footer": nil},
			"livemode":         false, "metadata": obj{}, "name": "Jenny Rosen", "phone": "+4930123456",
			"preferred_locales": []any{"de"}, "shipping": nil, "tax_exempt": "none", "test_clock": nil,
		}, map[string]any{
			"email": "jenny@example.com", "name": "Jenny Rosen", "phone": "+4930123456", "description": "VIP",
			"currency": "eur", "balance": i64(-500), "delinquent": i64(0), "address_country": "DE",
			"default_payment_method": "pm_default",
		}},
		{"a coupon", "coupons", obj{
			"id": "Z4OV52SU", "object": "coupon", "amount_off": nil, "created": 1_690_000_000, "currency": nil,
			"duration": "repeating", "duration_in_months": 3, "livemode": false, "max_redemptions": 100,
			"metadata": obj{}, "name": "25.5% off", "percent_off": 25.5, "redeem_by": 1_800_000_000,
			"times_redeemed": 7, "valid": true,
		}, map[string]any{
			"name": "25.5% off", "amount_off": nil, "percent_off": 25.5, "currency": nil, "duration": "repeating",
			"duration_in_months": i64(3), "max_redemptions": i64(100), "times_redeemed": i64(7),
			"redeem_by": i64(1_800_000_000), "valid": i64(1),
		}},
		{"a fixed-amount coupon", "coupons", obj{
			"id": "FIVE", "object": "coupon", "amount_off": 500, "created": 1_690_000_000, "currency": "usd",
			"duration": "once", "duration_in_months": nil, "livemode": false, "max_redemptions": nil,
			"name": nil, "percent_off": nil, "redeem_by": nil, "times_redeemed": 0, "valid": false,
		}, map[string]any{
			"name": nil, "amount_off": i64(500), "percent_off": nil, "currency": "usd", "duration": "once",
			"duration_in_months": nil, "max_redemptions": nil, "times_redeemed": i64(0), "redeem_by": nil,
			"valid": i64(0),
		}},
		{"an invoice of API 2023-10-16", "invoices", inv, map[string]any{
			"number": "4F2C1A-0007", "status": "paid", "customer": "cus_Jenny", "customer_email": "jenny@example.com",
			"customer_name": "Jenny Rosen", "subscription": line["subscription"], "charge": inv["charge"],
			"payment_intent": inv["payment_intent"], "currency": "usd", "amount_due": i64(2000),
			"amount_paid": i64(2000), "amount_remaining": i64(0), "subtotal": i64(2000), "total": i64(2000),
			"paid": i64(1), "billing_reason": "subscription_cycle", "collection_method": "charge_automatically",
			"period_start": i64(1_697_408_000), "period_end": i64(1_700_000_000), "due_date": nil,
			"paid_at": i64(1_700_003_800), "description": "Thanks!",
		}},
		{"an invoice of a newer API version (subscription under parent)", "invoices", obj{
			"id": "in_new", "object": "invoice", "amount_due": 100, "amount_paid": 0, "amount_remaining": 100,
			"created": 1_750_000_000, "currency": "usd", "customer": obj{"id": "cus_x", "object": "customer"},
			"livemode": false, "parent": obj{"type": "subscription_details", "quote_details": nil,
				"subscription_details": obj{"metadata": obj{}, "subscription": "sub_new"}},
			"status": "open", "subtotal": 100, "total": 100, "collection_method": "send_invoice",
			"due_date": 1_750_600_000, "period_start": 1_750_000_000, "period_end": 1_750_000_000,
			"status_transitions": obj{"paid_at": nil}, "billing_reason": "manual",
		}, map[string]any{
			"number": nil, "status": "open", "customer": "cus_x", "customer_email": nil, "customer_name": nil,
			"subscription": "sub_new", "charge": nil, "payment_intent": nil, "currency": "usd",
			"amount_due": i64(100), "amount_paid": i64(0), "amount_remaining": i64(100), "subtotal": i64(100),
			"total": i64(100), "paid": nil, "billing_reason": "manual", "collection_method": "send_invoice",
			"period_start": i64(1_750_000_000), "period_end": i64(1_750_000_000), "due_date": i64(1_750_600_000),
			"paid_at": nil, "description": nil,
		}},
		{"an invoice line of API 2023-10-16", "invoice_line_items", line, map[string]any{
			"invoice": inv["id"], "amount": i64(2000), "currency": "usd",
			"description": "1 × Pro plan (at $20.00 / month)", "quantity": i64(1), "type": "subscription",
			"subscription": line["subscription"], "subscription_item": line["subscription_item"],
			"invoice_item": nil, "price": "price_pro", "period_start": i64(1_700_000_000),
			"period_end": i64(1_702_592_000), "proration": i64(0), "discountable": i64(1),
		}},
		{"an invoice line of a newer API version (parent and pricing)", "invoice_line_items", obj{
			"id": "il_new", "object": "line_item", "amount": 1000, "currency": "usd", "description": "Setup fee",
			"discountable": false, "invoice": "in_new", "livemode": false, "metadata": obj{},
			"parent": obj{"type": "invoice_item_details", "invoice_item_details": obj{"invoice_item": "ii_1",
				"proration": true, "subscription": nil}, "subscription_item_details": nil},
			"period":   obj{"end": 1_750_000_000, "start": 1_750_000_000},
			"pricing":  obj{"type": "price_details", "price_details": obj{"price": "price_setup", "product": "prod_s"}},
			"quantity": 1, "subscription": nil,
		}, map[string]any{
			"invoice": "in_new", "amount": i64(1000), "currency": "usd", "description": "Setup fee",
			"quantity": i64(1), "type": "invoice_item_details", "subscription": nil, "subscription_item": nil,
			"invoice_item": "ii_1", "price": "price_setup", "period_start": i64(1_750_000_000),
			"period_end": i64(1_750_000_000), "proration": i64(1), "discountable": i64(0),
		}},
		{"a plan", "plans", obj{
			"id": "price_1PgafmB7WZ01zgkW6dKueIc5", "object": "plan", "active": true, "amount": 2000,
			"amount_decimal": "2000", "billing_scheme": "per_unit", "created": 1_690_000_000, "currency": "usd",
			"interval": "month", "interval_count": 1, "livemode": false, "metadata": obj{}, "meter": nil,
			"nickname": "Pro monthly", "product": "prod_pro", "tiers_mode": nil, "transform_usage": nil,
			"trial_period_days": 14, "usage_type": "licensed",
		}, map[string]any{
			"product": "prod_pro", "active": i64(1), "amount": i64(2000), "currency": "usd", "interval": "month",
			"interval_count": i64(1), "usage_type": "licensed", "billing_scheme": "per_unit",
			"nickname": "Pro monthly", "trial_period_days": i64(14),
		}},
		{"a subscription of API 2023-10-16", "subscriptions", sub, map[string]any{
			"customer": "cus_Jenny", "status": "active", "currency": "usd",
			"current_period_start": i64(1_700_000_000), "current_period_end": i64(1_702_592_000),
			"start_date": i64(1_700_000_000), "trial_start": nil, "trial_end": nil, "cancel_at_period_end": i64(0),
			"cancel_at": nil, "canceled_at": nil, "ended_at": nil, "collection_method": "charge_automatically",
			"latest_invoice": "in_latest", "default_payment_method": "pm_card", "description": nil,
		}},
		{"a canceled subscription of a newer API version (periods on the items)", "subscriptions", obj{
			"id": "sub_new", "object": "subscription", "cancel_at": 1_760_000_000, "cancel_at_period_end": true,
			"canceled_at": 1_755_000_000, "collection_method": "send_invoice", "created": 1_750_000_000,
			"currency": "usd", "customer": "cus_x", "description": "Team plan", "ended_at": 1_760_000_000,
			"items": obj{"object": "list", "has_more": false, "data": []any{obj{"id": "si_new",
				"object": "subscription_item", "created": 1_750_000_000, "current_period_start": 1_757_000_000,
				"current_period_end": 1_759_600_000, "price": obj{"id": "price_team", "product": "prod_team"},
				"quantity": 5, "subscription": "sub_new"}}},
			"latest_invoice": obj{"id": "in_l", "object": "invoice"}, "livemode": true, "start_date": 1_750_000_000,
			"status": "canceled", "trial_end": 1_751_000_000, "trial_start": 1_750_000_000,
		}, map[string]any{
			"customer": "cus_x", "status": "canceled", "currency": "usd",
			"current_period_start": i64(1_757_000_000), "current_period_end": i64(1_759_600_000),
			"start_date": i64(1_750_000_000), "trial_start": i64(1_750_000_000), "trial_end": i64(1_751_000_000),
			"cancel_at_period_end": i64(1), "cancel_at": i64(1_760_000_000), "canceled_at": i64(1_755_000_000),
			"ended_at": i64(1_760_000_000), "collection_method": "send_invoice", "latest_invoice": "in_l",
			"default_payment_method": nil, "description": "Team plan",
		}},
		{"a subscription item", "subscription_items", item, map[string]any{
			"subscription": sub["id"], "price": "price_0", "product": "prod_pro", "quantity": i64(1),
			"current_period_start": nil, "current_period_end": nil,
		}},
		{"a subscription item of a newer API version", "subscription_items", obj{
			"id": "si_new", "object": "subscription_item", "created": 1_750_000_000,
			"current_period_start": 1_757_000_000, "current_period_end": 1_759_600_000,
			"price": obj{"id": "price_team", "object": "price", "product": "prod_team"}, "quantity": 5,
			"subscription": "sub_new",
		}, map[string]any{
			"subscription": "sub_new", "price": "price_team", "product": "prod_team", "quantity": i64(5),
			"current_period_start": i64(1_757_000_000), "current_period_end": i64(1_759_600_000),
		}},
		{"an event", "events", obj{
			"id": "evt_1", "object": "event", "api_version": "2023-10-16", "created": 1_700_000_500,
			"data": obj{"object": obj{"id": "cus_Jenny", "object": "customer", "email": "new@example.com"},
				"previous_attributes": obj{"email": "old@example.com"}},
			"livemode": false, "pending_webhooks": 2, "request": obj{"id": "req_abc", "idempotency_key": "k"},
			"type": "customer.updated",
		}, map[string]any{
			"type": "customer.updated", "object_type": "customer", "object_id": "cus_Jenny",
			"api_version": "2023-10-16", "request_id": "req_abc", "pending_webhooks": i64(2),
		}},
		{"an automatic event of an old API version (request as a string)", "events", obj{
			"id": "evt_2", "object": "event", "api_version": nil, "created": 1_700_000_600,
			"data": obj{"object": obj{"id": "in_1", "object": "invoice"}}, "livemode": false,
			"pending_webhooks": 0, "request": nil, "type": "invoice.paid",
		}, map[string]any{
			"type": "invoice.paid", "object_type": "invoice", "object_id": "in_1", "api_version": nil,
			"request_id": nil, "pending_webhooks": i64(0),
		}},
		{"an event whose request is a string id", "events", obj{
			"id": "evt_3", "object": "event", "created": 1_700_000_700, "data": obj{"object": obj{"id": "ch_1",
				"object": "charge"}}, "livemode": false, "pending_webhooks": 0, "request": "req_old",
			"type": "charge.succeeded",
		}, map[string]any{
			"type": "charge.succeeded", "object_type": "charge", "object_id": "ch_1", "api_version": nil,
			"request_id": "req_old", "pending_webhooks": i64(0),
		}},
		{"a refund", "refunds", obj{
			"id": "re_1", "object": "refund", "amount": 100, "balance_transaction": "txn_re", "charge": "ch_1",
			"created": 1_700_000_000, "currency": "usd", "destination_details": obj{"type": "card"},
			"failure_reason": nil, "metadata": obj{}, "payment_intent": "pi_1", "reason": "requested_by_customer",
			"receipt_number": nil, "status": "succeeded",
		}, map[string]any{
			"amount": i64(100), "currency": "usd", "status": "succeeded", "reason": "requested_by_customer",
			"charge": "ch_1", "payment_intent": "pi_1", "balance_transaction": "txn_re", "failure_reason": nil,
		}},
		{"a failed refund", "refunds", obj{
			"id": "re_2", "object": "refund", "amount": 50, "charge": "ch_2", "created": 1_700_000_000,
			"currency": "usd", "failure_reason": "expired_or_canceled_card", "status": "failed",
		}, map[string]any{
			"amount": i64(50), "currency": "usd", "status": "failed", "reason": nil, "charge": "ch_2",
			"payment_intent": nil, "balance_transaction": nil, "failure_reason": "expired_or_canceled_card",
		}},
		{"a payment intent", "payment_intents", obj{
			"id": "pi_1", "object": "payment_intent", "amount": 1099, "amount_capturable": 0,
			"amount_details": obj{"tip": obj{}}, "amount_received": 1099, "canceled_at": nil,
			"cancellation_reason": nil, "capture_method": "automatic", "client_secret": "pi_1_secret_abc",
			"created": 1_700_000_000, "currency": "usd", "customer": "cus_Jenny", "description": "Order 7",
			"invoice": "in_7", "latest_charge": "ch_7", "livemode": false, "payment_method": "pm_7",
			"payment_method_types": []any{"card"}, "status": "succeeded",
		}, map[string]any{
			"amount": i64(1099), "amount_received": i64(1099), "amount_capturable": i64(0), "currency": "usd",
			"status": "succeeded", "customer": "cus_Jenny", "invoice": "in_7", "latest_charge": "ch_7",
			"payment_method": "pm_7", "capture_method": "automatic", "description": "Order 7",
			"canceled_at": nil, "cancellation_reason": nil,
		}},
		{"a canceled payment intent", "payment_intents", obj{
			"id": "pi_2", "object": "payment_intent", "amount": 500, "amount_capturable": 0, "amount_received": 0,
			"canceled_at": 1_700_000_900, "cancellation_reason": "abandoned", "capture_method": "manual",
			"created": 1_700_000_000, "currency": "usd", "status": "canceled",
		}, map[string]any{
			"amount": i64(500), "amount_received": i64(0), "amount_capturable": i64(0), "currency": "usd",
			"status": "canceled", "customer": nil, "invoice": nil, "latest_charge": nil, "payment_method": nil,
			"capture_method": "manual", "description": nil, "canceled_at": i64(1_700_000_900),
			"cancellation_reason": "abandoned",
		}},
		{"a balance transaction in another currency", "balance_transactions", obj{
			"id": "txn_1", "object": "balance_transaction", "amount": 9120, "available_on": 1_700_600_000,
			"created": 1_700_000_000, "currency": "usd", "description": "Order 8", "exchange_rate": 0.912,
			"fee": 294, "fee_details": []any{obj{"amount": 294, "currency": "usd", "type": "stripe_fee"}},
			"net": 8826, "reporting_category": "charge", "source": "ch_8", "status": "pending", "type": "charge",
		}, map[string]any{
			"type": "charge", "reporting_category": "charge", "amount": i64(9120), "fee": i64(294),
			"net": i64(8826), "currency": "usd", "status": "pending", "available_on": i64(1_700_600_000),
			"source": "ch_8", "description": "Order 8", "exchange_rate": 0.912,
		}},
		{"a payout", "payouts", obj{
			"id": "po_1", "object": "payout", "amount": 110000, "arrival_date": 1_700_200_000, "automatic": true,
			"balance_transaction": "txn_po", "created": 1_700_000_000, "currency": "usd",
			"description": "STRIPE PAYOUT", "destination": "ba_1", "failure_code": nil, "livemode": false,
			"method": "standard", "reconciliation_status": "completed", "source_type": "card",
			"status": "paid", "type": "bank_account",
		}, map[string]any{
			"amount": i64(110000), "currency": "usd", "status": "paid", "arrival_date": i64(1_700_200_000),
			"type": "bank_account", "method": "standard", "automatic": i64(1), "destination": "ba_1",
			"balance_transaction": "txn_po", "failure_code": nil, "reconciliation_status": "completed",
			"description": "STRIPE PAYOUT",
		}},
		{"a failed instant payout", "payouts", obj{
			"id": "po_2", "object": "payout", "amount": 700, "arrival_date": 1_700_000_100, "automatic": false,
			"created": 1_700_000_000, "currency": "usd", "destination": obj{"id": "card_9", "object": "card"},
			"failure_code": "could_not_process", "method": "instant", "status": "failed", "type": "card",
		}, map[string]any{
			"amount": i64(700), "currency": "usd", "status": "failed", "arrival_date": i64(1_700_000_100),
			"type": "card", "method": "instant", "automatic": i64(0), "destination": "card_9",
			"balance_transaction": nil, "failure_code": "could_not_process", "reconciliation_status": nil,
			"description": nil,
		}},
		{"a dispute", "disputes", obj{
			"id": "dp_1", "object": "dispute", "amount": 1000, "balance_transactions": []any{}, "charge": "ch_1",
			"created": 1_700_000_000, "currency": "usd", "evidence": obj{"product_description": nil},
			"evidence_details": obj{"due_by": 1_701_000_000, "has_evidence": false, "past_due": false,
				"submission_count": 0},
			"is_charge_refundable": true, "livemode": false, "payment_intent": "pi_1", "reason": "general",
			"status": "warning_needs_response",
		}, map[string]any{
			"amount": i64(1000), "currency": "usd", "status": "warning_needs_response", "reason": "general",
			"charge": "ch_1", "payment_intent": "pi_1", "is_charge_refundable": i64(1),
			"evidence_due_by": i64(1_701_000_000),
		}},
		{"a product", "products", obj{
			"id": "prod_pro", "object": "product", "active": true, "created": 1_690_000_000,
			"default_price": "price_pro", "description": "Comfortable gray cotton t-shirt", "images": []any{},
			"livemode": false, "metadata": obj{}, "name": "T-shirt", "package_dimensions": nil, "shippable": nil,
			"type": "service", "unit_label": "seat", "updated": 1_695_000_000, "url": nil,
		}, map[string]any{
			"name": "T-shirt", "description": "Comfortable gray cotton t-shirt", "active": i64(1),
			"type": "service", "default_price": "price_pro", "unit_label": "seat", "updated": i64(1_695_000_000),
		}},
		{"a recurring price", "prices", obj{
			"id": "price_pro", "object": "price", "active": true, "billing_scheme": "per_unit",
			"created": 1_690_000_000, "currency": "usd", "custom_unit_amount": nil, "livemode": false,
			"lookup_key": "pro_monthly", "metadata": obj{}, "nickname": "Pro", "product": "prod_pro",
			"recurring": obj{"aggregate_usage": nil, "interval": "month", "interval_count": 1,
				"trial_period_days": nil, "usage_type": "licensed"},
			"tax_behavior": "exclusive", "tiers_mode": nil, "transform_quantity": nil, "type": "recurring",
			"unit_amount": 2000, "unit_amount_decimal": "2000",
		}, map[string]any{
			"product": "prod_pro", "active": i64(1), "currency": "usd", "unit_amount": i64(2000),
			"type": "recurring", "billing_scheme": "per_unit", "recurring_interval": "month",
			"recurring_interval_count": i64(1), "nickname": "Pro", "lookup_key": "pro_monthly",
			"tax_behavior": "exclusive",
		}},
		{"a credit note", "credit_notes", obj{
			"id": "cn_1", "object": "credit_note", "amount": 1690, "amount_shipping": 0, "created": 1_700_000_000,
			"currency": "usd", "customer": "cus_Jenny", "customer_balance_transaction": nil, "discount_amount": 0,
			"effective_at": 1_700_000_100, "invoice": "in_1", "lines": obj{"object": "list", "data": []any{},
				"has_more": false}, "livemode": false, "memo": "Sorry", "metadata": obj{},
			"number": "ABCD-1234-CN-01", "out_of_band_amount": nil, "pdf": "https://example.com/cn.pdf",
			"reason": "order_change", "status": "issued", "subtotal": 1690, "total": 1690, "type": "pre_payment",
			"voided_at": nil,
		}, map[string]any{
			"number": "ABCD-1234-CN-01", "invoice": "in_1", "customer": "cus_Jenny", "amount": i64(1690),
			"total": i64(1690), "currency": "usd", "status": "issued", "type": "pre_payment",
			"reason": "order_change", "memo": "Sorry", "effective_at": i64(1_700_000_100), "voided_at": nil,
		}},
		{"a voided credit note", "credit_notes", obj{
			"id": "cn_2", "object": "credit_note", "amount": 10, "created": 1_700_000_000, "currency": "usd",
			"customer": "cus_Jenny", "invoice": "in_2", "number": "N-2", "status": "void", "total": 10,
			"type": "post_payment", "voided_at": 1_700_009_999,
		}, map[string]any{
			"number": "N-2", "invoice": "in_2", "customer": "cus_Jenny", "amount": i64(10), "total": i64(10),
			"currency": "usd", "status": "void", "type": "post_payment", "reason": nil, "memo": nil,
			"effective_at": nil, "voided_at": i64(1_700_009_999),
		}},
	}
}
