package credentials

import (
	"context"
	"testing"
	"time"
)

// Key on a warm cache sits in front of every Stripe call: it must cost no
// keychain round trip and no lock shared between connections' callers.

func warmSource(b *testing.B) (*Source, *memKeychain) {
	kc := newKeychain()
	kc.put(conn, oauthCreds("sk_test_warm", "rt_warm", time.Now().Add(time.Hour)))
	s := New(Params{Keychain: kc})
	if _, err := s.Key(context.Background(), conn); err != nil {
		b.Fatal(err)
	}
	return s, kc
}

func BenchmarkKeyWarm(b *testing.B) {
	s, kc := warmSource(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Key(ctx, conn); err != nil {
			b.Fatal(err)
		}
	}
	if loads, _ := kc.counts(); loads != 1 {
		b.Fatalf("%d keychain reads, want 1", loads)
	}
}

func BenchmarkKeyWarmParallel(b *testing.B) {
	s, kc := warmSource(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Key(ctx, conn); err != nil {
				b.Fatal(err)
			}
		}
	})
	if loads, _ := kc.counts(); loads != 1 {
		b.Fatalf("%d keychain reads, want 1", loads)
	}
}
