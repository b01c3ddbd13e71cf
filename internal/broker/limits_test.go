package broker

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// junkFrom sends one request as the client at addr (through the trusted
// proxy on loopback) and returns its status and Retry-After.
func (e *testEnv) junkFrom(addr, method, path string, form url.Values) (int, string) {
	e.t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, e.srv.URL+path+"?"+form.Encode(), nil)
	} else {
		req, _ = http.NewRequest(method, e.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
		return 0, ""
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

func (e *testEnv) upstreamCalls() int {
	return len(e.stripe.callsTo(e.stripe.tokenPath())) + len(e.stripe.callsTo(e.stripe.deauthorizePath())) + len(e.stripe.callsTo("/v1/account"))
}

var loopbackProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// Issue 12's second finding: 500 parallel junk refreshes made 500 calls to
// Stripe in 0.28 s. Each endpoint is flooded here with junk from many
// addresses while the clock steps one second at a time; Stripe may see no
// more than the upstream budget: UpstreamBurst in the first second and
// Upstream in each one after.
func TestFloodsReachStripeOnlyWithinTheBudget(t *testing.T) {
	const (
		rps, burst = 5, 5
		seconds    = 4
		perSecond  = 120 // junk requests each simulated second, each from its own address
	)
	junk := map[string]struct {
		method, path string
		form         func(i int) url.Values
		callsPerReq  int // upstream calls a request reserves; 0: junk never reaches Stripe
	}{
		"authorize": {http.MethodGet, pathAuthorize, func(i int) url.Values {
			return url.Values{"client_id": {ClientID}, "redirect_uri": {"http://127.0.0.1:1/callback"}, "state": {fmt.Sprint(i)}}
		}, 0},
		"Stripe callback": {http.MethodGet, pathStripeCallback, func(i int) url.Values {
			return url.Values{"code": {"ac_" + randHex(12)}, "state": {randHex(40)}}
		}, 0},
		"token, authorization_code": {http.MethodPost, pathToken, func(i int) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {ClientID}, "code": {randHex(60)},
				"redirect_uri": {"http://127.0.0.1:1/callback"}, "code_verifier": {strings.Repeat("v", 43)}}
		}, 0}, // a junk code fails to open its seal: Stripe is never asked
		"token, refresh_token": {http.MethodPost, pathToken, func(i int) url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {"rt_" + randHex(16)}}
		}, 1},
		"revoke": {http.MethodPost, pathRevoke, func(i int) url.Values {
			return url.Values{"token": {"rt_" + randHex(16)}, "token_type_hint": {"refresh_token"}, "client_id": {ClientID}}
		}, 2},
	}
	for name, j := range junk {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t, FlavorApps, func(c *Config) {
				c.Limits = Limits{Upstream: rps, UpstreamBurst: burst, PerClientBurst: 1 << 20, OverallBurst: 1 << 20, TrustedProxies: loopbackProxy}
			})
			limited := 0
			for s := 0; s < seconds; s++ {
				before := env.upstreamCalls()
				var wg sync.WaitGroup
				var mu sync.Mutex
				for i := 0; i < perSecond; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						status, ra := env.junkFrom(fmt.Sprintf("10.%d.%d.%d", s, i/250, i%250+1), j.method, j.path, j.form(i))
						if status == http.StatusTooManyRequests {
							mu.Lock()
							limited++
							mu.Unlock()
							if ra == "" {
								t.Error("a 429 without Retry-After")
							}
						}
					}()
				}
				wg.Wait()
				budget := rps
				if s == 0 {
					budget = burst
				}
				calls := env.upstreamCalls() - before
				if j.callsPerReq == 0 && calls != 0 {
					t.Fatalf("second %d: %d calls to Stripe for junk that needs none", s, calls)
				}
				if j.callsPerReq > 0 {
					if want := budget / j.callsPerReq; calls > want || calls == 0 {
						t.Fatalf("second %d: %d calls to Stripe, want between 1 and %d (budget %d/s, %d per request)", s, calls, want, budget, j.callsPerReq)
					}
					t.Logf("second %d: %d junk requests, %d calls to Stripe", s, perSecond, calls)
				}
				env.clock.Advance(time.Second)
			}
			if j.callsPerReq > 0 && limited == 0 {
				t.Fatal("nothing was limited")
			}
		})
	}

	t.Run("500 parallel junk refreshes on the real clock stay within the budget", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) {
			c.Now = time.Now
			c.Limits = Limits{Upstream: 20, UpstreamBurst: 20, PerClientBurst: 1 << 20, OverallBurst: 1 << 20, TrustedProxies: loopbackProxy}
		})
		start := time.Now()
		var wg sync.WaitGroup
		for i := 0; i < 500; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				env.junkFrom(fmt.Sprintf("10.9.%d.%d", i/250, i%250+1), http.MethodPost, pathToken,
					url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {"rt_" + randHex(16)}})
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		calls := env.upstreamCalls()
		if limit := 20 + int(20*elapsed.Seconds()+0.999); calls > limit {
			t.Fatalf("%d calls to Stripe in %v; the budget allows %d", calls, elapsed, limit)
		}
		t.Logf("500 junk refreshes in %v: %d calls to Stripe", elapsed, calls)
	})
}

func TestPerClientLimitsAndBackoff(t *testing.T) {
	t.Run("one address over its budget gets 429 with Retry-After; another is still served", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) {
			c.Limits = Limits{PerClient: 2, PerClientBurst: 5, TrustedProxies: loopbackProxy}
		})
		form := newTestApp().authorizeParams()
		for i := 0; i < 5; i++ {
			if status, _ := env.junkFrom("203.0.113.7", http.MethodGet, pathAuthorize, form); status != http.StatusFound {
				t.Fatalf("request %d: %d", i, status)
			}
		}
		status, ra := env.junkFrom("203.0.113.7", http.MethodGet, pathAuthorize, form)
		if status != http.StatusTooManyRequests || ra != "1" {
			t.Fatalf("over the burst: %d Retry-After %q, want 429 and 1 (2 per second)", status, ra)
		}
		if status, _ := env.junkFrom("203.0.113.8", http.MethodGet, pathAuthorize, form); status != http.StatusFound {
			t.Fatalf("another address: %d", status)
		}
		env.clock.Advance(500 * time.Millisecond)
		if status, _ := env.junkFrom("203.0.113.7", http.MethodGet, pathAuthorize, form); status != http.StatusFound {
			t.Fatalf("after the wait: %d", status)
		}
	})

	t.Run("X-Forwarded-For from a peer that is not a trusted proxy is ignored", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) { c.Limits = Limits{PerClientBurst: 3} })
		form := newTestApp().authorizeParams()
		for i := 0; i < 3; i++ {
			env.junkFrom(fmt.Sprintf("198.51.100.%d", i+1), http.MethodGet, pathAuthorize, form)
		}
		if status, _ := env.junkFrom("198.51.100.99", http.MethodGet, pathAuthorize, form); status != http.StatusTooManyRequests {
			t.Fatalf("a forged X-Forwarded-For escaped the limit: %d", status)
		}
	})

	t.Run("repeated invalid_grant makes a client wait 1 s, then 2 s, before Stripe is asked again", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) {
			c.Limits = Limits{PerClientBurst: 1 << 20, UpstreamBurst: 1 << 20, TrustedProxies: loopbackProxy}
		})
		refresh := func() (int, string) {
			return env.junkFrom("192.0.2.1", http.MethodPost, pathToken,
				url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {"rt_" + randHex(16)}})
		}
		for i := 0; i < grantStrikes; i++ {
			if status, _ := refresh(); status != http.StatusBadRequest {
				t.Fatalf("strike %d: %d", i, status)
			}
		}
		calls := env.upstreamCalls()
		if status, ra := refresh(); status != http.StatusTooManyRequests || ra != "1" {
			t.Fatalf("after %d strikes: %d Retry-After %q, want 429 and 1", grantStrikes, status, ra)
		}
		if env.upstreamCalls() != calls {
			t.Fatal("Stripe was asked while the client was backing off")
		}
		if status, _ := env.junkFrom("192.0.2.2", http.MethodPost, pathToken,
			url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {"rt_" + randHex(16)}}); status != http.StatusBadRequest {
			t.Fatalf("another client was held back too: %d", status)
		}
		env.clock.Advance(time.Second)
		if status, _ := refresh(); status != http.StatusBadRequest {
			t.Fatalf("after the wait: %d", status)
		}
		if status, ra := refresh(); status != http.StatusTooManyRequests || ra != "2" {
			t.Fatalf("the next wait: %d Retry-After %q, want 2", status, ra)
		}
		// A grant Stripe accepts clears the strikes.
		env.clock.Advance(2 * time.Second)
		_, rt := env.connected("acct_good")
		if status, _ := env.junkFrom("192.0.2.1", http.MethodPost, pathToken,
			url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {rt}}); status != http.StatusOK {
			t.Fatalf("a good refresh: %d", status)
		}
		if status, _ := refresh(); status != http.StatusBadRequest {
			t.Fatalf("strikes were not cleared: %d", status)
		}
	})
}
