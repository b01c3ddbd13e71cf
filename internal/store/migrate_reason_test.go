package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestMigrationTurnsSavedSentencesIntoReasons(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	writeFile(t, path, "")
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	// Given a database from before reasons, whose details are English sentences,
	raw := rawDB(t, path)
	if err := migrate(ctx, raw, path, ms[:4], time.Now); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO connections (id, provider, name, account_id, livemode, auth_method, status, status_detail, connected_at)
		VALUES (?, 'stripe', ?, ?, 0, 'api_key', ?, ?, '2026-11-26T13:56:20.123Z')`
	for _, r := range [][]string{
		{"conn_a", "A", "acct_a", "needs_reauth", "The API key was revoked or deleted in Stripe. Add a new restricted key."},
		{"conn_b", "B", "acct_b", "error", "Stripe answered with an error (HTTP 500)."},
		{"conn_c", "C", "acct_c", "disconnected", "Disconnected. The data already copied to this computer is kept."},
		{"conn_d", "D", "acct_d", "connected", ""},
	} {
		if _, err := raw.ExecContext(ctx, insert, r[0], r[1], r[2], r[3], r[4]); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	// when this Ledgerline opens it,
	db, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// then each sentence became its status's general reason, and the
	// sentences are gone.
	want := map[string]domain.Kind{"conn_a": domain.KindNeedsReauth, "conn_b": domain.KindUnknown,
		"conn_c": domain.KindDisconnected, "conn_d": ""}
	for id, reason := range want {
		c, err := db.GetConnection(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.StatusReason != reason || c.StatusFacts != nil {
			t.Errorf("%s: reason %q facts %v, want %q", id, c.StatusReason, c.StatusFacts, reason)
		}
	}
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('connections') WHERE name = 'status_detail'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("status_detail still there (%d, %v)", n, err)
	}
}
