package stripeapi

import (
	"regexp"
	"strings"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// A 403 from a restricted key names the permission it lacks:
//
//	The provided key 'rk_test_***…' does not have the required permissions
//	for this endpoint on account 'acct_…'. Having the 'rak_charge_read'
//	permission would allow this request to continue.
//
// Only the permission name is taken from it; the quoted key never is.
var (
	permissionName  = regexp.MustCompile(`'(rak_[a-z0-9_]{1,60})'`)
	restrictedKeyRE = regexp.MustCompile(`'rk_(?:test|live)_`)
)

// permissionResources maps the resource part of rak_<resource>_<access>
// to the row Stripe's dashboard shows when a restricted key is edited.
var permissionResources = map[string]string{
	"account":                    "Account",
	"application_fee":            "Application fees",
	"balance":                    "Balance",
	"balance_transaction_source": "Balance transaction sources",
	"charge":                     "Charges",
	"checkout_session":           "Checkout Sessions",
	"connected_account":          "Connected accounts",
	"coupon":                     "Coupons",
	"credit_note":                "Credit notes",
	"customer":                   "Customers",
	"dispute":                    "Disputes",
	"event":                      "Events",
	"file":                       "Files",
	"invoice":                    "Invoices",
	"payment_intent":             "PaymentIntents",
	"payment_method":             "PaymentMethods",
	"payout":                     "Payouts",
	"plan":                       "Prices", // "plan" in the API, "Prices" in the dashboard
	"price":                      "Prices",
	"product":                    "Products",
	"promotion_code":             "Promotion codes",
	"refund":                     "Refunds",
	"setup_intent":               "SetupIntents",
	"subscription":               "Subscriptions",
	"transfer":                   "Transfers",
	"webhook":                    "Webhook endpoints",
}

// missingPermission is a 403's permission, worded for a person.
type missingPermission struct {
	label      string // e.g. "Charges: Read", or the raw name when unknown
	resource   string // e.g. "Charges"; empty when unknown
	access     string // "Read" or "Write"; empty when unknown
	restricted bool   // the key was a restricted key (rk_…)
}

// parsePermission reads Stripe's 403 message. ok is false when it names no
// permission.
func parsePermission(msg string) (p missingPermission, ok bool) {
	m := permissionName.FindStringSubmatch(msg)
	if m == nil {
		return missingPermission{}, false
	}
	name := m[1]
	p = missingPermission{label: name, restricted: restrictedKeyRE.MatchString(msg)}
	rest := strings.TrimPrefix(name, "rak_")
	for suffix, access := range map[string]string{"_read": "Read", "_write": "Write"} {
		res, found := strings.CutSuffix(rest, suffix)
		if !found {
			continue
		}
		if label, known := permissionResources[res]; known {
			p.label, p.resource, p.access = label+": "+access, label, access
		}
	}
	return p, true
}

// addTo puts the permission's facts on e.
func (p missingPermission) addTo(e *domain.Error) {
	if e.Facts == nil {
		e.Facts = domain.Facts{}
	}
	e.Facts[domain.FactPermission] = p.label
	if p.resource != "" {
		e.Facts[domain.FactResource], e.Facts[domain.FactAccess] = p.resource, p.access
	}
	if p.restricted {
		e.Facts[domain.FactRestricted] = "true"
	}
}
