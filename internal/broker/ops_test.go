package broker

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (e *testEnv) getJSON(path string) (int, map[string]any) {
	e.t.Helper()
	resp := e.get(path, nil)
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestHealthChecks(t *testing.T) {
	t.Run("livez and healthz answer ok without asking Stripe", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		for _, p := range []string{pathLive, pathHealth} {
			resp := env.get(p, nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || string(body) != "ok" {
				t.Fatalf("%s: %d %q", p, resp.StatusCode, body)
			}
		}
		if env.upstreamCalls() != 0 {
			t.Fatal("a liveness check called Stripe")
		}
	})

	t.Run("readyz is ready when Stripe answers the key, and asks Stripe once per 30 s", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		for i := 0; i < 3; i++ {
			if status, body := env.getJSON(pathReady); status != http.StatusOK || body["status"] != "ready" {
				t.Fatalf("readyz: %d %v", status, body)
			}
		}
		probes := env.stripe.callsTo("/v1/account")
		if len(probes) != 1 || probes[0].BasicUser != testSecretKey {
			t.Fatalf("%d probes of Stripe for 3 checks, want 1 with the secret key", len(probes))
		}
		env.clock.Advance(31 * time.Second)
		env.getJSON(pathReady)
		if n := len(env.stripe.callsTo("/v1/account")); n != 2 {
			t.Fatalf("%d probes after the cache expired, want 2", n)
		}
	})

	t.Run("readyz is not ready when Stripe is down or refuses the key, and says which", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.stripe.rotateSecretKey("sk_test_rotated")
		status, body := env.getJSON(pathReady)
		if status != http.StatusServiceUnavailable || !strings.Contains(body["reason"].(string), "refuses the broker's secret key") {
			t.Fatalf("refused key: %d %v", status, body)
		}
		env.stripe.srv.Close()
		env.clock.Advance(6 * time.Second) // a failure is cached 5 s
		status, body = env.getJSON(pathReady)
		if status != http.StatusServiceUnavailable || !strings.Contains(body["reason"].(string), "could not be reached") {
			t.Fatalf("Stripe down: %d %v", status, body)
		}
	})

	t.Run("a draining broker is not ready but still serves", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.broker.Drain()
		if status, body := env.getJSON(pathReady); status != http.StatusServiceUnavailable || body["status"] != "draining" {
			t.Fatalf("readyz while draining: %d %v", status, body)
		}
		app := newTestApp()
		if status, body := env.exchange(app, env.connect(app, "acct_drain")); status != http.StatusOK {
			t.Fatalf("a sign-in while draining: %d %v", status, body)
		}
	})

	t.Run("health checks never count against the limits", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) { c.Limits = Limits{PerClientBurst: 2} })
		for i := 0; i < 10; i++ {
			if resp := env.get(pathLive, nil); resp.StatusCode != http.StatusOK {
				t.Fatalf("livez %d: %d", i, resp.StatusCode)
			}
		}
	})
}

func TestMetrics(t *testing.T) {
	env := newTestEnv(t, FlavorApps, func(c *Config) {
		c.Limits = Limits{PerClientBurst: 12, UpstreamBurst: 1 << 20, OverallBurst: 1 << 20}
	})
	app := newTestApp()
	if status, _ := env.exchange(app, env.connect(app, "acct_metrics")); status != http.StatusOK {
		t.Fatal("exchange failed")
	}
	env.postForm(pathToken, url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {"rt_" + randHex(12)}})
	for i := 0; i < 10; i++ { // 4 requests so far: 8 more fit the burst of 12, then 2 are limited
		env.get(pathAuthorize, app.authorizeParams())
	}
	rec := httptest.NewRecorder()
	env.broker.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	text := rec.Body.String()
	for _, want := range []string{
		`ledgerline_broker_requests_total{endpoint="/oauth/token",outcome="ok"} 1`,
		`ledgerline_broker_requests_total{endpoint="/oauth/token",outcome="refused"} 1`,
		`ledgerline_broker_requests_total{endpoint="/oauth/stripe/callback",outcome="redirect"} 1`,
		`ledgerline_broker_requests_total{endpoint="/oauth/authorize",outcome="redirect"} 9`,
		`ledgerline_broker_requests_total{endpoint="/oauth/authorize",outcome="rate_limited"} 2`,
		`ledgerline_broker_rate_limited_total{limit="client"} 2`,
		`ledgerline_broker_upstream_seconds_count{call="token",result="ok"} 1`,
		`ledgerline_broker_upstream_seconds_count{call="token",result="refused"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	if strings.Contains(text, app.state) || strings.Contains(text, testSecretKey) {
		t.Error("the metrics hold a caller's value or the key")
	}
	env.clock.Advance(time.Minute) // past the limit
	if resp := env.get("/metrics", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the public address serves /metrics: %d", resp.StatusCode)
	}
}

func TestRequestIDs(t *testing.T) {
	t.Run("every answer and its log line carry the same fresh id", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		resp := env.get(pathLive, nil)
		id := resp.Header.Get("X-Request-Id")
		if len(id) != 16 || !strings.Contains(env.logs.String(), `"request_id":"`+id+`"`) {
			t.Fatalf("id %q; logs %s", id, env.logs.String())
		}
		if other := env.get(pathLive, nil).Header.Get("X-Request-Id"); other == id {
			t.Fatal("two requests share an id")
		}
	})
	t.Run("a trusted proxy's id is kept, anyone else's is not", func(t *testing.T) {
		for _, trusted := range []bool{true, false} {
			env := newTestEnv(t, FlavorApps, func(c *Config) {
				if trusted {
					c.Limits.TrustedProxies = loopbackProxy
				}
			})
			req, _ := http.NewRequest(http.MethodGet, env.srv.URL+pathLive, nil)
			req.Header.Set("X-Request-Id", "haproxy-7f3a")
			resp, err := env.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("X-Request-Id"); (got == "haproxy-7f3a") != trusted {
				t.Errorf("trusted %v: id %q", trusted, got)
			}
		}
	})
}
