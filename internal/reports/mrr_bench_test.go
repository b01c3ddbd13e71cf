package reports

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/warehouse"
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
	ctx := context.Background()
	srv, err := sandbox.New(sandbox.Options{Seed: 1, Accounts: 1, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	acct := srv.Info().Accounts[0]
	dir := b.TempDir()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: acct.Name, AccountID: acct.ID,
		AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: time.Now()}
	if err := db.CreateConnection(ctx, conn, nil); err != nil {
		b.Fatal(err)
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		b.Fatal(err)
	}
	eng, err := syncer.New(syncer.Params{Store: db, Warehouse: wh, Keys: fixedKey(acct.APIKey), APIBase: base,
		LockDir: dir, Limits: syncer.Limits{Off: true}})
	if err != nil {
		b.Fatal(err)
	}
	if err := eng.Sync(ctx, conn.ID, syncer.Options{}); err != nil {
		b.Fatal(err)
	}
	var n int
	_ = db.Reader().QueryRow(`SELECT (SELECT count(*) FROM stripe_charges) + (SELECT count(*) FROM stripe_invoices)
		+ (SELECT count(*) FROM stripe_subscriptions) + (SELECT count(*) FROM stripe_invoice_line_items)`).Scan(&n)
	for _, tb := range []string{"stripe_charges", "stripe_invoices", "stripe_subscriptions", "stripe_subscription_items", "stripe_invoice_line_items", "stripe_prices"} {
		var c int
		_ = db.Reader().QueryRow("SELECT count(*) FROM " + tb).Scan(&c)
		b.Logf("scale %d: %s %d", scale, tb, c)
	}
	_ = n
	return db, conn.ID
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
