package destination

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
)

func TestSplitURL(t *testing.T) {
	t.Run("the password comes out, the rest stays", func(t *testing.T) {
		clean, pw, err := SplitURL("postgres://ledger:s3cr%2Ft@db.example.com:5433/shop?sslmode=verify-full")
		if err != nil || pw != "s3cr/t" || clean != "postgres://ledger@db.example.com:5433/shop?sslmode=verify-full" {
			t.Errorf("got %q, %q, %v", clean, pw, err)
		}
	})
	t.Run("not a postgres URL is destination.bad_url", func(t *testing.T) {
		for _, bad := range []string{"mysql://u:p@h/db", "db.example.com", "postgres://u:p@h/db?sslmode=sometimes"} {
			_, _, err := SplitURL(bad)
			if !errors.Is(err, domain.KindDestBadURL) {
				t.Errorf("%s: %v", bad, err)
			}
			if err != nil && strings.Contains(err.Error(), ":p@") {
				t.Errorf("%s: the password is in the error %q", bad, err)
			}
		}
	})
}

func TestTriggersExistOnlyWhileADestinationDoes(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: "S", AccountID: "acct_1S",
		AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: time.Now()}
	if err := db.CreateConnection(ctx, conn, nil); err != nil {
		t.Fatal(err)
	}
	l := NewLocal(db, db.Reader(), nil)
	write := func(id string, version int) {
		t.Helper()
		err := db.WriteTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO stripe_customers (connection_id, id, livemode, synced_at, version, data) VALUES (?, ?, 0, '2026-12-08T00:00:00Z', ?, '{}')
				ON CONFLICT (connection_id, id) DO UPDATE SET version = excluded.version WHERE excluded.version >= stripe_customers.version`, conn.ID, id, version)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.Reader().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	triggers := func() int { n, _ := l.TriggerCount(ctx); return n }

	write("cus_1", 1)
	if triggers() != 0 || count(`SELECT count(*) FROM destination_changes`) != 0 {
		t.Fatal("a database without destinations has triggers or a log")
	}
	a := Destination{ID: NewID(), Kind: KindPostgres, URL: "postgres://u@h/db", Schema: "a"}
	if err := l.Add(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	if want := 3 * len(Tables()); triggers() != want {
		t.Errorf("%d triggers, want %d (3 on each of %d tables)", triggers(), want, len(Tables()))
	}
	if n := count(`SELECT count(*) FROM destination_changes WHERE id = 'cus_1' AND op = 'I'`); n != 1 {
		t.Errorf("the existing row is logged %d times for the initial copy, want 1", n)
	}
	write("cus_1", 2) // an update
	write("cus_1", 1) // an older version: no change, nothing logged
	write("cus_2", 1) // an insert
	if got := count(`SELECT count(*) FROM destination_changes`); got != 3 {
		t.Errorf("%d log entries, want 3 (initial, update, insert)", got)
	}

	b := Destination{ID: NewID(), Kind: KindPostgres, URL: "postgres://u@h/db", Schema: "b"}
	if err := l.Add(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	// a has applied everything; b only its own initial copy's start.
	var last int64
	_ = db.Reader().QueryRow(`SELECT max(seq) FROM destination_changes`).Scan(&last)
	if err := l.Confirm(ctx, a.ID, last); err != nil {
		t.Fatal(err)
	}
	bNow, _ := l.Get(ctx, b.ID)
	lag, err := l.Lag(ctx, bNow)
	if err != nil || lag.Rows != 2 {
		t.Errorf("b is %d changes behind (%v), want its initial copy's 2", lag.Rows, err)
	}
	if got := count(`SELECT count(*) FROM destination_changes`); got != 2 {
		t.Errorf("after a applied all: %d log entries kept, want b's 2", got)
	}
	if err := l.Remove(ctx, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	if triggers() == 0 {
		t.Error("removing one of two destinations dropped the triggers")
	}
	if err := l.Remove(ctx, b.ID, nil); err != nil {
		t.Fatal(err)
	}
	if triggers() != 0 || count(`SELECT count(*) FROM destination_changes`) != 0 {
		t.Error("the last remove left triggers or a log")
	}
	if err := l.Remove(ctx, b.ID, nil); !errors.Is(err, domain.KindDestNotFound) {
		t.Errorf("removing it again: %v", err)
	}
}
