package store

import (
	"context"
	"database/sql"
	"fmt"
)

// WriteTx runs fn in one immediate transaction on the single writer
// connection and commits when fn returns nil; when fn fails (or panics) the
// transaction is rolled back and fn's error is returned unwrapped, so the
// caller words it. Other writers queue behind it (BEGIN IMMEDIATE with the
// busy timeout), never failing halfway.
//
// fn must use only tx: calling the DB's other write methods from inside it
// waits forever for the writer it holds.
func (db *DB) WriteTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting a write to %s: %w", db.path, err)
	}
	defer tx.Rollback() // no-op after Commit; also runs if fn panics

	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing a write to %s: %w", db.path, err)
	}
	return nil
}

// Reader returns the pool of query-only connections, for packages that keep
// their own tables in this database (the warehouse, the sync state). Reads
// through it never wait for a write in progress (WAL) and see only committed
// data. The caller must not close it.
func (db *DB) Reader() *sql.DB { return db.reader }
