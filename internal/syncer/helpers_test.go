package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// env is a real SQLite store in a temporary data dir with one connection,
// a warehouse over it, and keys handed out by a test key source.
type env struct {
	t      testing.TB
	dir    string
	db     *store.DB
	wh     *warehouse.Warehouse
	connID string
	keys   *testKeys
	logs   *testkit.LogBuffer
}

func newEnv(t testing.TB, accountID, key string) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir(), accountID, key)
}

// newEnvIn is newEnv with its data in dir.
func newEnvIn(t testing.TB, dir, accountID, key string) *env {
	t.Helper()
	e := &env{t: t, dir: dir, keys: &testKeys{keys: map[string]string{}}, logs: &testkit.LogBuffer{}}
	e.open()
	c := domain.Connection{ID: "conn_test0000000001", Provider: domain.ProviderStripe, Name: "Shop",
		AccountID: accountID, AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected}
	if err := e.db.CreateConnection(context.Background(), c, nil); err != nil {
		t.Fatalf("CreateConnection: %v", err)
	}
	e.connID = c.ID
	e.keys.set(c.ID, key)
	return e
}

// open opens the store and warehouse of e's data dir (again after close).
func (e *env) open() {
	e.t.Helper()
	db, err := store.Open(context.Background(), store.Options{Dir: e.dir})
	if err != nil {
		e.t.Fatalf("store.Open: %v", err)
	}
	e.t.Cleanup(func() { _ = db.Close() })
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		e.t.Fatal(err)
	}
	e.db, e.wh = db, wh
}

// engine builds an Engine against base with fast retries and no rate
// limits unless p says otherwise.
func (e *env) engine(base string, p Params) *Engine {
	e.t.Helper()
	p.Store, p.Warehouse, p.Keys, p.APIBase, p.LockDir = e.db, e.wh, e.keys, base, e.dir
	if p.Logger == nil {
		p.Logger = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if p.Retry == (Retry{}) {
		p.Retry = Retry{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	}
	if p.Limits == (Limits{}) {
		p.Limits = Limits{Off: true}
	}
	eng, err := New(p)
	if err != nil {
		e.t.Fatal(err)
	}
	return eng
}

// counts is the warehouse's counts for the connection.
func (e *env) counts() map[string]warehouse.Count {
	e.t.Helper()
	c, err := e.wh.Counts(context.Background(), e.connID)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// requireCounts fails unless the warehouse holds exactly want.
func (e *env) requireCounts(want map[string]warehouse.Count) {
	e.t.Helper()
	got := e.counts()
	var diffs []string
	for name, w := range want {
		if got[name] != w {
			diffs = append(diffs, fmt.Sprintf("%s: stored %+v, truth %+v", name, got[name], w))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		e.t.Fatalf("the warehouse differs from the truth:\n%s", strings.Join(diffs, "\n"))
	}
}

// state reads the sync state of one type.
func (e *env) state(typ string) *typeState {
	e.t.Helper()
	states, err := loadStates(context.Background(), e.db.Reader(), e.connID)
	if err != nil {
		e.t.Fatal(err)
	}
	return states[typ]
}

// exec runs SQL on the writer.
func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	err := e.db.WriteTx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(query, args...)
		return err
	})
	if err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
}

// queryString reads one text value.
func (e *env) queryString(query string, args ...any) string {
	e.t.Helper()
	var s sql.NullString
	if err := e.db.Reader().QueryRow(query, args...).Scan(&s); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return s.String
}

// integrity runs PRAGMA integrity_check and fails unless it says ok.
func (e *env) integrity() {
	e.t.Helper()
	if got := e.queryString("PRAGMA integrity_check"); got != "ok" {
		e.t.Fatalf("integrity_check: %s", got)
	}
}

// testKeys is a KeySource over a map; err, when set, is returned instead.
type testKeys struct {
	mu    sync.Mutex
	keys  map[string]string
	err   error
	calls int
}

func (k *testKeys) Key(_ context.Context, connID string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls++
	if k.err != nil {
		return "", k.err
	}
	key, ok := k.keys[connID]
	if !ok {
		return "", fmt.Errorf("no key for %s: %w", connID, domain.ErrNotFound)
	}
	return key, nil
}

func (k *testKeys) set(connID, key string) {
	k.mu.Lock()
	k.keys[connID] = key
	k.mu.Unlock()
}
