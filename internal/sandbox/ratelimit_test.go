package sandbox

import (
	"net/http"
	"testing"
	"time"
)

// statuses sends n GETs to path with key and counts the answers by status.
func (h *harness) statuses(key, path string, n int) map[int]int {
	h.t.Helper()
	out := map[int]int{}
	for range n {
		r := h.get(path, bearer(key))
		out[r.status]++
		if r.status == http.StatusTooManyRequests {
			e := r.apiErr()
			if e["type"] != "invalid_request_error" || e["code"] != "rate_limit" || e["message"] != msgRateLimit ||
				r.header.Get("Request-Id") == "" {
				h.t.Fatalf("429 body %s", r.raw)
			}
		}
	}
	return out
}

func TestRateLimits(t *testing.T) {
	t.Run("test mode allows 25 requests a second per account", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 101, Scale: 200, RateLimit: RateLimitTest})
		a, b := h.info.Accounts[0].APIKey, h.info.Accounts[1].APIKey
		if got := h.statuses(a, "/v1/charges?limit=1", 40); got[200] != 25 || got[429] != 15 {
			t.Fatalf("first second: %v", got)
		}
		if got := h.statuses(a, "/v1/customers?limit=1", 5); got[429] != 5 {
			t.Fatalf("another endpoint in the same second: %v", got)
		}
		if got := h.statuses(b, "/v1/charges?limit=1", 25); got[200] != 25 {
			t.Fatalf("another account: %v", got)
		}
		h.clock.Advance(200 * time.Millisecond)
		if got := h.statuses(a, "/v1/charges?limit=1", 10); got[200] != 5 || got[429] != 5 {
			t.Fatalf("after 200 ms, 5 tokens: %v", got)
		}
		h.clock.Advance(10 * time.Second)
		if got := h.statuses(a, "/v1/charges?limit=1", 30); got[200] != 25 {
			t.Fatalf("a full bucket holds one second: %v", got)
		}
	})

	t.Run("live mode allows 100 a second per account, 25 per endpoint", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 102, Scale: 200, RateLimit: RateLimitLive})
		key := h.info.Accounts[0].APIKey
		ok := 0
		for _, path := range []string{"/v1/charges", "/v1/customers", "/v1/invoices", "/v1/events", "/v1/payouts"} {
			got := h.statuses(key, path+"?limit=1", 30)
			ok += got[200]
			if got[200] > 25 {
				t.Fatalf("%s: %v", path, got)
			}
		}
		if ok != 100 {
			t.Fatalf("%d requests passed in one second, want 100", ok)
		}
		if got := h.statuses(key, "/v1/charges/ch_1nope", 3); got[429] != 3 {
			t.Fatalf("retrieve over the account limit: %v", got)
		}
	})

	t.Run("off by default, and never for unauthenticated calls or hooks", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 103, Scale: 200})
		if got := h.statuses(h.info.Accounts[0].APIKey, "/v1/charges?limit=1", 60); got[200] != 60 {
			t.Fatalf("no limits: %v", got)
		}
		h = newHarness(t, Options{Seed: 103, Scale: 200, RateLimit: RateLimitTest})
		if got := h.statuses("rk_test_nope", "/v1/charges", 30); got[401] != 30 {
			t.Fatalf("bad key: %v", got)
		}
	})

	t.Run("a bad mode is refused", func(t *testing.T) {
		if _, err := New(Options{RateLimit: "fast"}); err == nil {
			t.Fatal("New accepted rate limit \"fast\"")
		}
	})
}
