package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	sqlite3 "modernc.org/sqlite/lib"
)

// Times are kept to the millisecond, in UTC; the zero time is stored as NULL
// and read back as the zero time.

// CreateConnection stores a new connection. A zero ConnectedAt is set to
// the store's clock. Inside the same transaction, after the row is inserted,
// it calls beforeCommit (when not nil) and commits only if that returns nil,
// so the caller can save the connection's secret in the keychain with "both
// or neither" semantics:
//   - beforeCommit fails: nothing is stored; its error is returned wrapped.
//   - beforeCommit succeeded but the commit fails: the error wraps
//     ErrNotCommitted, and the caller must undo what beforeCommit wrote.
//
// beforeCommit must not call the DB's write methods (the single writer is
// busy with this transaction). It returns ErrInvalid for a record that
// breaks the table's rules and domain.ErrAlreadyConnected when the same
// account in the same mode is linked and not disconnected.
func (db *DB) CreateConnection(ctx context.Context, c domain.Connection, beforeCommit func(context.Context) error) error {
	if c.ConnectedAt.IsZero() {
		c.ConnectedAt = db.now()
	}
	if err := validateNew(c); err != nil {
		return err
	}
	return db.write(ctx, c.ID, beforeCommit, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO connections (`+connectionColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Provider, c.Name, c.AccountID, c.Livemode, c.Scope, c.AuthMethod,
			c.Status, c.StatusReason, formatFacts(c.StatusFacts), formatTime(c.ConnectedAt), nullTime(c.StatusCheckedAt), nullTime(c.LastSyncAt))
		switch sqliteCode(err) {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("a connection with id %s already exists", c.ID)
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return fmt.Errorf("%s in %s mode: %w", c.AccountID, strings.ToLower(c.ModeLabel()), domain.ErrAlreadyConnected)
		}
		return err
	})
}

// GetConnection returns the connection with the given id, or an error
// wrapping domain.ErrNotFound.
func (db *DB) GetConnection(ctx context.Context, id string) (domain.Connection, error) {
	row := db.reader.QueryRowContext(ctx, `SELECT `+connectionColumns+` FROM connections WHERE id = ?`, id)
	c, err := scanConnection(row)
	if errors.Is(err, sql.ErrNoRows) { // the one place sql.ErrNoRows becomes ErrNotFound
		return domain.Connection{}, notFoundError(id)
	}
	if err != nil {
		return domain.Connection{}, fmt.Errorf("reading connection %s: %w", id, err)
	}
	return c, nil
}

// listQuery returns every connection in the Data Sources table's order;
// the connections_by_name index serves it without a sort.
const listQuery = `SELECT ` + connectionColumns + ` FROM connections
	ORDER BY name COLLATE NOCASE, connected_at, id`

// ListConnections returns all connections, disconnected ones included,
// ordered by name (ignoring case), then connected_at. It reads through the
// reader pool, so it does not wait for writes in progress.
func (db *DB) ListConnections(ctx context.Context) ([]domain.Connection, error) {
	rows, err := db.reader.QueryContext(ctx, listQuery)
	if err != nil {
		return nil, fmt.Errorf("listing connections: %w", err)
	}
	defer rows.Close()
	var list []domain.Connection
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, fmt.Errorf("listing connections: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing connections: %w", err)
	}
	return list, nil
}

// UpdateConnection saves c's name, livemode, scope, auth method, status,
// status reason and facts, status-checked and last-sync times. Its id, provider,
// account id and connected_at never change. It returns domain.ErrNotFound
// when no such connection exists and domain.ErrAlreadyConnected when the
// change would make a second active link to the same account and mode.
func (db *DB) UpdateConnection(ctx context.Context, c domain.Connection) error {
	return db.UpdateConnectionWith(ctx, c, nil)
}

// UpdateConnectionWith is UpdateConnection with a beforeCommit hook, under
// the same "both or neither" contract as CreateConnection (for
// re-authentication: new tokens and the refreshed record are saved
// together). beforeCommit is not called when the connection does not exist.
func (db *DB) UpdateConnectionWith(ctx context.Context, c domain.Connection, beforeCommit func(context.Context) error) error {
	if err := validateChange(c); err != nil {
		return err
	}
	return db.write(ctx, c.ID, beforeCommit, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET name = ?, livemode = ?, scope = ?,
			auth_method = ?, status = ?, status_reason = ?, status_facts = ?, status_checked_at = ?, last_sync_at = ?
			WHERE id = ?`,
			c.Name, c.Livemode, c.Scope, c.AuthMethod, c.Status, c.StatusReason, formatFacts(c.StatusFacts),
			nullTime(c.StatusCheckedAt), nullTime(c.LastSyncAt), c.ID)
		return oneRow(res, err, c.ID)
	})
}

// SetStatus records a connection's status, its reason (a domain kind, ""
// for none) with the facts the reason's words need, and when it was checked
// (zero: never). Errors as UpdateConnection.
func (db *DB) SetStatus(ctx context.Context, id string, s domain.Status, reason domain.Kind, facts domain.Facts, checkedAt time.Time) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: the id is empty", ErrInvalid)
	case !s.Valid():
		return fmt.Errorf("%w %s: unknown status %q", ErrInvalid, id, s)
	}
	return db.write(ctx, id, nil, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET status = ?, status_reason = ?, status_facts = ?,
			status_checked_at = ? WHERE id = ?`, s, reason, formatFacts(facts), nullTime(checkedAt), id)
		return oneRow(res, err, id)
	})
}

// StatusSeen is the part of a record a status check read before asking
// Stripe; SetStatusIf writes only while the record still holds it.
type StatusSeen struct {
	Status     domain.Status
	Reason     domain.Kind
	Facts      domain.Facts
	CheckedAt  time.Time
	AuthMethod domain.AuthMethod
}

// SetStatusIf is SetStatus on condition that the record still holds seen:
// a re-authentication, disconnect or other check that finished meanwhile
// knows better, and then nothing is written and applied is false. The
// compare and the write are one statement, so nothing can slip between.
// It returns domain.ErrNotFound when no such connection exists.
func (db *DB) SetStatusIf(ctx context.Context, id string, seen StatusSeen, s domain.Status, reason domain.Kind, facts domain.Facts, checkedAt time.Time) (applied bool, err error) {
	switch {
	case id == "":
		return false, fmt.Errorf("%w: the id is empty", ErrInvalid)
	case !s.Valid():
		return false, fmt.Errorf("%w %s: unknown status %q", ErrInvalid, id, s)
	}
	err = db.write(ctx, id, nil, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET status = ?, status_reason = ?, status_facts = ?, status_checked_at = ?
			WHERE id = ? AND status = ? AND status_reason = ? AND status_facts = ? AND status_checked_at IS ? AND auth_method = ?`,
			s, reason, formatFacts(facts), nullTime(checkedAt),
			id, seen.Status, seen.Reason, formatFacts(seen.Facts), nullTime(seen.CheckedAt), seen.AuthMethod)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			applied = true
			return nil
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM connections WHERE id = ?`, id).Scan(&exists); errors.Is(err, sql.ErrNoRows) {
			return notFoundError(id)
		} else if err != nil {
			return err
		}
		return nil
	})
	return applied, err
}

// SetLastSync records when a connection last finished a sync (zero: never).
// It returns domain.ErrNotFound when no such connection exists.
func (db *DB) SetLastSync(ctx context.Context, id string, at time.Time) error {
	return db.write(ctx, id, nil, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET last_sync_at = ? WHERE id = ?`, nullTime(at), id)
		return oneRow(res, err, id)
	})
}

// DeleteConnection removes a connection's record and, through the foreign
// keys, every row synced for it, then gives the freed space back to the
// disk (ReclaimSpace; a failure there loses nothing, the pages are reused,
// so it is not DeleteConnection's error). It returns domain.ErrNotFound
// when no such connection exists.
func (db *DB) DeleteConnection(ctx context.Context, id string) error {
	err := db.write(ctx, id, nil, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM connections WHERE id = ?`, id)
		return oneRow(res, err, id)
	})
	if err == nil {
		_ = db.ReclaimSpace(ctx, nil)
	}
	return err
}

// write runs fn and then beforeCommit in one immediate transaction on the
// writer and commits only when both succeed. id names the record in errors.
func (db *DB) write(ctx context.Context, id string, beforeCommit func(context.Context) error, fn func(*sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving connection %s: %w", id, err)
	}
	defer tx.Rollback() // no-op after Commit; also runs if beforeCommit panics

	if err := fn(tx); err != nil {
		if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
			return fmt.Errorf("saving connection %s: %w", id, domain.ErrAlreadyConnected)
		}
		if errors.Is(err, domain.ErrNotFound) {
			return err
		}
		return fmt.Errorf("saving connection %s: %w", id, err)
	}
	if beforeCommit != nil {
		if err := beforeCommit(ctx); err != nil {
			return fmt.Errorf("connection %s not saved: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		if beforeCommit != nil {
			return fmt.Errorf("connection %s: %w: %w", id, ErrNotCommitted, err)
		}
		return fmt.Errorf("saving connection %s: %w", id, err)
	}
	return nil
}

// oneRow turns an UPDATE or DELETE that matched no row into ErrNotFound.
func oneRow(res sql.Result, err error, id string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFoundError(id)
	}
	return nil
}

func notFoundError(id string) error {
	return domain.E(domain.KindNotFound, nil, domain.FactConnectionID, id)
}
