package reports

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// BenchmarkMoneyByMonth computes the 12 months of gross against net the
// Net and fees tab charts, on the 1,000,000-charge account: its charges
// span the 12 months before 2026-01-01, so every charge is read once. The
// window reads it in the background, apart from the period's figures.
func BenchmarkMoneyByMonth(b *testing.B) {
	db, conn := testkit.ChargesDB(b, benchCharges)
	now := time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC)
	r, ctx := New(db.Reader(), func() time.Time { return now }), context.Background()
	for b.Loop() {
		months, err := r.MoneyByMonth(ctx, []string{conn}, 12, time.UTC)
		if err != nil || len(months) != 12 {
			b.Fatalf("%d months, %v", len(months), err)
		}
	}
}
