package broker

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenRefusals(t *testing.T) {
	env := newTestEnv(t, FlavorApps)
	fs := env.stripe

	t.Run("a replayed code is refused with invalid_grant before reaching Stripe", func(t *testing.T) {
		app := newTestApp()
		code := env.connect(app, "acct_replay")
		if status, body := env.exchange(app, code); status != http.StatusOK {
			t.Fatalf("first exchange: %d %v", status, body)
		}
		before := len(fs.callsTo("/v1/oauth/token"))
		status, body := env.exchange(app, code)
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		if after := len(fs.callsTo("/v1/oauth/token")); after != before {
			t.Fatal("the replay reached Stripe although this process had seen the code")
		}
	})

	t.Run("a code replayed at another replica is refused by Stripe and reported as invalid_grant", func(t *testing.T) {
		app := newTestApp()
		code := env.connect(app, "acct_replay2")
		if status, body := env.exchange(app, code); status != http.StatusOK {
			t.Fatalf("first exchange: %d %v", status, body)
		}
		other := newReplica(t, env)
		env2 := *env
		env2.srv = other
		status, body := env2.exchange(app, code)
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		last := fs.callsTo("/v1/oauth/token")
		if strings.Contains(body["error_description"].(string), last[len(last)-1].Form["code"]) {
			t.Fatal("Stripe's description, quoting its code, was passed to the app")
		}
	})

	t.Run("a code presented after 61 seconds is refused with invalid_grant", func(t *testing.T) {
		app := newTestApp()
		code := env.connect(app, "acct_late")
		env.clock.Advance(61 * time.Second)
		status, body := env.exchange(app, code)
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		if !strings.Contains(body["error_description"].(string), "expired") {
			t.Errorf("description %q does not say expired", body["error_description"])
		}
	})

	t.Run("a wrong verifier is refused, and does not burn the code for the real app", func(t *testing.T) {
		app := newTestApp()
		code := env.connect(app, "acct_pkce")
		attacker := app
		attacker.verifier = newTestApp().verifier
		status, body := env.exchange(attacker, code)
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		if status, body := env.exchange(app, code); status != http.StatusOK {
			t.Fatalf("the real app's exchange after the attempt: %d %v", status, body)
		}
	})

	t.Run("a malformed verifier is refused with invalid_grant", func(t *testing.T) {
		app := newTestApp()
		code := env.connect(app, "acct_short")
		for _, v := range []string{"short", strings.Repeat("a", 129), strings.Repeat("a", 42) + "!"} {
			bad := app
			bad.verifier = v
			status, body := env.exchange(bad, code)
			wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		}
	})

	t.Run("a redirect_uri other than the bound one is refused with invalid_grant", func(t *testing.T) {
		app := newTestApp()
		code := env.connect(app, "acct_uri")
		other := app
		other.redirectURI = "http://127.0.0.1:49153/callback"
		status, body := env.exchange(other, code)
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
	})

	t.Run("a sealed state presented as a code is refused with invalid_grant", func(t *testing.T) {
		app := newTestApp()
		sealed := env.authorize(app)
		before := len(fs.callsTo("/v1/oauth/token"))
		status, body := env.exchange(app, sealed)
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		if len(fs.callsTo("/v1/oauth/token")) != before {
			t.Fatal("the broker took a state for a code and called Stripe")
		}
	})

	t.Run("a made-up code is refused with invalid_grant", func(t *testing.T) {
		status, body := env.exchange(newTestApp(), "ac_madeup")
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
	})

	t.Run("an unknown refresh token is refused with invalid_grant that does not quote it", func(t *testing.T) {
		status, body := env.postForm(pathToken, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt_unknown123"}, "client_id": {ClientID}})
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
		if strings.Contains(body["error_description"].(string), "rt_unknown123") {
			t.Fatal("the description quotes the refresh token")
		}
	})

	requestErrors := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantCode   string
	}{
		{"an unknown grant type", url.Values{"grant_type": {"password"}, "client_id": {ClientID}}, 400, "unsupported_grant_type"},
		{"a missing grant type", url.Values{"client_id": {ClientID}}, 400, "invalid_request"},
		{"a missing client_id", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt_x"}}, 401, "invalid_client"},
		{"another client_id", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt_x"}, "client_id": {"evil"}}, 401, "invalid_client"},
		{"a client secret from a public client", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt_x"}, "client_id": {ClientID}, "client_secret": {"s"}}, 401, "invalid_client"},
		{"a missing verifier", url.Values{"grant_type": {"authorization_code"}, "code": {"c"}, "redirect_uri": {"http://127.0.0.1:1/callback"}, "client_id": {ClientID}}, 400, "invalid_request"},
		{"a repeated parameter", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"a", "b"}, "client_id": {ClientID}}, 400, "invalid_request"},
	}
	for _, tc := range requestErrors {
		t.Run("answers "+tc.wantCode+" to "+tc.name, func(t *testing.T) {
			status, body := env.postForm(pathToken, tc.form)
			wantOAuthError(t, status, body, tc.wantStatus, tc.wantCode)
		})
	}

	t.Run("accepts client_id as basic auth user with an empty password", func(t *testing.T) {
		// golang.org/x/oauth2's AuthStyleInHeader (and AutoDetect's first try) send it so.
		app := newTestApp()
		code := env.connect(app, "acct_basic")
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {app.redirectURI}, "code_verifier": {app.verifier}}
		req, _ := http.NewRequest(http.MethodPost, env.srv.URL+pathToken, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(ClientID, "")
		resp, err := env.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})

	t.Run("refuses a JSON body, a GET and an oversized body", func(t *testing.T) {
		resp, err := env.http.Post(env.srv.URL+pathToken, "application/json", strings.NewReader(`{"grant_type":"refresh_token"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("JSON body: %d, want 400", resp.StatusCode)
		}
		if resp := env.get(pathToken, nil); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET token: %d Allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
		}
		big := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {strings.Repeat("x", maxBodyBytes)}}
		status, body := env.postForm(pathToken, big)
		wantOAuthError(t, status, body, http.StatusRequestEntityTooLarge, "invalid_request")
	})
}

func TestStripeTrouble(t *testing.T) {
	t.Run("Stripe unreachable at the code exchange is temporarily_unavailable (502)", func(t *testing.T) {
		env := newTestEnv(t, FlavorConnect)
		app := newTestApp()
		code := env.connect(app, "acct_down")
		env.stripe.srv.Close()
		status, body := env.exchange(app, code)
		wantOAuthError(t, status, body, http.StatusBadGateway, "temporarily_unavailable")
	})

	t.Run("Stripe answering 500 is temporarily_unavailable (503), and the code can be retried", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		app := newTestApp()
		code := env.connect(app, "acct_flaky")
		env.stripe.setStatus(http.StatusInternalServerError)
		status, body := env.exchange(app, code)
		wantOAuthError(t, status, body, http.StatusServiceUnavailable, "temporarily_unavailable")
		env.stripe.setStatus(0)
		if status, body := env.exchange(app, code); status != http.StatusOK {
			t.Fatalf("retry after Stripe recovered: %d %v", status, body)
		}
	})

	t.Run("Stripe refusing the broker's own credentials is a server_error, not the app's fault", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.stripe.rotateSecretKey("sk_test_rotatedkey") // the broker's key no longer matches
		app := newTestApp()
		code := env.connect(app, "acct_cred")
		status, body := env.exchange(app, code)
		wantOAuthError(t, status, body, http.StatusInternalServerError, "server_error")
	})

	t.Run("revoke with Stripe down is 502 temporarily_unavailable", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.stripe.srv.Close()
		status, body := env.postForm(pathRevoke, url.Values{"token": {"rt_" + randHex(12)}, "client_id": {ClientID}})
		wantOAuthError(t, status, body, http.StatusBadGateway, "temporarily_unavailable")
	})

	t.Run("revoke without a token is invalid_request", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		status, body := env.postForm(pathRevoke, url.Values{"client_id": {ClientID}})
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_request")
	})
}
