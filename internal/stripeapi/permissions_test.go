package stripeapi

import "testing"

func TestParsePermission(t *testing.T) {
	const prefix = "The provided key 'rk_live_***1234' does not have the required permissions for this endpoint on account 'acct_1'. Having the '"
	for _, tc := range []struct {
		name, msg string
		ok        bool
		label     string
	}{
		{"read permissions use the dashboard's row name", prefix + "rak_balance_transaction_source_read' permission would allow this request to continue.", true, "Balance transaction sources: Read"},
		{"write permissions say Write", prefix + "rak_webhook_write' permission would allow this request to continue.", true, "Webhook endpoints: Write"},
		{"the API's plans are the dashboard's prices", prefix + "rak_plan_read' permission would allow this request to continue.", true, "Prices: Read"},
		{"an unknown resource keeps Stripe's name", prefix + "rak_terminal_reader_read' permission would allow this request to continue.", true, "rak_terminal_reader_read"},
		{"anything but a plain permission name is not taken", prefix + "rak_<b>x</b>_read' permission would allow this request to continue.", false, ""},
		{"a message without a permission names none", "Forbidden.", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := parsePermission(tc.msg)
			if ok != tc.ok || p.label != tc.label {
				t.Errorf("parsePermission = %+v, %v; want label %q, %v", p, ok, tc.label, tc.ok)
			}
			if ok && !p.restricted {
				t.Error("an rk_ key in the message should mark a restricted key")
			}
		})
	}
}
