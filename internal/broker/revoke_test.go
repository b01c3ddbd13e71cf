package broker

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// connected runs a whole sign-in for account and returns the app's tokens.
func (e *testEnv) connected(account string) (access, refresh string) {
	e.t.Helper()
	app := newTestApp()
	status, body := e.exchange(app, e.connect(app, account))
	if status != http.StatusOK {
		e.t.Fatalf("exchange: %d %v", status, body)
	}
	return body["access_token"].(string), body["refresh_token"].(string)
}

func (e *testEnv) revoke(token, hint string) (int, map[string]any) {
	e.t.Helper()
	form := url.Values{"token": {token}, "client_id": {ClientID}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	return e.postForm(pathRevoke, form)
}

// Each story below failed against the broker before issue 12's fix, which
// revoked by access token: it answered 200 "already_invalid" to a token
// Stripe refused, and deauthorized for any credential that read the account.
func TestRevokeTellsTheTruth(t *testing.T) {
	t.Run("an expired access token is refused before any call to Stripe, and the grant stays reachable by its refresh token", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		access, refresh := env.connected("acct_expired")
		env.stripe.expireAccess(access) // an hour later
		calls := len(env.stripe.callsTo("/v1/account"))

		status, body := env.revoke(access, "access_token")
		wantOAuthError(t, status, body, http.StatusBadRequest, "unsupported_token_type")
		if body["revoked"] == true || body["already_invalid"] == true {
			t.Fatalf("the answer claims the grant is gone: %v", body)
		}
		if n := len(env.stripe.callsTo("/v1/account")); n != calls {
			t.Fatal("Stripe was called for a token the broker does not revoke by")
		}
		if !env.stripe.isConnected("acct_expired") {
			t.Fatal("the account was disconnected")
		}
		// The refresh token, still valid at Stripe, is what revokes.
		status, body = env.revoke(refresh, "refresh_token")
		if status != http.StatusOK || body["revoked"] != true {
			t.Fatalf("revoke by refresh token: %d %v", status, body)
		}
		if env.stripe.isConnected("acct_expired") {
			t.Fatal("the account is still connected after the revoke said it was not")
		}
	})

	t.Run("an API key that reads the account cannot disconnect it", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.connected("acct_victim")
		key := env.stripe.restrictedKey("acct_victim")
		for _, hint := range []string{"", "access_token", "refresh_token"} {
			status, body := env.revoke(key, hint)
			wantOAuthError(t, status, body, http.StatusBadRequest, "unsupported_token_type")
		}
		if !env.stripe.isConnected("acct_victim") || len(env.stripe.callsTo(env.stripe.deauthorizePath())) != 0 {
			t.Fatal("a restricted key disconnected the account")
		}
	})

	t.Run("a refresh token Stripe does not renew is invalid_grant, never revoked", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		status, body := env.revoke("rt_"+randHex(12), "refresh_token")
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		if body["revoked"] == true {
			t.Fatal("a token Stripe refused was reported revoked")
		}
		if n := len(env.stripe.callsTo(env.stripe.deauthorizePath())); n != 0 {
			t.Fatal("deauthorize was called for a token that names no account")
		}
	})

	t.Run("a revoke without client_id is refused", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		_, refresh := env.connected("acct_noclient")
		status, body := env.postForm(pathRevoke, url.Values{"token": {refresh}})
		wantOAuthError(t, status, body, http.StatusUnauthorized, "invalid_client")
		if !env.stripe.isConnected("acct_noclient") {
			t.Fatal("the account was disconnected")
		}
	})

	t.Run("apps flavour: deauthorize failing after the refresh rotated hands back the new tokens, and they revoke on retry", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		_, refresh := env.connected("acct_retry")
		env.stripe.failPath(env.stripe.deauthorizePath(), http.StatusInternalServerError)

		status, body := env.revoke(refresh, "refresh_token")
		wantOAuthError(t, status, body, http.StatusServiceUnavailable, "temporarily_unavailable")
		rotated, _ := body["refresh_token"].(string)
		if rotated == "" || rotated == refresh || body["access_token"] == nil {
			t.Fatalf("the failure did not carry Stripe's rotated tokens: %v", body)
		}
		// The old refresh token is dead at Stripe now; the rotated one works.
		env.stripe.failPath(env.stripe.deauthorizePath(), 0)
		if status, body := env.revoke(refresh, "refresh_token"); status != http.StatusBadRequest {
			t.Fatalf("the used refresh token still worked: %d %v", status, body)
		}
		if status, body := env.revoke(rotated, "refresh_token"); status != http.StatusOK || body["revoked"] != true {
			t.Fatalf("retry with the rotated token: %d %v", status, body)
		}
		if env.stripe.isConnected("acct_retry") {
			t.Fatal("still connected")
		}
	})

	t.Run("connect flavour: a failed deauthorize returns no tokens (the refresh token did not change)", func(t *testing.T) {
		env := newTestEnv(t, FlavorConnect)
		_, refresh := env.connected("acct_conn")
		env.stripe.failPath(env.stripe.deauthorizePath(), http.StatusBadGateway)
		status, body := env.revoke(refresh, "refresh_token")
		wantOAuthError(t, status, body, http.StatusServiceUnavailable, "temporarily_unavailable")
		if _, has := body["refresh_token"]; has {
			t.Fatalf("tokens in a connect-flavour failure: %v", body)
		}
		env.stripe.failPath(env.stripe.deauthorizePath(), 0)
		if status, body := env.revoke(refresh, ""); status != http.StatusOK || body["revoked"] != true {
			t.Fatalf("retry: %d %v", status, body)
		}
	})

	t.Run("the account already gone at Stripe between the renewal and the deauthorize still counts as revoked", func(t *testing.T) {
		env := newTestEnv(t, FlavorConnect)
		_, refresh := env.connected("acct_race")
		// Stripe renews, then says "not connected": the owner removed the app in the dashboard meanwhile.
		env.stripe.mu.Lock()
		env.stripe.afterRefresh = func(account string) { delete(env.stripe.connected, account) }
		env.stripe.mu.Unlock()
		status, body := env.revoke(refresh, "refresh_token")
		if status != http.StatusOK || body["revoked"] != true {
			t.Fatalf("revoke: %d %v", status, body)
		}
	})

	t.Run("the broker's own key refused at deauthorize is a server_error, not revoked", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		_, refresh := env.connected("acct_key")
		env.stripe.mu.Lock()
		env.stripe.failDeauthorizeAsBadKey = true
		env.stripe.mu.Unlock()
		status, body := env.revoke(refresh, "refresh_token")
		wantOAuthError(t, status, body, http.StatusBadGateway, "server_error")
		if body["revoked"] == true || !env.stripe.isConnected("acct_key") {
			t.Fatalf("reported or made revoked: %v", body)
		}
	})

	t.Run("one deadline covers the whole request: two slow calls to Stripe end at it", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) { c.RequestTimeout = 300 * time.Millisecond })
		_, refresh := env.connected("acct_slow")
		env.stripe.setDelay(250 * time.Millisecond) // each call alone fits; renewal plus deauthorize do not
		start := time.Now()
		status, body := env.revoke(refresh, "refresh_token")
		took := time.Since(start)
		wantOAuthError(t, status, body, http.StatusBadGateway, "temporarily_unavailable")
		if took > 2*time.Second {
			t.Fatalf("the revoke took %v with a 300ms deadline", took)
		}
		if _, has := body["refresh_token"]; !has {
			t.Fatal("the rotated refresh token was lost when the deadline hit")
		}
	})
}
