package cli

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// BenchmarkConnectionsJSON1000 runs `ledgerline connections --json` on a
// data dir holding 1,000 connections: open the store, list, encode.
func BenchmarkConnectionsJSON1000(b *testing.B) {
	dir := b.TempDir()
	conns := make([]domain.Connection, 1000)
	for i := range conns {
		conns[i] = sampleConnection(i)
	}
	seed(b, dir, conns...)
	env := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" },
		UserConfigDir: func() (string, error) { return dir, nil }, Now: func() time.Time { return testNow }}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := Run(context.Background(), []string{"--data-dir", dir, "connections", "--json"}, env); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
