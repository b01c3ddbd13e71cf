package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// These tests start two sandboxes with the same seed and nothing shared,
// as `ledgerline --sandbox` and `ledgerline --sandbox sync` do in two
// processes, and carry tokens from one to the other.

func (h *harness) connectRefresh(rt string) reply {
	h.t.Helper()
	return h.post("/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

func (h *harness) connectGrant(account string) reply {
	h.t.Helper()
	r := h.connectToken(h.authorizeAs("/oauth/authorize", h.connectQuery(), account))
	if r.status != http.StatusOK {
		h.t.Fatalf("connect token: %d %s", r.status, r.raw)
	}
	return r
}

// readsAccount reports the status of GET /v1/account with token, failing
// the test if a 200 names another account.
func (h *harness) readsAccount(token, account string) int {
	h.t.Helper()
	r := h.get("/v1/account", bearer(token))
	if r.status == http.StatusOK && r.str("id") != account {
		h.t.Fatalf("the token reads %s, want %s", r.str("id"), account)
	}
	return r.status
}

func TestTokensWorkAcrossInstancesWithTheSameSeed(t *testing.T) {
	first, second := newHarness(t, Options{Seed: 1}), newHarness(t, Options{Seed: 1})
	acct := first.info.Accounts[1].ID

	t.Run("a Connect access token from one instance reads the account at the other", func(t *testing.T) {
		tok := first.connectGrant(acct)
		if got := second.readsAccount(tok.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("status %d at the second instance", got)
		}
	})

	t.Run("a Connect refresh at the other instance gives a working access token and keeps the refresh token", func(t *testing.T) {
		tok := first.connectGrant(acct)
		ref := second.connectRefresh(tok.str("refresh_token"))
		if ref.status != http.StatusOK || ref.str("refresh_token") != tok.str("refresh_token") || ref.str("stripe_user_id") != acct {
			t.Fatalf("refresh: %d %s", ref.status, ref.raw)
		}
		if got := first.readsAccount(ref.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("the refreshed access token at the first instance: %d", got)
		}
	})

	t.Run("a Stripe Apps refresh at the other instance rotates, and the used token is refused there", func(t *testing.T) {
		tok := first.appsGrant(acct)
		if got := second.readsAccount(tok.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("the Stripe Apps access token at the second instance: %d", got)
		}
		ref := second.appsRefresh(tok.str("refresh_token"))
		if ref.status != http.StatusOK || ref.str("refresh_token") == tok.str("refresh_token") || ref.json["expires_in"] != float64(3600) {
			t.Fatalf("refresh: %d %s", ref.status, ref.raw)
		}
		if again := second.appsRefresh(tok.str("refresh_token")); again.status != http.StatusBadRequest || again.str("error") != "invalid_grant" {
			t.Fatalf("the used refresh token again: %d %s", again.status, again.raw)
		}
		if got := first.readsAccount(ref.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("the rotated access token back at the first instance: %d", got)
		}
		if back := first.appsRefresh(ref.str("refresh_token")); back.status != http.StatusOK {
			t.Fatalf("the rotated refresh token at the first instance: %d %s", back.status, back.raw)
		}
	})

	t.Run("revoking a token is remembered only by the instance that revoked it", func(t *testing.T) {
		tok := first.connectGrant(acct).str("access_token")
		if r := first.post("/_sandbox/revoke", "", url.Values{"token": {tok}}); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if got := first.readsAccount(tok, acct); got != http.StatusUnauthorized {
			t.Fatalf("the revoking instance: %d, want 401", got)
		}
		if got := second.readsAccount(tok, acct); got != http.StatusOK {
			t.Fatalf("the other instance: %d, want 200 (revocations are per instance)", got)
		}
	})
}

func TestForeignTokensAreUnknown(t *testing.T) {
	issuer := newHarness(t, Options{Seed: 1, Accounts: 5})
	acct := issuer.info.Accounts[0].ID
	connect, apps := issuer.connectGrant(acct), issuer.appsGrant(acct)

	t.Run("an instance with another seed refuses the tokens", func(t *testing.T) {
		other := newHarness(t, Options{Seed: 2})
		for _, tok := range []string{connect.str("access_token"), apps.str("access_token")} {
			r := other.get("/v1/account", bearer(tok))
			if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.apiErr()["message"].(string), "Invalid API Key provided: sk_test_****") {
				t.Fatalf("access token from seed 1 at seed 2: %d %s", r.status, r.raw)
			}
		}
		if r := other.connectRefresh(connect.str("refresh_token")); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("Connect refresh token from seed 1 at seed 2: %d %s", r.status, r.raw)
		}
		if r := other.appsRefresh(apps.str("refresh_token")); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("Stripe Apps refresh token from seed 1 at seed 2: %d %s", r.status, r.raw)
		}
	})

	t.Run("a tampered token is refused, and its error does not echo it", func(t *testing.T) {
		same := newHarness(t, Options{Seed: 1, Accounts: 5})
		tok := connect.str("access_token")
		for _, i := range []int{len(accessPrefix), len(tok) / 2, len(tok) - 1} {
			b := []byte(tok)
			b[i] = alphanumeric[(base62Digit(b[i])+7)%62]
			r := same.get("/v1/account", bearer(string(b)))
			if r.status != http.StatusUnauthorized || r.apiErr()["code"] == "api_key_expired" {
				t.Fatalf("tampered at %d: %d %s", i, r.status, r.raw)
			}
			if strings.Contains(r.raw, string(b[len(accessPrefix):len(b)-4])) {
				t.Fatal("the error echoes the token")
			}
		}
		rt := []byte(apps.str("refresh_token"))
		rt[len(rt)/2] = alphanumeric[(base62Digit(rt[len(rt)/2])+1)%62]
		if r := same.appsRefresh(string(rt)); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("tampered refresh token: %d %s", r.status, r.raw)
		}
		if got := same.readsAccount(tok, acct); got != http.StatusOK {
			t.Fatalf("the untampered token at the same instance: %d", got)
		}
	})

	t.Run("an instance without the token's account refuses it", func(t *testing.T) {
		fewer := newHarness(t, Options{Seed: 1, Accounts: 3})
		last := issuer.info.Accounts[4].ID
		if got := fewer.readsAccount(issuer.connectGrant(last).str("access_token"), last); got != http.StatusUnauthorized {
			t.Fatalf("token for an account the instance lacks: %d", got)
		}
		if got := fewer.readsAccount(connect.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("token for an account both have: %d", got)
		}
	})
}

func TestExpiryAcrossInstances(t *testing.T) {
	first, second := newHarness(t, Options{Seed: 1}), newHarness(t, Options{Seed: 1})
	first.sb.SetAccessTokenTTL(2 * time.Second)
	acct := first.info.Accounts[0].ID
	tok := first.appsGrant(acct)

	second.clock.Advance(1999 * time.Millisecond)
	if got := second.readsAccount(tok.str("access_token"), acct); got != http.StatusOK {
		t.Fatalf("just before expiry at the second instance: %d", got)
	}
	second.clock.Advance(time.Millisecond)
	r := second.get("/v1/account", bearer(tok.str("access_token")))
	if r.status != http.StatusUnauthorized || r.apiErr()["code"] != "api_key_expired" {
		t.Fatalf("at expiry at the second instance: %d %s", r.status, r.raw)
	}

	short := newHarness(t, Options{Seed: 1, RefreshTokenTTL: time.Minute})
	stale := short.appsGrant(acct)
	second.clock.Advance(time.Minute)
	if r := second.appsRefresh(stale.str("refresh_token")); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" ||
		!strings.Contains(r.str("error_description"), "expired") {
		t.Fatalf("a refresh token past the lifetime it was issued with: %d %s", r.status, r.raw)
	}
}

func TestGrantRevocationsReachTokensFromOtherInstances(t *testing.T) {
	t.Run("a deauthorization refuses tokens issued before it, even ones not yet seen", func(t *testing.T) {
		first, second := newHarness(t, Options{Seed: 1}), newHarness(t, Options{Seed: 1})
		acct := first.info.Accounts[2].ID
		seen, unseen := first.connectGrant(acct), first.connectGrant(acct)
		if got := second.readsAccount(seen.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("before the deauthorization: %d", got)
		}
		d := second.post("/oauth/deauthorize", "", url.Values{"client_id": {second.info.ClientID},
			"stripe_user_id": {acct}, "client_secret": {second.info.SecretKey}})
		if d.status != http.StatusOK || d.str("stripe_user_id") != acct {
			t.Fatalf("deauthorize at the second instance: %d %s", d.status, d.raw)
		}
		for name, tok := range map[string]string{"seen": seen.str("access_token"), "unseen": unseen.str("access_token")} {
			if got := second.readsAccount(tok, acct); got != http.StatusUnauthorized {
				t.Fatalf("%s token after the deauthorization: %d", name, got)
			}
		}
		if r := second.connectRefresh(unseen.str("refresh_token")); r.status != http.StatusBadRequest {
			t.Fatalf("unseen refresh token after the deauthorization: %d %s", r.status, r.raw)
		}
		first.clock.Advance(time.Second)
		later := first.connectGrant(acct)
		if got := second.readsAccount(later.str("access_token"), acct); got != http.StatusOK {
			t.Fatalf("a token issued after the deauthorization: %d", got)
		}
	})

	t.Run("a replayed code revokes tokens refreshed from it at another instance", func(t *testing.T) {
		first, second := newHarness(t, Options{Seed: 1}), newHarness(t, Options{Seed: 1})
		acct := first.info.Accounts[0].ID
		code := first.authorizeAs("/oauth/authorize", first.connectQuery(), acct)
		tok := first.connectToken(code)
		ref := second.connectRefresh(tok.str("refresh_token"))
		if ref.status != http.StatusOK {
			t.Fatalf("refresh at the second instance: %d %s", ref.status, ref.raw)
		}
		if replay := first.connectToken(code); replay.status != http.StatusBadRequest {
			t.Fatalf("replay: %d %s", replay.status, replay.raw)
		}
		if got := first.readsAccount(ref.str("access_token"), acct); got != http.StatusUnauthorized {
			t.Fatalf("a token refreshed from the replayed code's grant, at the replaying instance: %d", got)
		}
	})
}
