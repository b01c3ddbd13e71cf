package syncer

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry says how often and how patiently a sync repeats a request that
// failed for a reason that may pass. The zero value means DefaultRetry.
type Retry struct {
	// Attempts bounds the tries of one request that meets server errors
	// (5xx), network failures or a page Ledgerline can't read; default 6.
	Attempts int
	// RateLimitedAttempts bounds the tries of one request that keeps being
	// refused with 429 (each refusal also slows the sync down); default 30.
	RateLimitedAttempts int
	// MalformedAttempts bounds the tries of a page that arrives but can't be
	// read (bad JSON, an object without an id); default 3.
	MalformedAttempts int
	// Base is the first wait; each further wait doubles, up to Max, with
	// jitter (a random half of it), so parallel requests that failed
	// together don't retry together. Defaults 250 ms and 8 s.
	Base, Max time.Duration
}

// DefaultRetry is what a sync uses unless told otherwise.
func DefaultRetry() Retry {
	return Retry{Attempts: 6, RateLimitedAttempts: 30, MalformedAttempts: 3, Base: 250 * time.Millisecond, Max: 8 * time.Second}
}

func (r Retry) withDefaults() Retry {
	d := DefaultRetry()
	if r.Attempts <= 0 {
		r.Attempts = d.Attempts
	}
	if r.RateLimitedAttempts <= 0 {
		r.RateLimitedAttempts = d.RateLimitedAttempts
	}
	if r.MalformedAttempts <= 0 {
		r.MalformedAttempts = d.MalformedAttempts
	}
	if r.Base <= 0 {
		r.Base = d.Base
	}
	if r.Max <= 0 {
		r.Max = d.Max
	}
	if r.Max < r.Base {
		r.Max = r.Base
	}
	return r
}

// delay is the wait before retry number n (0 for the first retry): Base
// doubled n times, capped at Max, of which a random half is kept ("equal
// jitter").
func (r Retry) delay(n int) time.Duration {
	d := r.Base
	for i := 0; i < n && d < r.Max; i++ {
		d *= 2
	}
	if d > r.Max {
		d = r.Max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
