package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Rate-limit modes, as Stripe documents its default limits: per account,
// 100 requests per second in live mode and 25 in test mode, and 25 per
// second on each endpoint.
const (
	RateLimitOff  = "off"
	RateLimitLive = "live"
	RateLimitTest = "test"
)

// rateLimits are the bucket rates (requests per second) of a mode.
type rateLimits struct{ account, endpoint float64 }

func limitsFor(mode string) (rateLimits, bool, error) {
	switch mode {
	case "", RateLimitOff:
		return rateLimits{}, false, nil
	case RateLimitLive:
		return rateLimits{account: 100, endpoint: 25}, true, nil
	case RateLimitTest:
		return rateLimits{account: 25, endpoint: 25}, true, nil
	}
	return rateLimits{}, false, fmt.Errorf("sandbox: rate limit must be live, test or off, not %q", mode)
}

// bucket is a token bucket holding at most one second of requests.
type bucket struct {
	tokens float64
	last   time.Time
}

// refill adds the tokens earned since the last look, up to rate.
func (b *bucket) refill(rate float64, now time.Time) {
	if b.last.IsZero() {
		b.tokens, b.last = rate, now
		return
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(rate, b.tokens+d.Seconds()*rate)
		b.last = now
	}
}

// limiter holds a bucket per account and per (account, endpoint).
type limiter struct {
	rates   rateLimits
	mu      sync.Mutex
	buckets map[string]*bucket
}

func newLimiter(r rateLimits) *limiter {
	return &limiter{rates: r, buckets: map[string]*bucket{}}
}

func (l *limiter) get(k string) *bucket {
	b, ok := l.buckets[k]
	if !ok {
		b = &bucket{}
		l.buckets[k] = b
	}
	return b
}

// allow takes a token from the account's bucket and the endpoint's, or
// reports that either is empty (taking none).
func (l *limiter) allow(account, endpoint string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, e := l.get(account), l.get(account+" "+endpoint)
	a.refill(l.rates.account, now)
	e.refill(l.rates.endpoint, now)
	if a.tokens < 1 || e.tokens < 1 {
		return false
	}
	a.tokens--
	e.tokens--
	return true
}

// msgRateLimit is Stripe's message for a 429.
const msgRateLimit = "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits."

// writeRateLimited answers Stripe's 429.
func writeRateLimited(w http.ResponseWriter) {
	writeAPIError(w, http.StatusTooManyRequests, apiError{
		Code:    "rate_limit",
		DocURL:  "https://stripe.com/docs/error-codes/rate-limit",
		Message: msgRateLimit,
		Type:    typeInvalidRequest,
	})
}

// withRateLimits answers 429 to REST requests over the account's or the
// endpoint's rate. The endpoint is the route's pattern ("GET
// /v1/charges/{id}"); the account is the one the credential acts for.
// Requests without a valid credential pass through, to get their 401.
func (s *Server) withRateLimits(mux *http.ServeMux, next http.Handler) http.Handler {
	if s.limits == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v1/") || strings.HasPrefix(r.URL.Path, "/v1/oauth/") {
			next.ServeHTTP(w, r)
			return
		}
		key, _ := credentialFrom(r)
		p, outcome := s.resolve(key)
		if key == "" || outcome != authOK {
			next.ServeHTTP(w, r)
			return
		}
		account := p.account.ID
		if id := r.Header.Get("Stripe-Account"); id != "" {
			account = id
		}
		_, pattern := mux.Handler(r)
		if !s.limits.allow(account, pattern, s.now()) {
			writeRateLimited(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}
