package reports

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/store"
)

// benchAccount syncs a sandbox account of LEDGERLINE_BENCH_SCALE objects
// (default 100,000; the target is stated for 1,000,000) into a fresh
// database, ANALYZEd as the app's store leaves it after a sync.
func benchAccount(b *testing.B) (*store.DB, string) {
	b.Helper()
	scale := 100000
	if s, err := strconv.Atoi(os.Getenv("LEDGERLINE_BENCH_SCALE")); err == nil && s > 0 {
		scale = s
	}
	db, connID := syncedScale(b, 1, scale)
	for _, tb := range []string{"stripe_charges", "stripe_invoices", "stripe_subscriptions", "stripe_subscription_items", "stripe_invoice_line_items", "stripe_prices"} {
		var c int
		_ = db.Reader().QueryRow("SELECT count(*) FROM " + tb).Scan(&c)
		b.Logf("scale %d: %s %d", scale, tb, c)
	}
	return db, connID
}

// BenchmarkReports measures each report the mrr and at-risk commands run.
func BenchmarkReports(b *testing.B) {
	db, connID := benchAccount(b)
	now := time.Now()
	r := New(db.Reader(), func() time.Time { return now })
	ctx := context.Background()
	for name, run := range map[string]func() error{
		"MRRNow":     func() error { _, err := r.MRRNow(ctx, connID); return err },
		"MRRByMonth": func() error { _, err := r.MRRByMonth(ctx, connID, 12); return err },
		"ChurnMonth": func() error {
			_, err := r.ChurnBetween(ctx, connID, monthStart(now).AddDate(0, -1, 0), monthStart(now))
			return err
		},
		"AtRisk30Day": func() error { _, err := r.AtRisk(ctx, connID, now.AddDate(0, 0, -30), now); return err },
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
