package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"syscall"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// WriteTx runs fn in one immediate transaction on the single writer
// connection and commits when fn returns nil; when fn fails (or panics) the
// transaction is rolled back and fn's error is returned unwrapped, so the
// caller words it — except a lack of disk space, anywhere in the
// transaction, which is domain.KindDiskFull (nothing of it was written). Other writers queue behind it (BEGIN IMMEDIATE with the
// busy timeout), never failing halfway.
//
// fn must use only tx: calling the DB's other write methods from inside it
// waits forever for the writer it holds.
func (db *DB) WriteTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return db.diskFull(fmt.Errorf("starting a write to %s: %w", db.path, err))
	}
	defer tx.Rollback() // no-op after Commit; also runs if fn panics

	if err := fn(tx); err != nil {
		return db.diskFull(err)
	}
	if err := tx.Commit(); err != nil {
		return db.diskFull(fmt.Errorf("committing a write to %s: %w", db.path, err))
	}
	return nil
}

// diskFull turns a write that failed for lack of space into
// domain.KindDiskFull, naming the data folder and the space free there;
// any other error is returned as it is.
func (db *DB) diskFull(err error) error {
	if sqliteCode(err)&0xff != sqlite3.SQLITE_FULL && !errors.Is(err, syscall.ENOSPC) {
		return err
	}
	if errors.Is(err, domain.KindDiskFull) {
		return err
	}
	dir := filepath.Dir(db.path)
	free, _ := FreeBytes(dir)
	return domain.E(domain.KindDiskFull, err, domain.FactPath, dir, domain.FactFreeBytes, strconv.FormatInt(free, 10))
}

// Reader returns the pool of query-only connections, for packages that keep
// their own tables in this database (the warehouse, the sync state). Reads
// through it never wait for a write in progress (WAL) and see only committed
// data. The caller must not close it.
func (db *DB) Reader() *sql.DB { return db.reader }
