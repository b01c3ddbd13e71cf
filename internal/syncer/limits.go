package syncer

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// Limits are the request rates a sync keeps to, as Stripe documents them:
// a budget per account by mode and a budget per endpoint. The zero value
// means Stripe's defaults (DefaultLimits); Off lifts every limit (tests and
// benchmarks that measure the engine, not the network budget).
type Limits struct {
	Live        float64 // requests per second for a live-mode connection
	Test        float64 // requests per second for a test-mode connection
	PerEndpoint float64 // requests per second to one endpoint (method and path template)
	Off         bool
}

// DefaultLimits are Stripe's documented rate limits: live 100/s, test 25/s,
// 25/s per endpoint.
func DefaultLimits() Limits { return Limits{Live: 100, Test: 25, PerEndpoint: 25} }

// withDefaults fills zero rates with Stripe's.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Live <= 0 {
		l.Live = d.Live
	}
	if l.Test <= 0 {
		l.Test = d.Test
	}
	if l.PerEndpoint <= 0 {
		l.PerEndpoint = d.PerEndpoint
	}
	return l
}

// How a limiter reacts to Stripe's 429: it cuts the rate of the account
// budget and of the endpoint that was refused (multiplicative decrease),
// then earns it back a little with each answer that was not a 429
// (additive increase), never above the nominal rate and never below
// minRate. So a sync that meets a busier account than it assumed settles
// just under what Stripe accepts instead of hammering it.
const (
	slowDownFactor = 0.7
	recoverStep    = 0.02 // of the nominal rate, per good answer
	minRate        = 1.0
)

// limiter is one sync's token buckets: the account's and one per endpoint.
// A nil *limiter lets everything through.
type limiter struct {
	global      *bucket
	perEndpoint float64

	mu        sync.Mutex
	endpoints map[string]*bucket
}

// bucket is a token bucket with a rate that moves between minRate and
// nominal.
type bucket struct {
	nominal float64
	lim     *rate.Limiter
}

func newBucket(perSecond float64) *bucket {
	// A burst of one spaces requests evenly: Stripe counts requests over
	// short windows, and a burst at the start of a sync would only earn 429s.
	return &bucket{nominal: perSecond, lim: rate.NewLimiter(rate.Limit(perSecond), 1)}
}

func (b *bucket) slowDown() {
	r := float64(b.lim.Limit()) * slowDownFactor
	if r < minRate {
		r = minRate
	}
	b.lim.SetLimit(rate.Limit(r))
}

func (b *bucket) recover() {
	r := float64(b.lim.Limit())
	if r >= b.nominal {
		return
	}
	r += b.nominal * recoverStep
	if r > b.nominal {
		r = b.nominal
	}
	b.lim.SetLimit(rate.Limit(r))
}

// newLimiter returns the buckets for a connection in the given mode, or
// nil when l.Off.
func newLimiter(l Limits, livemode bool) *limiter {
	if l.Off {
		return nil
	}
	l = l.withDefaults()
	account := l.Test
	if livemode {
		account = l.Live
	}
	return &limiter{global: newBucket(account), perEndpoint: l.PerEndpoint, endpoints: map[string]*bucket{}}
}

func (l *limiter) endpoint(name string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.endpoints[name]
	if !ok {
		b = newBucket(l.perEndpoint)
		l.endpoints[name] = b
	}
	return b
}

// wait blocks until both the endpoint's and the account's budgets allow a
// request, or ctx ends.
func (l *limiter) wait(ctx context.Context, endpoint string) error {
	if l == nil {
		return nil
	}
	if err := l.endpoint(endpoint).lim.Wait(ctx); err != nil {
		return err
	}
	return l.global.lim.Wait(ctx)
}

// refused records a 429 for endpoint: both budgets slow down.
func (l *limiter) refused(endpoint string) {
	if l == nil {
		return
	}
	l.endpoint(endpoint).slowDown()
	l.global.slowDown()
}

// answered records an answer that was not a 429.
func (l *limiter) answered(endpoint string) {
	if l == nil {
		return
	}
	l.endpoint(endpoint).recover()
	l.global.recover()
}

// rates reports the account's and endpoint's current rates (for tests and
// the log).
func (l *limiter) rates(endpoint string) (account, ep float64) {
	if l == nil {
		return 0, 0
	}
	return float64(l.global.lim.Limit()), float64(l.endpoint(endpoint).lim.Limit())
}
