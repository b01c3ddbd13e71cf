package reports

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// benchCharges is the size of the benchmark database (built once, cached;
// see testkit.ChargesDB). Its charges come one every 29 s up to
// 2026-01-01, so a month holds about 90,000 of them.
const benchCharges = 1_000_000

// BenchmarkMoneyReport computes the money figures of a month and the month
// before it (about 180,000 charges read) on a 1,000,000-charge account, and
// of 90 days and the 90 before them. Target: ≤ 100 ms.
func BenchmarkMoneyReport(b *testing.B) {
	db, conn := testkit.ChargesDB(b, benchCharges)
	r, ctx := New(db.Reader(), nil), context.Background()
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	month, err := CustomPeriod(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), end)
	if err != nil {
		b.Fatal(err)
	}
	month.Kind = PeriodLastMonth
	days90, err := PresetPeriod(PeriodLast90Days, end.Add(-time.Second), time.UTC)
	if err != nil {
		b.Fatal(err)
	}
	for name, p := range map[string]Period{"month": month, "90days": days90} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				m, err := r.MoneyReport(ctx, []string{conn}, p)
				if err != nil || m.Payments.Value == 0 || m.Payments.Previous == 0 {
					b.Fatalf("%+v, %v", m.Payments, err)
				}
			}
		})
	}
}
