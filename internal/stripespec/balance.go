// Package stripespec holds facts from Stripe's API reference that both
// sides of Ledgerline need: the sync that reads Stripe, and the sandbox
// that stands in for it. It has no code and imports nothing.
package stripespec

// BalanceTransactionTypes are the values of a balance transaction's
// "type", as Stripe's OpenAPI spec (the one in stripe-mock v0.203.0) lists
// them; GET /v1/balance_transactions filters on them with type=.
var BalanceTransactionTypes = []string{
	"adjustment", "advance", "advance_funding", "anticipation_repayment", "application_fee",
	"application_fee_refund", "charge", "climate_order_purchase", "climate_order_refund",
	"connect_collection_transfer", "contribution", "fee_credit_funding", "inbound_transfer",
	"inbound_transfer_reversal", "issuing_authorization_hold", "issuing_authorization_release",
	"issuing_dispute", "issuing_transaction", "obligation_outbound", "obligation_reversal_inbound",
	"payment", "payment_failure_refund", "payment_network_reserve_hold", "payment_network_reserve_release",
	"payment_refund", "payment_reversal", "payment_unreconciled", "payout", "payout_cancel",
	"payout_failure", "payout_minimum_balance_hold", "payout_minimum_balance_release", "refund",
	"refund_failure", "reserve_hold", "reserve_release", "reserve_transaction", "reserved_funds",
	"stripe_balance_payment_debit", "stripe_balance_payment_debit_reversal", "stripe_fee", "stripe_fx_fee",
	"tax_fee", "tax_fund", "topup", "topup_reversal", "transfer", "transfer_cancel", "transfer_failure",
	"transfer_refund",
}
