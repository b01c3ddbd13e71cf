package store

import (
	"context"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// BenchmarkListConnections1000 lists a store of 1,000 connections through
// the reader pool.
func BenchmarkListConnections1000(b *testing.B) {
	ctx := context.Background()
	db := openTestDB(b)
	for i := range 1000 {
		c := sampleConnection(i)
		c.StatusReason, c.StatusFacts = domain.KindStripeDown, domain.Facts{domain.FactHTTPStatus: "503"}
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		list, err := db.ListConnections(ctx)
		if err != nil || len(list) != 1000 {
			b.Fatalf("ListConnections = %d rows, %v", len(list), err)
		}
	}
}
