package broker

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestStripeClientFollowsNoRedirects(t *testing.T) {
	// Given a "Stripe" whose token endpoint answers 302 to another server,
	var elsewhereHits atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhereHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"sk_test_stolen","token_type":"bearer","stripe_user_id":"acct_evil"}`))
	}))
	t.Cleanup(elsewhere.Close)
	var redirectorHits atomic.Int32
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		redirectorHits.Add(1)
		http.Redirect(w, r, elsewhere.URL+"/v1/oauth/token", http.StatusFound)
	}))
	t.Cleanup(redirector.Close)

	clients := map[string]*http.Client{
		"the broker's default client":                   nil,
		"a caller's client that would follow redirects": {},
	}
	for name, hc := range clients {
		t.Run(name+" does not follow Stripe's 302", func(t *testing.T) {
			env := newTestEnv(t, FlavorApps, func(c *Config) {
				c.APIBase = redirector.URL
				c.HTTPClient = hc
			})
			app := newTestApp()
			code := env.connect(app, "acct_redirect")
			before := elsewhereHits.Load()
			status, body := env.exchange(app, code)
			// then the exchange fails as an unusable answer and the other server is never asked.
			wantOAuthError(t, status, body, http.StatusBadGateway, "server_error")
			if redirectorHits.Load() == 0 {
				t.Fatal("the redirecting Stripe was never called")
			}
			if elsewhereHits.Load() != before {
				t.Fatal("the broker followed Stripe's redirect")
			}
		})
	}

	t.Run("the client handed to New is copied, not changed", func(t *testing.T) {
		hc := &http.Client{}
		if _, err := New(Config{ClientID: testClientID, SecretKey: testSecretKey, PublicURL: "https://b.example", HTTPClient: hc}); err != nil {
			t.Fatal(err)
		}
		if hc.CheckRedirect != nil || hc.Timeout != 0 {
			t.Fatal("New changed the caller's client")
		}
	})

	t.Run("the default client has a timeout", func(t *testing.T) {
		b, err := New(Config{ClientID: testClientID, SecretKey: testSecretKey, PublicURL: "https://b.example"})
		if err != nil {
			t.Fatal(err)
		}
		if b.stripe.http.Timeout <= 0 || b.stripe.http.CheckRedirect == nil {
			t.Fatalf("timeout %v, CheckRedirect set %v", b.stripe.http.Timeout, b.stripe.http.CheckRedirect != nil)
		}
	})
}
