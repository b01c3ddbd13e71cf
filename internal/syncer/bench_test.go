package syncer

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
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
			s := newSandboxEnv(b, sandbox.Options{Seed: 1, Scale: scale}, nil)
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

// BenchmarkBackfillExternal syncs an account of a sandbox running as its
// own process, so that this process's memory is the sync's alone: set
// LEDGERLINE_SYNC_BENCH=base_url,account_id,api_key (from stripe-sandbox's
// start line), and LEDGERLINE_SYNC_BENCH_LIMITS=live|test|off (default off;
// live applies live-mode budgets to the sandbox's test-mode account). It
// reports objects/s and the process's peak RSS (VmHWM) in MB.
func BenchmarkBackfillExternal(b *testing.B) {
	spec := os.Getenv("LEDGERLINE_SYNC_BENCH")
	if spec == "" {
		b.Skip("set LEDGERLINE_SYNC_BENCH=base_url,account_id,api_key")
	}
	parts := strings.Split(spec, ",")
	if len(parts) != 3 {
		b.Fatal("LEDGERLINE_SYNC_BENCH must be base_url,account_id,api_key")
	}
	limits := Limits{Off: true}
	switch os.Getenv("LEDGERLINE_SYNC_BENCH_LIMITS") {
	case "live":
		limits = Limits{Test: DefaultLimits().Live}
	case "test":
		limits = DefaultLimits()
	}
	var objects int64
	var busy time.Duration
	for range b.N {
		b.StopTimer()
		e := newEnv(b, parts[1], parts[2])
		eng := e.engine(parts[0], Params{Limits: limits})
		b.StartTimer()
		start := time.Now()
		if err := eng.Sync(context.Background(), e.connID, Options{}); err != nil {
			b.Fatal(err)
		}
		busy += time.Since(start)
		b.StopTimer()
		for _, c := range e.counts() {
			objects += c.Live + c.Deleted
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(objects)/busy.Seconds(), "objects/s")
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

// peakRSSMB is the process's peak resident set size (Linux VmHWM), or 0.
func peakRSSMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
