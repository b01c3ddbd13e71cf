package broker

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLogsHoldNoSecrets(t *testing.T) {
	for _, flavor := range []Flavor{FlavorApps, FlavorConnect} {
		t.Run(string(flavor)+" flavour: a full flow and its failures log no key, code, token, verifier or state", func(t *testing.T) {
			env := newTestEnv(t, flavor)
			fs := env.stripe
			app := newTestApp()
			secrets := map[string]string{"secret key": testSecretKey, "verifier": app.verifier, "app state": app.state, "challenge": app.challenge}

			sealed := env.authorize(app)
			secrets["sealed state"] = sealed
			stripeCode := fs.approve("acct_logs")
			secrets["Stripe code"] = stripeCode
			resp := env.get(pathStripeCallback, url.Values{"code": {stripeCode}, "state": {sealed}})
			code := mustRedirect(t, resp).Query().Get("code")
			secrets["broker code"] = code
			status, tok := env.exchange(app, code)
			if status != http.StatusOK {
				t.Fatalf("exchange: %d %v", status, tok)
			}
			secrets["access token"] = tok["access_token"].(string)
			secrets["refresh token"] = tok["refresh_token"].(string)
			// A replay and a bad refresh make Stripe quote what it got in its errors.
			env.exchange(app, code)
			env.postForm(pathToken, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt_notknown999"}, "client_id": {ClientID}})
			secrets["unknown refresh token"] = "rt_notknown999"
			status, tok2 := env.postForm(pathToken, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {ClientID}})
			if status != http.StatusOK {
				t.Fatalf("refresh: %d %v", status, tok2)
			}
			secrets["rotated refresh token"] = tok2["refresh_token"].(string)
			secrets["new access token"] = tok2["access_token"].(string)
			env.postForm(pathRevoke, url.Values{"token": {tok2["refresh_token"].(string)}, "client_id": {ClientID}})
			// A secret-looking path must not be logged either.
			env.get("/oauth/token/sk_test_inpath", nil)
			secrets["path secret"] = "sk_test_inpath"

			logs := env.logs.String()
			for name, value := range secrets {
				if strings.Contains(logs, value) {
					t.Errorf("the logs contain the %s", name)
				}
			}
			// One line per request, each with method, path, status and duration.
			lines := strings.Split(strings.TrimSpace(logs), "\n")
			if len(lines) != 8 {
				t.Fatalf("%d log lines for 8 requests:\n%s", len(lines), logs)
			}
			for _, line := range lines {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("log line is not JSON: %s", line)
				}
				for _, key := range []string{"method", "path", "status", "duration"} {
					if _, ok := rec[key]; !ok {
						t.Errorf("log line lacks %s: %s", key, line)
					}
				}
			}
			if !strings.Contains(lines[len(lines)-1], `"path":"other"`) {
				t.Errorf("an unknown path was logged as is: %s", lines[len(lines)-1])
			}
		})
	}

	t.Run("printing or logging a Config never shows the secret key", func(t *testing.T) {
		cfg := Config{ClientID: testClientID, SecretKey: testSecretKey, PublicURL: "https://b.example", SealingKey: make([]byte, 32)}
		env := newTestEnv(t, FlavorApps)
		env.broker.log.Info("config", "config", cfg)
		for _, s := range []string{cfg.String(), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), env.logs.String()} {
			if strings.Contains(s, testSecretKey) || strings.Contains(s, "platformsecret") {
				t.Fatalf("the secret key shows: %s", s)
			}
		}
		if !strings.Contains(cfg.String(), "sk_test_[redacted]") {
			t.Errorf("String should still say which kind of key is set: %s", cfg.String())
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	env := newTestEnv(t, FlavorApps)
	app := newTestApp()
	bad := app.authorizeParams()
	bad.Set("redirect_uri", "http://evil.example/callback")
	responses := map[string]*http.Response{
		"a redirect to Stripe": env.get(pathAuthorize, app.authorizeParams()),
		"an error page":        env.get(pathAuthorize, bad),
		"the health check":     env.get(pathHealth, nil),
		"an unknown path":      env.get("/nope", nil),
		"a wrong method":       env.get(pathRevoke, nil),
	}
	post, err := env.http.PostForm(env.srv.URL+pathToken, url.Values{"grant_type": {"nope"}})
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	responses["a token error"] = post
	want := map[string]string{
		"Cache-Control":          "no-store",
		"Referrer-Policy":        "no-referrer",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	}
	for name, resp := range responses {
		t.Run(name+" carries the security headers", func(t *testing.T) {
			for h, v := range want {
				if got := resp.Header.Get(h); got != v {
					t.Errorf("%s = %q, want %q", h, got, v)
				}
			}
			if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP = %q", resp.Header.Get("Content-Security-Policy"))
			}
		})
	}
}
