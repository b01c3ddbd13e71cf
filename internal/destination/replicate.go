package destination

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultBatch is how many log entries one PostgreSQL transaction applies.
const DefaultBatch = 20000

// Replicator copies one destination's changes from the local database to
// PostgreSQL. Use it from one goroutine; Close ends its connection (and so
// frees the writer lock).
type Replicator struct {
	local    *Local
	dest     Destination
	password string
	batch    int

	conn    *pgx.Conn
	applied int64
	staged  map[string]bool // staging tables created on conn

	// copyHook, when set (tests), runs before each row COPY sends.
	copyHook func()
}

// Options configures a Replicator.
type Options struct {
	// Batch is the number of log entries per transaction (DefaultBatch).
	Batch int
}

// NewReplicator returns a replicator for d, whose password (from the
// keychain) is password. It connects on the first Step.
func NewReplicator(local *Local, d Destination, password string, o Options) *Replicator {
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	return &Replicator{local: local, dest: d, password: password, batch: o.Batch}
}

// Close ends the connection, if any.
func (r *Replicator) Close() {
	if r.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.conn.Close(ctx)
		r.conn = nil
	}
}

// open connects, takes the schema's writer lock (domain.KindDestBusy
// naming who holds it otherwise), migrates the schema and reads where the
// destination's copy stands.
func (r *Replicator) open(ctx context.Context) error {
	conn, err := connect(ctx, r.dest.URL, r.password, r.dest.Schema)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		_ = conn.Close(context.WithoutCancel(ctx))
		return classify(err, conn.Config(), r.dest.Schema, r.password)
	}
	if err := tryLock(ctx, conn, r.dest.Schema); err != nil {
		return fail(err)
	}
	if err := migrate(ctx, conn, r.dest.Schema); err != nil {
		return fail(err)
	}
	// The destination's record is the authority: it was written with the
	// rows. Before its first commit it has none, and the copy starts where
	// the destination was added.
	applied := r.dest.AppliedSeq
	err = conn.QueryRow(ctx, `SELECT applied_seq FROM ledgerline_replication WHERE destination_id = $1`, r.dest.ID).Scan(&applied)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fail(fmt.Errorf("reading the destination's position: %w", err))
	}
	r.conn, r.applied, r.staged = conn, applied, map[string]bool{}
	return nil
}

// Applied returns the last log entry the destination has confirmed.
func (r *Replicator) Applied() int64 { return r.applied }

// Step applies the next batch of changes and returns how many log entries
// it covered (0 when the destination is up to date). On failure the
// connection is closed (the next Step reconnects) and the error is
// classified (domain.KindDest…); nothing of the batch was applied.
func (r *Replicator) Step(ctx context.Context) (int, error) {
	if r.conn == nil {
		if err := r.open(ctx); err != nil {
			return 0, err
		}
	}
	n, err := r.step(ctx)
	if err != nil {
		r.Close()
		return 0, classify(err, pgConfigOf(r.dest.URL), r.dest.Schema, r.password)
	}
	return n, nil
}

func pgConfigOf(u string) *pgx.ConnConfig {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return &pgx.ConnConfig{}
	}
	return cfg
}

// batch is one transaction's worth of changes, read from one SQLite
// snapshot: per table, the rows' current state, and the keys of rows no
// longer there (tombstones).
type batch struct {
	upper   int64
	entries int
	rows    map[string][][]any
	gone    map[string][2][]string
}

func (r *Replicator) step(ctx context.Context) (int, error) {
	b, err := r.read(ctx)
	if err != nil || b.entries == 0 {
		return 0, err
	}
	err = pgx.BeginFunc(ctx, r.conn, func(tx pgx.Tx) error {
		for _, t := range tables() {
			if err := r.upsert(ctx, tx, t, b.rows[t.name]); err != nil {
				return err
			}
			if err := tombstone(ctx, tx, t, b.gone[t.name]); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO ledgerline_replication (destination_id, applied_seq, applied_at) VALUES ($1, $2, now())
			ON CONFLICT (destination_id) DO UPDATE SET applied_seq = EXCLUDED.applied_seq, applied_at = EXCLUDED.applied_at`, r.dest.ID, b.upper)
		return err
	})
	if err != nil {
		return 0, err
	}
	r.applied = b.upper
	// PostgreSQL holds the rows and the position; should the local record
	// fail to follow, it only lags (the log is pruned later), and the next
	// Confirm catches it up.
	_ = r.local.Confirm(ctx, r.dest.ID, b.upper)
	return b.entries, nil
}

// read takes the next batch from one read transaction of the local
// database, so the log and the rows agree.
func (r *Replicator) read(ctx context.Context) (batch, error) {
	b := batch{rows: map[string][][]any{}, gone: map[string][2][]string{}}
	tx, err := r.local.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return b, fmt.Errorf("reading the change log: %w", err)
	}
	defer tx.Rollback()
	var upper sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(seq), count(*) FROM (SELECT seq FROM destination_changes WHERE seq > ? ORDER BY seq LIMIT ?)`,
		r.applied, r.batch).Scan(&upper, &b.entries); err != nil {
		return b, fmt.Errorf("reading the change log: %w", err)
	}
	if !upper.Valid {
		return b, nil
	}
	b.upper = upper.Int64
	tbls, err := changedTables(ctx, tx, r.applied, b.upper)
	if err != nil {
		return b, err
	}
	for _, name := range tbls {
		t, ok := tableByName(name)
		if !ok {
			continue // a table this build does not replicate
		}
		if err := r.readTable(ctx, tx, t, b.upper, &b); err != nil {
			return b, err
		}
	}
	return b, tx.Commit()
}

func changedTables(ctx context.Context, tx *sql.Tx, from, to int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT tbl FROM destination_changes WHERE seq > ? AND seq <= ?`, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading the change log: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// readTable reads the current state of t's rows changed in (applied,
// upper]: present rows as PostgreSQL values, absent ones as keys.
func (r *Replicator) readTable(ctx context.Context, tx *sql.Tx, t table, upper int64, b *batch) error {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = "t." + c.name
	}
	q := `SELECT c.connection_id, c.id, t.id IS NOT NULL, ` + strings.Join(cols, ", ") + `
		FROM (SELECT DISTINCT connection_id, id FROM destination_changes
		      WHERE seq > ? AND seq <= ? AND tbl = ? AND (? = '' OR connection_id = ?)) c
		LEFT JOIN ` + t.name + ` t ON t.connection_id = c.connection_id AND t.id = c.id`
	rows, err := tx.QueryContext(ctx, q, r.applied, upper, t.name, r.dest.ConnectionID, r.dest.ConnectionID)
	if err != nil {
		return fmt.Errorf("reading %s's changed rows: %w", t.name, err)
	}
	defer rows.Close()
	raw := make([]any, len(t.columns)+3)
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	gone := b.gone[t.name]
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("reading %s's changed rows: %w", t.name, err)
		}
		if present, _ := raw[2].(int64); present == 0 {
			gone[0] = append(gone[0], raw[0].(string))
			gone[1] = append(gone[1], raw[1].(string))
			continue
		}
		vals := make([]any, len(t.columns))
		for i, c := range t.columns {
			v, err := toPG(c, raw[i+3])
			if err != nil {
				return fmt.Errorf("%s.%s of %v: %w", t.name, c.name, raw[1], err)
			}
			vals[i] = v
		}
		b.rows[t.name] = append(b.rows[t.name], vals)
	}
	b.gone[t.name] = gone
	return rows.Err()
}

// upsert COPYs rows into t's staging table and merges them into t: a row
// replaces the one there unless that one holds a newer version.
func (r *Replicator) upsert(ctx context.Context, tx pgx.Tx, t table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	stage := "ledgerline_stage_" + t.name
	if !r.staged[t.name] {
		// A temporary table lives in pg_temp, first in the search path;
		// its rows go at each commit.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+stage+` (LIKE `+t.name+`) ON COMMIT DELETE ROWS`); err != nil {
			return fmt.Errorf("creating the staging table for %s: %w", t.name, err)
		}
		r.staged[t.name] = true
	}
	names := t.columnNames()
	var src pgx.CopyFromSource = pgx.CopyFromRows(rows)
	if r.copyHook != nil {
		src = &hookedRows{CopyFromSource: src, hook: r.copyHook}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, names, src); err != nil {
		return fmt.Errorf("copying %s: %w", t.name, err)
	}
	set := make([]string, 0, len(names))
	for _, n := range names[2:] {
		set = append(set, n+" = EXCLUDED."+n)
	}
	list := strings.Join(names, ", ")
	q := `INSERT INTO ` + t.name + ` (` + list + `) SELECT ` + list + ` FROM ` + stage + `
		ON CONFLICT (connection_id, id) DO UPDATE SET ` + strings.Join(set, ", ") + `
		WHERE ` + t.name + `.version <= EXCLUDED.version`
	if _, err := tx.Exec(ctx, q); err != nil {
		return fmt.Errorf("merging %s: %w", t.name, err)
	}
	return nil
}

// tombstone marks rows gone from the local database as deleted.
func tombstone(ctx context.Context, tx pgx.Tx, t table, keys [2][]string) error {
	if len(keys[0]) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE `+t.name+` x SET is_deleted = true, synced_at = now()
		FROM unnest($1::text[], $2::text[]) AS k(connection_id, id)
		WHERE x.connection_id = k.connection_id AND x.id = k.id AND NOT x.is_deleted`, keys[0], keys[1])
	if err != nil {
		return fmt.Errorf("marking %s's deleted rows: %w", t.name, err)
	}
	return nil
}

type hookedRows struct {
	pgx.CopyFromSource
	hook func()
}

func (h *hookedRows) Next() bool { h.hook(); return h.CopyFromSource.Next() }

// toPG converts one SQLite value to the PostgreSQL value of column c.
func toPG(c column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch c.kind {
	case pgBigint:
		return asInt(v)
	case pgDouble:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case pgBool:
		n, err := asInt(v)
		return n != 0, err
	case pgUnixTime:
		n, err := asInt(v)
		return time.Unix(n, 0).UTC(), err
	case pgRFC3339:
		s, err := asText(v)
		if err != nil {
			return nil, err
		}
		return time.Parse(time.RFC3339Nano, s)
	case pgJSON:
		s, err := asText(v)
		return []byte(s), err
	default:
		return asText(v)
	}
	return nil, fmt.Errorf("unexpected value %T", v)
}

func asInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		return int64(x), nil
	}
	return 0, fmt.Errorf("not an integer: %T", v)
}

func asText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case int64:
		return fmt.Sprint(x), nil
	}
	return "", fmt.Errorf("not text: %T", v)
}
