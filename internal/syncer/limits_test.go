package syncer

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t.Run("picks the account budget by mode", func(t *testing.T) {
		live, _ := newLimiter(Limits{}, true).rates("GET /v1/charges")
		test, ep := newLimiter(Limits{}, false).rates("GET /v1/charges")
		if live != 100 || test != 25 || ep != 25 {
			t.Errorf("live %v, test %v, per endpoint %v; want Stripe's 100, 25 and 25", live, test, ep)
		}
	})

	t.Run("off lets every request through at once", func(t *testing.T) {
		l := newLimiter(Limits{Off: true}, true)
		if l != nil {
			t.Fatalf("Off gave a limiter: %+v", l)
		}
		start := time.Now()
		for range 1000 {
			if err := l.wait(context.Background(), "GET /v1/charges", 0); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("1000 unlimited requests waited %v", d)
		}
	})

	t.Run("a 429 slows the endpoint and the account down, good answers earn it back", func(t *testing.T) {
		l := newLimiter(Limits{}, true)
		l.refused("GET /v1/charges")
		account, ep := l.rates("GET /v1/charges")
		if account >= 100 || ep >= 25 {
			t.Fatalf("after a 429: account %v, endpoint %v; want both below nominal", account, ep)
		}
		if _, other := l.rates("GET /v1/customers"); other != 25 {
			t.Errorf("another endpoint slowed down too: %v", other)
		}
		for range 200 {
			l.answered("GET /v1/charges")
		}
		account, ep = l.rates("GET /v1/charges")
		if account != 100 || ep != 25 {
			t.Errorf("after many good answers: account %v, endpoint %v; want back at 100 and 25, not above", account, ep)
		}
	})

	t.Run("never slows below one request a second", func(t *testing.T) {
		l := newLimiter(Limits{}, false)
		for range 100 {
			l.refused("GET /v1/events")
		}
		if account, ep := l.rates("GET /v1/events"); account < minRate || ep < minRate {
			t.Errorf("rates fell to %v and %v", account, ep)
		}
	})

	t.Run("keeps to the endpoint budget after its one-second burst", func(t *testing.T) {
		l := newLimiter(Limits{Live: 1000, PerEndpoint: 20}, true)
		start := time.Now()
		for range 30 {
			if err := l.wait(context.Background(), "GET /v1/charges", 0); err != nil {
				t.Fatal(err)
			}
		}
		// 20 at once (the burst), then 10 more at 20/s: half a second.
		if d := time.Since(start); d < 450*time.Millisecond {
			t.Errorf("30 requests at 20/s with a burst of 20 took only %v", d)
		}
	})

	t.Run("the account budget goes to the waiting request with the highest priority", func(t *testing.T) {
		l := newLimiter(Limits{Test: 20, PerEndpoint: 1000}, false)
		ctx := context.Background()
		for range 20 { // empty the burst
			if err := l.wait(ctx, "GET /v1/coupons", 0); err != nil {
				t.Fatal(err)
			}
		}
		order := make(chan int64, 6)
		var started sync.WaitGroup
		for _, p := range []int64{1, 5, 3, 9, 2, 7} {
			started.Add(1)
			go func() {
				started.Done()
				if err := l.wait(ctx, "GET /v1/x", p); err == nil {
					order <- p
				}
			}()
		}
		started.Wait()
		time.Sleep(20 * time.Millisecond) // let every waiter queue before the next token is due
		var got []int64
		for range 6 {
			got = append(got, <-order)
		}
		// The first token may go to whoever queued first; after that, by priority.
		if !slices.IsSortedFunc(got[1:], func(a, b int64) int { return int(b - a) }) {
			t.Errorf("served in order %v, want highest priority first", got)
		}
	})

	t.Run("a waiter whose context ends leaves the queue", func(t *testing.T) {
		l := newLimiter(Limits{Test: 2, PerEndpoint: 1000}, false)
		ctx := context.Background()
		for range 2 {
			_ = l.wait(ctx, "GET /v1/x", 0)
		}
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if err := l.wait(cctx, "GET /v1/x", 0); err == nil {
			t.Error("a wait past its context's end succeeded")
		}
	})
}

func TestRetryDelay(t *testing.T) {
	r := Retry{Base: 100 * time.Millisecond, Max: time.Second}.withDefaults()
	for n, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second} {
		for range 50 {
			d := r.delay(n)
			if d < want/2 || d > want {
				t.Fatalf("retry %d waited %v, want between %v and %v", n, d, want/2, want)
			}
		}
	}
}
