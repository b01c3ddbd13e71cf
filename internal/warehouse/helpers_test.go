package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
)

// testClock is the time every test warehouse reads.
var testNow = time.Date(2026, 11, 26, 15, 4, 5, 678_000_000, time.UTC)

// env is a real store in a temporary directory with one connection.
type env struct {
	db     *store.DB
	w      *Warehouse
	connID string
}

// newEnv opens a fresh database, adds a test-mode connection and returns a
// Warehouse over it; everything is closed when the test ends.
func newEnv(t testing.TB) *env { return newEnvPageSize(t, 0) }

// newEnvPageSize is newEnv on a database file made beforehand with the
// given page size (0: SQLite's default, as store.Open makes it), for
// benchmarks that compare page sizes.
func newEnvPageSize(t testing.TB, pageSize int) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if pageSize != 0 {
		createWithPageSize(t, filepath.Join(dir, store.FileName), pageSize)
	}
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	w, err := New(Options{DB: db, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, w: w}
	e.connID = e.addConnection(t, 1)
	return e
}

// createWithPageSize makes an empty WAL database file at path with the
// given page size; store.Open migrates it like a new one.
func createWithPageSize(t testing.TB, path string, pageSize int) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	// SQLite fixes the page size when it first writes the file, which
	// switching to WAL does.
	for _, s := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// addConnection stores connection number n and returns its id.
func (e *env) addConnection(t testing.TB, n int) string {
	t.Helper()
	c := domain.Connection{
		ID: fmt.Sprintf("conn_test%011d", n), Provider: domain.ProviderStripe, Name: fmt.Sprintf("Shop %d", n),
		AccountID: fmt.Sprintf("acct_%016d", n), AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected,
	}
	if err := e.db.CreateConnection(context.Background(), c, nil); err != nil {
		t.Fatalf("CreateConnection: %v", err)
	}
	return c.ID
}

// mustType returns the registry's type called name.
func mustType(t testing.TB, name string) Type {
	t.Helper()
	ty, ok := TypeByName(name)
	if !ok {
		t.Fatalf("no type %q", name)
	}
	return ty
}

// mustPrepare prepares o as a t at version.
func mustPrepare(t testing.TB, ty Type, o obj, version int64, deleted bool) Row {
	t.Helper()
	r, err := Prepare(ty, pretty(o), version, deleted)
	if err != nil {
		t.Fatalf("Prepare %s: %v", ty.Name, err)
	}
	return r
}

// apply writes rows as one page and fails the test on error.
func (e *env) apply(t testing.TB, ty Type, rows ...Row) {
	t.Helper()
	if err := e.w.Apply(context.Background(), e.connID, ty, rows, nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

// stored is what a table holds for one id.
type stored struct {
	deleted bool
	version int64
	data    string
	col     sql.NullString // the column asked for, as text
}

// get reads id from ty's table, with column col as text; ok is false when
// there is no such row.
func (e *env) get(t testing.TB, ty Type, id, col string) (s stored, ok bool) {
	t.Helper()
	err := e.db.Reader().QueryRow(`SELECT is_deleted, version, data, CAST(`+col+` AS TEXT) FROM `+ty.Table+
		` WHERE connection_id = ? AND id = ?`, e.connID, id).Scan(&s.deleted, &s.version, &s.data, &s.col)
	if err == sql.ErrNoRows {
		return stored{}, false
	}
	if err != nil {
		t.Fatalf("reading %s %s: %v", ty.Table, id, err)
	}
	return s, true
}

// counts returns the warehouse's counts for the env's connection.
func (e *env) counts(t testing.TB) map[string]Count {
	t.Helper()
	c, err := e.w.Counts(context.Background(), e.connID)
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	return c
}
