package sandbox

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestAccountEndpoint(t *testing.T) {
	h := newHarness(t, Options{Seed: 41})
	acct := h.info.Accounts[0]

	t.Run("a restricted key reads its account, as Bearer or Basic auth", func(t *testing.T) {
		for _, auth := range []string{bearer(acct.APIKey), basic(acct.APIKey)} {
			r := h.get("/v1/account", auth)
			if r.status != http.StatusOK || r.str("id") != acct.ID {
				t.Fatalf("%d %s", r.status, r.raw)
			}
		}
	})

	t.Run("the secret key reads the platform account", func(t *testing.T) {
		r := h.get("/v1/account", bearer(h.info.SecretKey))
		if r.status != http.StatusOK || r.str("id") != h.sb.Platform().ID || r.str("id") == acct.ID {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})

	t.Run("the account object has Stripe's shape", func(t *testing.T) {
		r := h.get("/v1/account", bearer(acct.APIKey))
		for _, k := range []string{"id", "object", "business_profile", "business_type", "capabilities", "charges_enabled",
			"controller", "country", "created", "default_currency", "details_submitted", "email", "external_accounts",
			"metadata", "payouts_enabled", "requirements", "settings", "tos_acceptance", "type"} {
			if _, ok := r.json[k]; !ok {
				t.Errorf("account object lacks %q", k)
			}
		}
		bp := r.json["business_profile"].(map[string]any)
		dash := r.json["settings"].(map[string]any)["dashboard"].(map[string]any)
		if r.str("object") != "account" || r.str("type") != "standard" || bp["name"] != acct.Name ||
			dash["display_name"] != acct.Name || dash["timezone"] == "" || r.json["charges_enabled"] != true ||
			!regexp.MustCompile(`^[a-z]{3}$`).MatchString(r.str("default_currency")) ||
			!strings.HasSuffix(r.str("email"), ".example") || r.json["created"].(float64) < 1546300800 {
			t.Fatalf("account object: %s", r.raw)
		}
		if !strings.HasPrefix(r.raw, "{\n  \"id\": ") {
			t.Fatalf("not pretty-printed like Stripe's: %.40q", r.raw)
		}
	})

	t.Run("every JSON response carries Stripe's headers", func(t *testing.T) {
		for _, r := range []reply{h.get("/v1/account", bearer(acct.APIKey)), h.get("/v1/account", "")} {
			if r.header.Get("Content-Type") != "application/json" ||
				!regexp.MustCompile(`^req_[0-9A-Za-z]{14}$`).MatchString(r.header.Get("Request-Id")) ||
				r.header.Get("Stripe-Version") != "2023-10-16" {
				t.Fatalf("headers %v", r.header)
			}
		}
	})
}

func TestAccountEndpointErrors(t *testing.T) {
	h := newHarness(t, Options{Seed: 42})
	unknown := "rk_test_" + strings.Repeat("Q", 95) + "aB12"

	cases := []struct {
		name, auth, message string
	}{
		{"no credentials", "", msgNoAPIKey},
		{"an empty Bearer header", "Bearer ", msgEmptyAPIKey},
		{"an unknown key", bearer(unknown), "Invalid API Key provided: rk_test_" + strings.Repeat("*", 95) + "aB12"},
		{"an OAuth client id", bearer(h.info.ClientID), ""},
	}
	for _, c := range cases {
		t.Run("answers 401 in Stripe's shape for "+c.name, func(t *testing.T) {
			r := h.get("/v1/account", c.auth)
			e := r.apiErr()
			if r.status != http.StatusUnauthorized || e["type"] != "invalid_request_error" ||
				(c.message != "" && e["message"] != c.message) {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if got := keysOf(e); !slices.Equal(got, []string{"message", "type"}) {
				t.Fatalf("error keys %v", got)
			}
			if r.header.Get("WWW-Authenticate") != `Basic realm="Stripe"` {
				t.Fatalf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
			if strings.Contains(r.raw, unknown) {
				t.Fatal("the error echoes the whole key")
			}
		})
	}

	t.Run("answers Stripe's 404 for an unknown URL", func(t *testing.T) {
		r := h.get("/v1/nothing_here", bearer(h.info.SecretKey))
		if r.status != http.StatusNotFound || r.apiErr()["message"] != "Unrecognized request URL (GET: /v1/nothing_here). Please see https://stripe.com/docs or we can help at https://support.stripe.com/." {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})
}
