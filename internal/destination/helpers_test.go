package destination

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

type fixedKey string

func (k fixedKey) Key(context.Context, string) (string, error) { return string(k), nil }

// account is a sandbox account synced into a fresh local database.
type account struct {
	srv    *sandbox.Server
	acctID string
	db     *store.DB
	connID string
	eng    *syncer.Engine
	local  *Local
}

// syncedAccount syncs a sandbox account of the given seed and scale into
// a database in dir ("" for a new temporary folder).
func syncedAccount(t testing.TB, seed int64, scale int, dir string) *account {
	t.Helper()
	a := newAccount(t, seed, scale, dir)
	a.sync(t)
	return a
}

// syncedAccountSetup is an account not yet synced, with a destination
// (never reached) when withDest, so its sync writes through the triggers.
func syncedAccountSetup(t testing.TB, seed int64, scale int, withDest bool) *account {
	t.Helper()
	a := newAccount(t, seed, scale, "")
	if withDest {
		d := Destination{ID: NewID(), Kind: KindPostgres, URL: "postgres://nobody@127.0.0.1:1/none", Schema: "bench"}
		if err := a.local.Add(context.Background(), d, nil); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func newAccount(t testing.TB, seed int64, scale int, dir string) *account {
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
	if dir == "" {
		dir = t.TempDir()
	}
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
	return &account{srv: srv, acctID: acct.ID, db: db, connID: conn.ID, eng: eng, local: NewLocal(db, db.Reader(), nil)}
}

func (a *account) sync(t testing.TB) {
	t.Helper()
	if err := a.eng.Sync(context.Background(), a.connID, syncer.Options{}); err != nil {
		t.Fatal(err)
	}
}

func (a *account) mutate(t testing.TB, typ, action string, n int) {
	t.Helper()
	if _, err := a.srv.Mutate(a.acctID, typ, action, n, ""); err != nil {
		t.Fatal(err)
	}
}

// addDestination adds a destination to database db of pg for schema.
func (a *account) addDestination(t testing.TB, pg *testkit.Postgres, db, schema string) (Destination, string) {
	t.Helper()
	clean, pw, err := SplitURL(pg.SuperURL(db))
	if err != nil {
		t.Fatal(err)
	}
	d := Destination{ID: NewID(), Kind: KindPostgres, URL: clean, Schema: schema}
	if err := a.local.Add(context.Background(), d, nil); err != nil {
		t.Fatal(err)
	}
	d, err = a.local.Get(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d, pw
}

// snapshot is a table's rows, key "connection_id/id" → every column
// written as text the same way on both sides: numbers in decimal,
// booleans 0/1, times in unix seconds (synced_at in ms), data as JSON
// with sorted keys.
type snapshot map[string][]string

func canonicalJSON(t testing.TB, s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("data %q: %v", s, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// sqliteSnapshot reads table from the local database, written out by the
// test itself (not the replicator's conversions).
func sqliteSnapshot(t testing.TB, db *store.DB, tbl table) snapshot {
	t.Helper()
	rows, err := db.Reader().Query(`SELECT ` + strings.Join(tbl.columnNames(), ", ") + ` FROM ` + tbl.name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := snapshot{}
	for rows.Next() {
		vals := scanAll(t, rows.Scan, len(tbl.columns))
		rec := make([]string, len(vals))
		for i, c := range tbl.columns {
			switch {
			case c.name == "synced_at":
				ts, err := time.Parse(time.RFC3339Nano, vals[i].(string))
				if err != nil {
					t.Fatal(err)
				}
				rec[i] = strconv.FormatInt(ts.UnixMilli(), 10)
			case c.name == "data":
				rec[i] = canonicalJSON(t, vals[i].(string))
			default:
				rec[i] = textOf(vals[i])
			}
		}
		out[rec[0]+"/"+rec[1]] = rec
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pgSnapshot reads table from PostgreSQL, each column cast to the text the
// SQLite side gives.
func pgSnapshot(t testing.TB, conn *pgx.Conn, tbl table) snapshot {
	t.Helper()
	exprs := make([]string, len(tbl.columns))
	for i, c := range tbl.columns {
		switch c.kind {
		case pgBool:
			exprs[i] = c.name + "::int"
		case pgUnixTime:
			exprs[i] = "extract(epoch FROM " + c.name + ")::bigint"
		case pgRFC3339:
			exprs[i] = "(extract(epoch FROM " + c.name + ") * 1000)::bigint"
		case pgJSON:
			exprs[i] = c.name + "::text"
		default:
			exprs[i] = c.name
		}
	}
	rows, err := conn.Query(context.Background(), `SELECT `+strings.Join(exprs, ", ")+` FROM `+tbl.name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := snapshot{}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(vals))
		for i, c := range tbl.columns {
			if c.kind == pgJSON {
				rec[i] = canonicalJSON(t, vals[i].(string))
				continue
			}
			if c.kind == pgUnixTime && vals[i] != nil {
				rec[i] = textOf(vals[i])
				continue
			}
			rec[i] = textOf(vals[i])
		}
		out[rec[0]+"/"+rec[1]] = rec
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func scanAll(t testing.TB, scan func(...any) error, n int) []any {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	return vals
}

// superConn connects to db of pg as the superuser with schema first in
// the search path.
func superConn(t testing.TB, pg *testkit.Postgres, db, schema string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(pg.SuperURL(db))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// assertSameRows checks that every replicated table holds in PostgreSQL
// exactly the local rows, column by column, and returns the row counts.
func assertSameRows(t testing.TB, db *store.DB, conn *pgx.Conn) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, tbl := range tables() {
		local, remote := sqliteSnapshot(t, db, tbl), pgSnapshot(t, conn, tbl)
		counts[tbl.name] = len(local)
		if len(local) != len(remote) {
			t.Errorf("%s: %d rows locally, %d in PostgreSQL", tbl.name, len(local), len(remote))
		}
		var diffs []string
		for k, want := range local {
			got, ok := remote[k]
			if !ok {
				diffs = append(diffs, k+" missing")
				continue
			}
			for i := range want {
				if got[i] != want[i] {
					diffs = append(diffs, fmt.Sprintf("%s.%s: %q, want %q", k, tbl.columns[i].name, trim(got[i]), trim(want[i])))
				}
			}
		}
		sort.Strings(diffs)
		if len(diffs) > 0 {
			t.Errorf("%s: %d differences, first: %v", tbl.name, len(diffs), diffs[:min(3, len(diffs))])
		}
	}
	return counts
}

func trim(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func catchUp(t testing.TB, r *Replicator) int {
	t.Helper()
	n, err := r.CatchUp(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
