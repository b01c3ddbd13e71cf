package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// appsToken calls Stripe Apps' token endpoint with the secret key as the
// Basic auth username, as Stripe's docs show (curl -u sk_…:).
func (h *harness) appsToken(form url.Values) reply {
	h.t.Helper()
	return h.post("/v1/oauth/token", basic(h.info.SecretKey), form)
}

func (h *harness) appsRefresh(rt string) reply {
	h.t.Helper()
	return h.appsToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

func (h *harness) appsGrant(account string) reply {
	h.t.Helper()
	code := h.authorizeAs("/oauth/v2/authorize", h.appsQuery(), account)
	r := h.appsToken(url.Values{"grant_type": {"authorization_code"}, "code": {code}})
	if r.status != http.StatusOK {
		h.t.Fatalf("apps token: %d %s", r.status, r.raw)
	}
	return r
}

func TestAppsFlow(t *testing.T) {
	h := newHarness(t, Options{Seed: 31})
	chosen := h.info.Accounts[2]
	tok := h.appsGrant(chosen.ID)

	t.Run("the token response adds expires_in and the stripe_apps scope", func(t *testing.T) {
		want := []string{"access_token", "expires_in", "livemode", "refresh_token", "scope", "stripe_publishable_key", "stripe_user_id", "token_type"}
		if got := keysOf(tok.json); !slices.Equal(got, want) {
			t.Fatalf("keys %v, want %v", got, want)
		}
		if tok.json["expires_in"] != float64(3600) || tok.str("scope") != "stripe_apps" || tok.str("stripe_user_id") != chosen.ID || tok.str("token_type") != "bearer" {
			t.Fatalf("token response %s", tok.raw)
		}
		if r := h.get("/v1/account", bearer(tok.str("access_token"))); r.status != http.StatusOK || r.str("id") != chosen.ID {
			t.Fatalf("account: %d %s", r.status, r.raw)
		}
	})

	t.Run("Bearer auth works at the token endpoint too", func(t *testing.T) {
		code := h.authorizeAs("/oauth/v2/authorize", h.appsQuery(), chosen.ID)
		r := h.post("/v1/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"authorization_code"}, "code": {code}})
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
	})

	t.Run("a refresh rotates the refresh token and the old one stops working at once", func(t *testing.T) {
		first := h.appsRefresh(tok.str("refresh_token"))
		if first.status != http.StatusOK || first.str("refresh_token") == tok.str("refresh_token") ||
			first.str("access_token") == tok.str("access_token") || first.json["expires_in"] != float64(3600) {
			t.Fatalf("refresh: %d %s", first.status, first.raw)
		}
		reuse := h.appsRefresh(tok.str("refresh_token"))
		if reuse.status != http.StatusBadRequest || reuse.str("error") != "invalid_grant" {
			t.Fatalf("reusing the old refresh token: %d %s", reuse.status, reuse.raw)
		}
		second := h.appsRefresh(first.str("refresh_token"))
		if second.status != http.StatusOK || second.str("stripe_user_id") != chosen.ID {
			t.Fatalf("refreshing with the new refresh token: %d %s", second.status, second.raw)
		}
		if r := h.get("/v1/account", bearer(second.str("access_token"))); r.status != http.StatusOK {
			t.Fatalf("the newest access token: %d", r.status)
		}
	})

	t.Run("a Connect refresh token does not work at the Stripe Apps endpoint", func(t *testing.T) {
		code := h.authorizeAs("/oauth/authorize", h.connectQuery(), chosen.ID)
		c := h.connectToken(code)
		if r := h.appsRefresh(c.str("refresh_token")); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
	})
}

func TestAppsTokenLifetimes(t *testing.T) {
	t.Run("an access token is refused once its lifetime has passed, and a refresh brings access back", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 32})
		h.sb.SetAccessTokenTTL(2 * time.Second)
		tok := h.appsGrant(h.info.Accounts[0].ID)
		if tok.json["expires_in"] != float64(2) {
			t.Fatalf("expires_in %v, want 2", tok.json["expires_in"])
		}
		h.clock.Advance(1999 * time.Millisecond)
		if r := h.get("/v1/account", bearer(tok.str("access_token"))); r.status != http.StatusOK {
			t.Fatalf("just before expiry: %d", r.status)
		}
		h.clock.Advance(time.Millisecond)
		r := h.get("/v1/account", bearer(tok.str("access_token")))
		e := r.apiErr()
		if r.status != http.StatusUnauthorized || e["code"] != "api_key_expired" || e["type"] != "invalid_request_error" ||
			!strings.HasPrefix(e["message"].(string), "Expired API Key provided: sk_test_****") {
			t.Fatalf("at expiry: %d %s", r.status, r.raw)
		}
		ref := h.appsRefresh(tok.str("refresh_token"))
		if got := h.get("/v1/account", bearer(ref.str("access_token"))); got.status != http.StatusOK {
			t.Fatalf("after refresh: %d", got.status)
		}
	})

	t.Run("POST /_sandbox/settings sets the lifetime of later tokens", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 33})
		before := h.appsGrant(h.info.Accounts[0].ID)
		s := h.post("/_sandbox/settings", "", url.Values{"access_token_ttl": {"2s"}})
		if s.status != http.StatusOK || s.json["access_token_ttl_seconds"] != float64(2) {
			t.Fatalf("settings: %d %s", s.status, s.raw)
		}
		after := h.appsGrant(h.info.Accounts[0].ID)
		h.clock.Advance(3 * time.Second)
		if r := h.get("/v1/account", bearer(after.str("access_token"))); r.status != http.StatusUnauthorized {
			t.Fatalf("a 2s token after 3s: %d", r.status)
		}
		if r := h.get("/v1/account", bearer(before.str("access_token"))); r.status != http.StatusOK {
			t.Fatalf("a 1h token after 3s: %d", r.status)
		}
		for _, bad := range []string{"soon", "0s", "-1s"} {
			if r := h.post("/_sandbox/settings", "", url.Values{"access_token_ttl": {bad}}); r.status != http.StatusBadRequest {
				t.Fatalf("access_token_ttl=%s: %d", bad, r.status)
			}
		}
	})

	t.Run("a refresh token expires after RefreshTokenTTL", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 34, RefreshTokenTTL: 48 * time.Hour})
		tok := h.appsGrant(h.info.Accounts[0].ID)
		h.clock.Advance(48 * time.Hour)
		if r := h.appsRefresh(tok.str("refresh_token")); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
	})

	t.Run("OmitExpiresIn leaves expires_in out", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 35, OmitExpiresIn: true})
		if tok := h.appsGrant(h.info.Accounts[0].ID); tok.json["expires_in"] != nil {
			t.Fatalf("expires_in present: %s", tok.raw)
		}
	})
}

func TestAppsDeauthorize(t *testing.T) {
	h := newHarness(t, Options{Seed: 36})
	acct := h.info.Accounts[0].ID
	apps := h.appsGrant(acct)
	connect := h.connectToken(h.authorizeAs("/oauth/authorize", h.connectQuery(), acct))

	d := h.post("/v1/oauth/deauthorize", basic(h.info.SecretKey), url.Values{"client_id": {h.info.ClientID}, "stripe_user_id": {acct}})
	if d.status != http.StatusOK || d.str("stripe_user_id") != acct {
		t.Fatalf("deauthorize: %d %s", d.status, d.raw)
	}
	t.Run("revokes the Stripe Apps tokens", func(t *testing.T) {
		if r := h.get("/v1/account", bearer(apps.str("access_token"))); r.status != http.StatusUnauthorized {
			t.Fatalf("access token: %d", r.status)
		}
		if r := h.appsRefresh(apps.str("refresh_token")); r.str("error") != "invalid_grant" {
			t.Fatalf("refresh token: %d %s", r.status, r.raw)
		}
	})
	t.Run("leaves the account's Connect tokens alone", func(t *testing.T) {
		if r := h.get("/v1/account", bearer(connect.str("access_token"))); r.status != http.StatusOK {
			t.Fatalf("connect token: %d", r.status)
		}
	})
	t.Run("needs client_id and stripe_user_id", func(t *testing.T) {
		for _, form := range []url.Values{{"stripe_user_id": {acct}}, {"client_id": {h.info.ClientID}}} {
			if r := h.post("/v1/oauth/deauthorize", basic(h.info.SecretKey), form); r.status != http.StatusBadRequest || r.str("error") != "invalid_request" {
				t.Fatalf("%v: %d %s", form, r.status, r.raw)
			}
		}
	})
	t.Run("needs the secret key", func(t *testing.T) {
		r := h.post("/v1/oauth/deauthorize", "", url.Values{"client_id": {h.info.ClientID}, "stripe_user_id": {acct}})
		if r.status != http.StatusUnauthorized || r.str("error") != "invalid_client" {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})
}

func TestConcurrentFlows(t *testing.T) {
	h := newHarness(t, Options{Seed: 37, Accounts: 6})
	errs := make(chan string, len(h.info.Accounts))
	for _, a := range h.info.Accounts {
		go func() {
			// If a harness helper fails it marks the test failed and ends
			// this goroutine; the deferred send keeps the test from waiting.
			msg := a.ID + ": the flow did not finish"
			defer func() { errs <- msg }()
			q := h.appsQuery()
			p := h.open("/oauth/v2/authorize", q)
			got := h.answer("/oauth/v2/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {a.ID}, "action": {"authorize"}})
			u, _ := url.Parse(got.location)
			tok := h.appsToken(url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")}})
			rot := h.appsRefresh(tok.str("refresh_token"))
			if r := h.get("/v1/account", bearer(rot.str("access_token"))); r.str("id") != a.ID {
				msg = a.ID + ": the token read " + r.str("id")
				return
			}
			msg = ""
		}()
	}
	for range h.info.Accounts {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
