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

func flipChar(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}
