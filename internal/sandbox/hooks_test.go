package sandbox

import (
	"net/http"
	"net/url"
	"testing"
)

func TestRevokeHook(t *testing.T) {
	h := newHarness(t, Options{Seed: 51})
	a0, a1 := h.info.Accounts[0], h.info.Accounts[1]

	t.Run("token= revokes one access token and leaves others", func(t *testing.T) {
		one := h.connectToken(h.authorizeAs("/oauth/authorize", h.connectQuery(), a0.ID))
		two := h.connectToken(h.authorizeAs("/oauth/authorize", h.connectQuery(), a0.ID))
		r := h.post("/_sandbox/revoke", "", url.Values{"token": {one.str("access_token")}})
		if r.status != http.StatusOK || r.json["revoked"] != float64(1) {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		got := h.get("/v1/account", bearer(one.str("access_token")))
		if got.status != http.StatusUnauthorized || got.apiErr()["type"] != "invalid_request_error" {
			t.Fatalf("revoked token: %d %s", got.status, got.raw)
		}
		if got := h.get("/v1/account", bearer(two.str("access_token"))); got.status != http.StatusOK {
			t.Fatalf("other token: %d", got.status)
		}
	})

	t.Run("api_key= revokes a restricted key", func(t *testing.T) {
		if r := h.post("/_sandbox/revoke", "", url.Values{"api_key": {a1.APIKey}}); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if got := h.get("/v1/account", bearer(a1.APIKey)); got.status != http.StatusUnauthorized {
			t.Fatalf("revoked key: %d", got.status)
		}
		if got := h.get("/v1/account", bearer(a0.APIKey)); got.status != http.StatusOK {
			t.Fatalf("other key: %d", got.status)
		}
	})

	t.Run("account= revokes every OAuth token of the account", func(t *testing.T) {
		apps := h.appsGrant(a0.ID)
		connect := h.connectToken(h.authorizeAs("/oauth/authorize", h.connectQuery(), a0.ID))
		if r := h.post("/_sandbox/revoke", "", url.Values{"account": {a0.ID}}); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		for _, tok := range []string{apps.str("access_token"), connect.str("access_token")} {
			if got := h.get("/v1/account", bearer(tok)); got.status != http.StatusUnauthorized {
				t.Fatalf("token still works: %d", got.status)
			}
		}
		if r := h.appsRefresh(apps.str("refresh_token")); r.str("error") != "invalid_grant" {
			t.Fatalf("refresh token still works: %s", r.raw)
		}
	})

	t.Run("a revoked secret key can no longer call the token endpoint", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 52})
		code := h.authorizeAs("/oauth/authorize", h.connectQuery(), h.info.Accounts[0].ID)
		h.post("/_sandbox/revoke", "", url.Values{"api_key": {h.info.SecretKey}})
		if r := h.connectToken(code); r.status != http.StatusUnauthorized || r.str("error") != "invalid_client" {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})

	t.Run("nothing to revoke answers 404, nothing named answers 400", func(t *testing.T) {
		if r := h.post("/_sandbox/revoke", "", url.Values{"token": {"sk_test_unknown"}}); r.status != http.StatusNotFound {
			t.Fatalf("unknown token: %d", r.status)
		}
		if r := h.post("/_sandbox/revoke", "", url.Values{}); r.status != http.StatusBadRequest {
			t.Fatalf("empty form: %d", r.status)
		}
	})
}

func TestCreateKeyHook(t *testing.T) {
	h := newHarness(t, Options{Seed: 52})
	acct := h.info.Accounts[0]
	r := h.post("/_sandbox/keys", "", url.Values{"account": {acct.ID}})
	key := r.str("api_key")
	if r.status != http.StatusOK || len(key) < 20 || key[:8] != "rk_test_" || r.str("account") != acct.ID {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	t.Run("the new key reads its account", func(t *testing.T) {
		got := h.get("/v1/account", bearer(key))
		if got.status != http.StatusOK || got.str("id") != acct.ID {
			t.Errorf("GET /v1/account: %d %s", got.status, got.raw)
		}
	})
	t.Run("the new key can be revoked like any other", func(t *testing.T) {
		if r := h.post("/_sandbox/revoke", "", url.Values{"api_key": {key}}); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if got := h.get("/v1/account", bearer(key)); got.status != http.StatusUnauthorized {
			t.Errorf("a revoked key still reads: %d", got.status)
		}
	})
	t.Run("an unknown account gets a 404 in Stripe's error shape", func(t *testing.T) {
		r := h.post("/_sandbox/keys", "", url.Values{"account": {"acct_nope"}})
		if r.status != http.StatusNotFound || r.apiErr()["message"] == nil {
			t.Errorf("status %d %s", r.status, r.raw)
		}
	})
}
