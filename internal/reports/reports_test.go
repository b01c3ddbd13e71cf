package reports

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// fixedKey is the key source of a connection made with a restricted key.
type fixedKey string

func (k fixedKey) Key(context.Context, string) (string, error) { return string(k), nil }

// synced copies a sandbox account into a fresh database, deletes a few of
// its invoices in Stripe and syncs again, and returns the store and the
// connection id.
func synced(t *testing.T, seed int64) (*store.DB, string) {
	t.Helper()
	return syncedScale(t, seed, 4000)
}

// syncedScale is synced with a sandbox of the given scale (tests and
// benchmarks alike).
func syncedScale(t testing.TB, seed int64, scale int) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	srv, err := sandbox.New(sandbox.Options{Seed: seed, Accounts: 1, Scale: scale})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	acct := srv.Info().Accounts[0]

	dir := t.TempDir()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: acct.Name, AccountID: acct.ID,
		AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: time.Now()}
	if err := db.CreateConnection(ctx, conn, nil); err != nil {
		t.Fatal(err)
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := syncer.New(syncer.Params{Store: db, Warehouse: wh, Keys: fixedKey(acct.APIKey), APIBase: base,
		LockDir: dir, Limits: syncer.Limits{Off: true}})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Sync(ctx, conn.ID, syncer.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Mutate(acct.ID, "invoices", "delete", 5, ""); err != nil {
		t.Fatal(err)
	}
	if err := eng.Sync(ctx, conn.ID, syncer.Options{}); err != nil {
		t.Fatal(err)
	}
	return db, conn.ID
}

// charge and invoice are the raw rows the test adds up itself, in Go.
type charge struct {
	currency, status string
	amount, created  int64
	deleted          bool
}

type invoice struct {
	currency, status        string
	remaining, due, deleted int64
}

func TestOverviewEqualsTheRowsAddedUpIndependently(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		db, connID := synced(t, seed)
		now := time.Now()
		r := New(db.Reader(), func() time.Time { return now })
		got, err := r.Overview(context.Background(), connID)
		if err != nil {
			t.Fatal(err)
		}

		this := monthStart(now)
		last := this.AddDate(0, -1, 0)
		want := Overview{GrossThisMonth: Money{}, GrossLastMonth: Money{}, RefundsThisMonth: Money{}, FailedThisMonth: Money{},
			OpenInvoices: Money{}, OverdueInvoices: Money{}}
		currencies := map[string]bool{}
		var deletedInvoices int
		rows, err := db.Reader().Query(`SELECT currency, status, amount, created, is_deleted FROM stripe_charges WHERE connection_id = ?`, connID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c charge
			if err := rows.Scan(&c.currency, &c.status, &c.amount, &c.created, &c.deleted); err != nil {
				t.Fatal(err)
			}
			if c.deleted {
				continue
			}
			currencies[c.currency] = true
			at := time.Unix(c.created, 0)
			switch {
			case c.status == "succeeded" && !at.Before(this):
				want.GrossThisMonth[c.currency] += c.amount
			case c.status == "succeeded" && !at.Before(last) && at.Before(this):
				want.GrossLastMonth[c.currency] += c.amount
			case c.status == "failed" && !at.Before(this):
				want.FailedThisMonth[c.currency] += c.amount
				want.FailedCount++
			}
		}
		rows.Close()
		rows, err = db.Reader().Query(`SELECT currency, status, amount, created FROM stripe_refunds WHERE connection_id = ? AND NOT is_deleted`, connID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var cur, status string
			var amount, created int64
			if err := rows.Scan(&cur, &status, &amount, &created); err != nil {
				t.Fatal(err)
			}
			if status == "succeeded" && created >= this.Unix() {
				want.RefundsThisMonth[cur] += amount
			}
		}
		rows.Close()
		rows, err = db.Reader().Query(`SELECT currency, status, coalesce(amount_remaining, 0), coalesce(due_date, 0), is_deleted FROM stripe_invoices WHERE connection_id = ?`, connID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var in invoice
			if err := rows.Scan(&in.currency, &in.status, &in.remaining, &in.due, &in.deleted); err != nil {
				t.Fatal(err)
			}
			if in.deleted == 1 {
				deletedInvoices++
				continue
			}
			if in.status == "open" {
				want.OpenInvoices[in.currency] += in.remaining
				if in.due != 0 && in.due < now.Unix() {
					want.OverdueInvoices[in.currency] += in.remaining
				}
			}
		}
		rows.Close()

		if deletedInvoices == 0 {
			t.Errorf("seed %d: no deleted invoices, so the exclusion is untested", seed)
		}
		if len(currencies) < 2 {
			t.Errorf("seed %d: charges in %d currencies; the test wants several", seed, len(currencies))
		}
		for name, pair := range map[string][2]Money{
			"gross this month": {got.GrossThisMonth, want.GrossThisMonth}, "gross last month": {got.GrossLastMonth, want.GrossLastMonth},
			"refunds": {got.RefundsThisMonth, want.RefundsThisMonth}, "failed": {got.FailedThisMonth, want.FailedThisMonth},
			"open invoices": {got.OpenInvoices, want.OpenInvoices}, "overdue invoices": {got.OverdueInvoices, want.OverdueInvoices},
		} {
			if !maps.Equal(pair[0], pair[1]) {
				t.Errorf("seed %d, %s: got %v, want %v", seed, name, pair[0], pair[1])
			}
		}
		t.Logf("seed %d: %+v", seed, got)
		if got.FailedCount != want.FailedCount {
			t.Errorf("seed %d: %d failed payments, want %d", seed, got.FailedCount, want.FailedCount)
		}
		if len(want.GrossThisMonth)+len(want.GrossLastMonth) == 0 {
			t.Errorf("seed %d: no charges this month or last; the comparison proves little", seed)
		}
	}
}

func TestRevenueByMonthCoversTwelveMonthsAndAddsUp(t *testing.T) {
	db, connID := synced(t, 3)
	now := time.Now()
	r := New(db.Reader(), func() time.Time { return now })
	months, err := r.RevenueByMonth(context.Background(), connID, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 12 || !months[11].Month.Equal(monthStart(now)) {
		t.Fatalf("months %v", months)
	}
	total := Money{}
	for _, m := range months {
		for cur, v := range m.Gross {
			total[cur] += v
		}
	}
	want := Money{}
	rows, err := db.Reader().Query(`SELECT currency, amount FROM stripe_charges WHERE connection_id = ? AND NOT is_deleted
		AND status = 'succeeded' AND created >= ?`, connID, months[0].Month.Unix())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cur string
		var amount int64
		if err := rows.Scan(&cur, &amount); err != nil {
			t.Fatal(err)
		}
		want[cur] += amount
	}
	if !maps.Equal(total, want) || len(want) == 0 {
		t.Errorf("twelve months add up to %v, want %v", total, want)
	}
}
