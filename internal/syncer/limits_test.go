package syncer

import (
	"context"
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
			if err := l.wait(context.Background(), "GET /v1/charges"); err != nil {
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

	t.Run("spaces requests to the endpoint budget", func(t *testing.T) {
		l := newLimiter(Limits{Live: 1000, PerEndpoint: 50}, true)
		start := time.Now()
		for range 11 {
			if err := l.wait(context.Background(), "GET /v1/charges"); err != nil {
				t.Fatal(err)
			}
		}
		// 11 requests at 50/s span at least 10 intervals of 20 ms.
		if d := time.Since(start); d < 180*time.Millisecond {
			t.Errorf("11 requests at 50/s took only %v", d)
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
