package syncer

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// BenchmarkBackfill syncs a whole sandbox account (in this process, over
// loopback HTTP) into a fresh SQLite file per iteration and reports
// objects/s: every row stored, children and events included. The sandbox
// generates its objects on the same cores, so the figure is the pipeline's
// (fetch, decode, write) on this machine, rate limits off.
func BenchmarkBackfill(b *testing.B) {
	for _, scale := range []int{20_000} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			s := newSandboxEnv(b, sandbox.Options{Seed: 1, Scale: scale})
			truth := s.truth()
			var perSync int64
			for _, c := range truth {
				perSync += c.Live + c.Deleted
			}
			b.ResetTimer()
			var busy time.Duration
			for range b.N {
				b.StopTimer()
				e := newEnv(b, s.account, s.keys.keys[s.connID])
				eng := e.engine(s.base, Params{})
				b.StartTimer()
				start := time.Now()
				if err := eng.Sync(context.Background(), e.connID, Options{}); err != nil {
					b.Fatal(err)
				}
				busy += time.Since(start)
			}
			b.ReportMetric(float64(perSync)*float64(b.N)/busy.Seconds(), "objects/s")
		})
	}
}
