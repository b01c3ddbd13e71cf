package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// fixedClock returns a clock that always reads t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// openTestDB opens a fresh database in its own temporary directory and
// closes it when the test ends.
func openTestDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// sampleConnection returns a valid connected Stripe test-mode connection,
// unique per n.
func sampleConnection(n int) domain.Connection {
	return domain.Connection{
		ID:          fmt.Sprintf("conn_test%05d", n),
		Provider:    domain.ProviderStripe,
		Name:        fmt.Sprintf("Shop %05d", n),
		AccountID:   fmt.Sprintf("acct_%012d", n),
		Scope:       "read_only",
		AuthMethod:  domain.AuthOAuth,
		Status:      domain.StatusConnected,
		ConnectedAt: time.Date(2026, 11, 26, 13, 56, 20, 123_000_000, time.UTC).Add(time.Duration(n) * time.Second),
	}
}

// rawDB opens path directly, bypassing Open's checks, for a test that has
// to prepare or inspect a file the way another program would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", fileURI(path)+"?mode=rw")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	return raw
}

// exec runs statements on a raw connection to path and closes it, so the
// WAL is checkpointed into the main file before the test reads its bytes.
func exec(t testing.TB, path string, statements ...string) {
	t.Helper()
	raw := rawDB(t, path)
	defer raw.Close()
	for _, s := range statements {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// readFile returns path's bytes.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assertUnchanged fails unless path still holds exactly want.
func assertUnchanged(t testing.TB, path string, want []byte) {
	t.Helper()
	if got := readFile(t, path); !bytes.Equal(got, want) {
		t.Errorf("%s changed: %d bytes before, %d after", filepath.Base(path), len(want), len(got))
	}
}

// mapFS is a migrations directory holding the named files, each creating a
// table of its own.
func mapFS(names ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i, name := range names {
		fsys["migrations/"+name] = &fstest.MapFile{Data: []byte(fmt.Sprintf("CREATE TABLE t%d (x);", i))}
	}
	return fsys
}

// mustExec runs a statement through exec (a *sql.DB's or *sql.Tx's Exec)
// and fails the test on error.
func mustExec(t testing.TB, exec func(string, ...any) (sql.Result, error), query string, args ...any) {
	t.Helper()
	if _, err := exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
