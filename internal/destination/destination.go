// Package destination keeps copies of the warehouse in other databases a
// team can query — PostgreSQL for now. It owns the SQL of the destinations
// and destination_changes tables, of the triggers that fill the change log
// (created while at least one destination exists, so a store without one
// pays nothing), and of the tables it creates in PostgreSQL.
//
// A change reaches a destination like this: the sync commits a warehouse
// row; a trigger in the same transaction appends (seq, table, connection,
// id, op) to destination_changes; a Replicator reads the log in seq order,
// reads the rows' current state, COPYs them into a staging table and
// upserts them (the newer version wins), marks rows gone from SQLite as
// deleted (tombstones), and records the last seq it applied in PostgreSQL
// in the same transaction. Then the log is pruned up to what every
// destination has applied.
package destination

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// KindPostgres is the only kind of destination so far.
const KindPostgres = "postgres"

// DefaultSchema is the PostgreSQL schema the tables go to unless told.
const DefaultSchema = "ledgerline"

// Destination is one configured destination.
type Destination struct {
	ID   string
	Kind string
	// URL is the connection string without its password.
	URL string
	// Schema is the PostgreSQL schema holding the tables.
	Schema string
	// ConnectionID limits the copy to one connection; "" means all.
	ConnectionID string
	CreatedAt    time.Time
	// AppliedSeq is the last change the destination confirmed.
	AppliedSeq int64
	// AppliedAt is when it last confirmed one (zero: never).
	AppliedAt time.Time
	// LastError is the last failure's kind and facts ("" when the last
	// attempt succeeded), and when it happened.
	LastError      domain.Kind
	LastErrorFacts domain.Facts
	LastErrorAt    time.Time
}

// Err returns the last failure as an error, nil when there is none.
func (d Destination) Err() error {
	if d.LastError == "" {
		return nil
	}
	return domain.E(d.LastError, nil, factPairs(d.LastErrorFacts)...)
}

func factPairs(f domain.Facts) []string {
	var out []string
	for k, v := range f {
		out = append(out, k, v)
	}
	return out
}

// Writer runs a write transaction on the local database (store.DB's
// WriteTx).
type Writer interface {
	WriteTx(ctx context.Context, fn func(*sql.Tx) error) error
}

// Local is the destinations' side of the local database: the
// destinations table, the change log and its triggers.
type Local struct {
	w   Writer
	r   *sql.DB
	now func() time.Time
}

// NewLocal returns the destinations of the database written through w and
// read through r (store.DB's WriteTx and Reader). now defaults to time.Now.
func NewLocal(w Writer, r *sql.DB, now func() time.Time) *Local {
	if now == nil {
		now = time.Now
	}
	return &Local{w: w, r: r, now: now}
}

const destColumns = `id, kind, url, schema_name, COALESCE(connection_id, ''), created_at, applied_seq,
	COALESCE(applied_at, ''), COALESCE(last_error_kind, ''), COALESCE(last_error_facts, ''), COALESCE(last_error_at, '')`

// Add saves d and, in the same transaction, creates the change triggers
// when they are missing and logs every row d will copy (its initial copy),
// so d starts with the whole warehouse and misses no change committed
// after it. beforeCommit (the keychain save) runs last inside the
// transaction: when it fails nothing is saved.
func (l *Local) Add(ctx context.Context, d Destination, beforeCommit func(context.Context) error) error {
	return l.w.WriteTx(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'destination_changes'), 0)`).Scan(&last); err != nil {
			return fmt.Errorf("reading the change log's position: %w", err)
		}
		var conn any
		if d.ConnectionID != "" {
			conn = d.ConnectionID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO destinations (id, kind, url, schema_name, connection_id, created_at, applied_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Kind, d.URL, d.Schema, conn, stamp(l.now()), last); err != nil {
			return fmt.Errorf("saving destination %s: %w", d.ID, err)
		}
		if err := createTriggers(ctx, tx); err != nil {
			return err
		}
		if err := logExisting(ctx, tx, d.ConnectionID, l.now()); err != nil {
			return err
		}
		if beforeCommit != nil {
			return beforeCommit(ctx)
		}
		return nil
	})
}

// Remove deletes destination id; when it was the last one it drops the
// triggers and empties the log, otherwise it prunes what the others have
// applied. beforeCommit runs last inside the transaction. Errors:
// domain.KindDestNotFound (FactValue: the id) when there is no
// such destination.
func (l *Local) Remove(ctx context.Context, id string, beforeCommit func(context.Context) error) error {
	return l.w.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM destinations WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("removing destination %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.E(domain.KindDestNotFound, nil, domain.FactValue, id)
		}
		var left int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM destinations`).Scan(&left); err != nil {
			return fmt.Errorf("counting destinations: %w", err)
		}
		if left == 0 {
			if err := dropTriggers(ctx, tx); err != nil {
				return err
			}
		}
		if err := prune(ctx, tx); err != nil {
			return err
		}
		if beforeCommit != nil {
			return beforeCommit(ctx)
		}
		return nil
	})
}

// List returns every destination, oldest first.
func (l *Local) List(ctx context.Context) ([]Destination, error) {
	rows, err := l.r.QueryContext(ctx, `SELECT `+destColumns+` FROM destinations ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("listing destinations: %w", err)
	}
	defer rows.Close()
	var out []Destination
	for rows.Next() {
		d, err := scanDestination(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Get returns destination id, or domain.KindDestNotFound.
func (l *Local) Get(ctx context.Context, id string) (Destination, error) {
	d, err := scanDestination(l.r.QueryRowContext(ctx, `SELECT `+destColumns+` FROM destinations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Destination{}, domain.E(domain.KindDestNotFound, err, domain.FactValue, id)
	}
	return d, err
}

func scanDestination(s interface{ Scan(...any) error }) (Destination, error) {
	var d Destination
	var created, applied, kind, facts, errAt string
	if err := s.Scan(&d.ID, &d.Kind, &d.URL, &d.Schema, &d.ConnectionID, &created, &d.AppliedSeq, &applied, &kind, &facts, &errAt); err != nil {
		return Destination{}, fmt.Errorf("reading a destination: %w", err)
	}
	d.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	d.AppliedAt, _ = time.Parse(time.RFC3339Nano, applied)
	d.LastErrorAt, _ = time.Parse(time.RFC3339Nano, errAt)
	d.LastError = domain.Kind(kind)
	if facts != "" {
		_ = json.Unmarshal([]byte(facts), &d.LastErrorFacts)
	}
	return d, nil
}

// Confirm records that destination id has applied the log up to seq
// (after the destination committed it), clears its last error and prunes
// the log up to what every destination has applied.
func (l *Local) Confirm(ctx context.Context, id string, seq int64) error {
	return l.w.WriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE destinations SET applied_seq = max(applied_seq, ?), applied_at = ?,
			last_error_kind = NULL, last_error_facts = NULL, last_error_at = NULL WHERE id = ?`, seq, stamp(l.now()), id); err != nil {
			return fmt.Errorf("recording destination %s's progress: %w", id, err)
		}
		return prune(ctx, tx)
	})
}

// Fail records err (its kind and facts) as destination id's last error.
func (l *Local) Fail(ctx context.Context, id string, err error) error {
	kind, facts := domain.KindOf(err)
	b, _ := json.Marshal(facts)
	return l.w.WriteTx(ctx, func(tx *sql.Tx) error {
		_, e := tx.ExecContext(ctx, `UPDATE destinations SET last_error_kind = ?, last_error_facts = ?, last_error_at = ? WHERE id = ?`,
			string(kind), string(b), stamp(l.now()), id)
		return e
	})
}

// prune forgets the changes every destination has applied.
func prune(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM destination_changes
		WHERE seq <= (SELECT COALESCE(min(applied_seq), (SELECT max(seq) FROM destination_changes)) FROM destinations)`)
	if err != nil {
		return fmt.Errorf("pruning the change log: %w", err)
	}
	return nil
}

// Lag is how far a destination is behind the local database.
type Lag struct {
	// Rows is the number of changes not yet applied.
	Rows int64
	// Oldest is when the oldest of them was committed (zero when Rows is 0).
	Oldest time.Time
}

// Lag returns how far d is behind: the changes after d.AppliedSeq that
// concern it.
func (l *Local) Lag(ctx context.Context, d Destination) (Lag, error) {
	var lag Lag
	var oldest sql.NullInt64
	err := l.r.QueryRowContext(ctx, `SELECT count(*), min(at) FROM destination_changes
		WHERE seq > ? AND (? = '' OR connection_id = ?)`, d.AppliedSeq, d.ConnectionID, d.ConnectionID).Scan(&lag.Rows, &oldest)
	if err != nil {
		return Lag{}, fmt.Errorf("measuring destination %s's lag: %w", d.ID, err)
	}
	if oldest.Valid {
		lag.Oldest = time.UnixMilli(oldest.Int64)
	}
	return lag, nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// NewID returns a new destination id, "dest_" and 16 random characters.
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return "dest_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}
