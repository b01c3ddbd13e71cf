package status

import (
	"context"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// BenchmarkCheckAll100 is the issue's question "how long does a status
// check of 100 connections take": 100 connections, each its own sandbox
// account and restricted key, checked with the default settings (8 at
// once) against the in-process sandbox over loopback HTTP, each status
// saved to a real SQLite file. One op is one CheckAll.
func BenchmarkCheckAll100(b *testing.B) {
	const n = 100
	w := newWorld(b, n)
	for i := range n {
		w.connect(b, i, domain.AuthAPIKey)
	}
	c := w.checker(func(p *Params) { p.Logger = nil; p.Now = nil })
	ctx := context.Background()
	for b.Loop() {
		results, err := c.CheckAll(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(results) != n || results[n-1].Status != domain.StatusConnected || !results[n-1].Saved {
			b.Fatalf("%d results, last %+v", len(results), results[len(results)-1])
		}
	}
}
