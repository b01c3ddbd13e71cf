package broker

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeRefusals(t *testing.T) {
	env := newTestEnv(t, FlavorApps)

	badRedirects := map[string]string{
		"a non-loopback host":           "http://evil.example/callback",
		"https":                         "https://127.0.0.1:5000/callback",
		"the localhost name":            "http://localhost:5000/callback",
		"another path":                  "http://127.0.0.1:5000/other",
		"a trailing slash":              "http://127.0.0.1:5000/callback/",
		"userinfo":                      "http://user@127.0.0.1:5000/callback",
		"userinfo hiding another host":  "http://127.0.0.1:5000@evil.example/callback",
		"a fragment":                    "http://127.0.0.1:5000/callback#frag",
		"a query":                       "http://127.0.0.1:5000/callback?next=x",
		"no port":                       "http://127.0.0.1/callback",
		"port 0":                        "http://127.0.0.1:0/callback",
		"port 65536":                    "http://127.0.0.1:65536/callback",
		"a leading-zero port":           "http://127.0.0.1:05000/callback",
		"another loopback address":      "http://127.0.0.2:5000/callback",
		"an upper-case scheme":          "HTTP://127.0.0.1:5000/callback",
		"a percent-encoded path":        "http://127.0.0.1:5000/%63allback",
		"a custom scheme":               "ledgerline://127.0.0.1:5000/callback",
		"a protocol-relative reference": "//evil.example/callback",
		"nothing":                       "",
	}
	for name, uri := range badRedirects {
		t.Run("refuses a redirect_uri with "+name+" with a page and no redirect", func(t *testing.T) {
			app := newTestApp()
			q := app.authorizeParams()
			q.Set("redirect_uri", uri)
			body := wantPage(t, env.get(pathAuthorize, q), http.StatusBadRequest)
			if uri != "" && strings.Contains(body, uri) {
				t.Error("the page echoes the rejected address")
			}
		})
	}

	t.Run("refuses a redirect_uri given twice with a page", func(t *testing.T) {
		app := newTestApp()
		q := app.authorizeParams()
		q.Add("redirect_uri", "http://127.0.0.1:6000/callback")
		wantPage(t, env.get(pathAuthorize, q), http.StatusBadRequest)
	})

	t.Run("refuses an unknown client_id with a page, not a redirect", func(t *testing.T) {
		// RFC 6749 §4.1.2.1: an invalid client identifier must not redirect.
		app := newTestApp()
		q := app.authorizeParams()
		q.Set("client_id", "someone-else")
		wantPage(t, env.get(pathAuthorize, q), http.StatusBadRequest)
	})

	redirectsBack := []struct {
		name      string
		change    func(url.Values)
		code      string
		wantState bool
	}{
		{"a missing code_challenge", func(q url.Values) { q.Del("code_challenge") }, "invalid_request", true},
		{"a plain challenge method", func(q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request", true},
		{"a missing challenge method", func(q url.Values) { q.Del("code_challenge_method") }, "invalid_request", true},
		{"a short challenge", func(q url.Values) { q.Set("code_challenge", "abc123") }, "invalid_request", true},
		{"a challenge outside base64url", func(q url.Values) { q.Set("code_challenge", strings.Repeat("+", 43)) }, "invalid_request", true},
		{"a missing state", func(q url.Values) { q.Del("state") }, "invalid_request", false},
		{"a state with control characters", func(q url.Values) { q.Set("state", "a\nb") }, "invalid_request", false},
		{"a repeated state", func(q url.Values) { q.Add("state", "again") }, "invalid_request", false},
		{"an unknown mode", func(q url.Values) { q.Set("mode", "sandbox") }, "invalid_request", true},
		{"a missing response_type", func(q url.Values) { q.Del("response_type") }, "invalid_request", true},
		{"response_type token", func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type", true},
	}
	for _, tc := range redirectsBack {
		t.Run("sends "+tc.code+" back to the app for "+tc.name, func(t *testing.T) {
			app := newTestApp()
			q := app.authorizeParams()
			tc.change(q)
			got := wantAppError(t, env.get(pathAuthorize, q), app, tc.code, tc.wantState)
			if !tc.wantState && got.Has("state") {
				t.Errorf("echoed a state that was missing or malformed: %q", got.Get("state"))
			}
		})
	}

	t.Run("a test-mode broker refuses a live-mode request with invalid_request", func(t *testing.T) {
		app := newTestApp()
		q := app.authorizeParams()
		q.Set("mode", "live")
		got := wantAppError(t, env.get(pathAuthorize, q), app, "invalid_request", true)
		if !strings.Contains(got.Get("error_description"), "serves only test mode") {
			t.Fatalf("description %q does not say the broker serves only test mode", got.Get("error_description"))
		}
	})

	t.Run("a live-mode broker refuses a test-mode request with invalid_request", func(t *testing.T) {
		live := newTestEnv(t, FlavorConnect, func(c *Config) { c.SecretKey = "sk_" + "live_platform" })
		app := newTestApp()
		q := app.authorizeParams()
		q.Set("mode", "test")
		got := wantAppError(t, live.get(pathAuthorize, q), app, "invalid_request", true)
		if !strings.Contains(got.Get("error_description"), "serves only live mode") {
			t.Fatalf("description %q does not say the broker serves only live mode", got.Get("error_description"))
		}
	})

	t.Run("only GET is allowed on the authorize endpoint", func(t *testing.T) {
		resp, err := env.http.PostForm(env.srv.URL+pathAuthorize, newTestApp().authorizeParams())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
			t.Fatalf("POST authorize: %d Allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}

func TestCallbackRefusals(t *testing.T) {
	env := newTestEnv(t, FlavorApps)

	t.Run("a tampered state gets a page, and no redirect anywhere", func(t *testing.T) {
		sealed := env.authorize(newTestApp())
		for _, i := range []int{0, len(sealed) / 2, len(sealed) - 2} {
			tampered := []byte(sealed)
			tampered[i] = flipChar(tampered[i])
			wantPage(t, env.get(pathStripeCallback, url.Values{"code": {env.stripe.approve("acct_x")}, "state": {string(tampered)}}), http.StatusBadRequest)
		}
	})

	t.Run("a state older than 10 minutes gets a page", func(t *testing.T) {
		sealed := env.authorize(newTestApp())
		env.clock.Advance(stateLifetime + time.Second)
		body := wantPage(t, env.get(pathStripeCallback, url.Values{"code": {env.stripe.approve("acct_x")}, "state": {sealed}}), http.StatusBadRequest)
		if !strings.Contains(body, "10 minutes") {
			t.Errorf("the page does not say the sign-in expired: %s", body)
		}
	})

	t.Run("a state sealed by a broker with another key gets a page", func(t *testing.T) {
		stranger := newTestEnv(t, FlavorApps, func(c *Config) { c.SecretKey = "sk_test_anotherplatform" })
		sealed := stranger.authorize(newTestApp())
		wantPage(t, env.get(pathStripeCallback, url.Values{"code": {env.stripe.approve("acct_x")}, "state": {sealed}}), http.StatusBadRequest)
	})

	t.Run("a broker code presented as a state gets a page", func(t *testing.T) {
		code := env.connect(newTestApp(), "acct_x")
		wantPage(t, env.get(pathStripeCallback, url.Values{"code": {env.stripe.approve("acct_x")}, "state": {code}}), http.StatusBadRequest)
	})

	t.Run("a callback without state gets a page", func(t *testing.T) {
		wantPage(t, env.get(pathStripeCallback, url.Values{"code": {env.stripe.approve("acct_x")}}), http.StatusBadRequest)
	})

	t.Run("Stripe's access_denied goes back to the app with the app's state", func(t *testing.T) {
		app := newTestApp()
		sealed := env.authorize(app)
		resp := env.get(pathStripeCallback, url.Values{
			"error": {"access_denied"}, "error_description": {"The user denied your request"}, "state": {sealed},
		})
		wantAppError(t, resp, app, "access_denied", true)
	})

	t.Run("any other Stripe error goes back to the app as server_error", func(t *testing.T) {
		app := newTestApp()
		sealed := env.authorize(app)
		wantAppError(t, env.get(pathStripeCallback, url.Values{"error": {"invalid_scope"}, "state": {sealed}}), app, "server_error", true)
	})

	t.Run("no Stripe token call happened in any of these", func(t *testing.T) {
		if n := len(env.stripe.callsTo("/v1/oauth/token")); n != 0 {
			t.Fatalf("Stripe's token endpoint was called %d times", n)
		}
	})
}

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
		status, body := env.postForm(pathRevoke, url.Values{"token": {"sk_test_sometoken"}})
		wantOAuthError(t, status, body, http.StatusBadGateway, "temporarily_unavailable")
	})

	t.Run("revoke of a token Stripe does not know is 200 and says nothing was revoked", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.stripe.expect("GET /v1/account")
		status, body := env.postForm(pathRevoke, url.Values{"token": {"sk_test_unknown"}})
		if status != http.StatusOK || body["already_invalid"] != true || body["detail"] == "" {
			t.Fatalf("revoke: %d %v", status, body)
		}
		if n := len(env.stripe.callsTo("/v1/oauth/deauthorize")); n != 0 {
			t.Fatal("deauthorize was called for a token that resolves to no account")
		}
	})

	t.Run("revoke without a token is invalid_request", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		status, body := env.postForm(pathRevoke, url.Values{"client_id": {ClientID}})
		wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_request")
	})
}

func flipChar(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}
