// Package store is Ledgerline's local SQLite database: one file,
// <data dir>/ledgerline.db, opened through modernc.org/sqlite (pure Go).
// It holds connection records (never a secret) and, later, the warehouse.
//
// Open refuses, without changing a byte, any file it cannot safely write:
// one that is not SQLite, is damaged, or was migrated by a newer Ledgerline.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the database file's name inside the data directory.
const FileName = "ledgerline.db"

// readerConns is the size of the read pool; WAL lets these read while the
// single writer writes.
const readerConns = 4

// Options configures Open.
type Options struct {
	// Dir is the data directory. It is created with mode 0700 when missing;
	// an existing directory keeps its mode.
	Dir string
	// Now is the clock used for schema_migrations.applied_at and for a new
	// connection without ConnectedAt. Default time.Now.
	Now func() time.Time
	// DeferCheck: after an unclean shutdown Open does not check the file's
	// integrity itself; NeedsCheck says so and the caller runs Check when
	// it suits (the window, in the background). Without it Open checks
	// before returning (the commands).
	DeferCheck bool
}

// DB is an open Ledgerline database: one writer connection (every write
// transaction starts with BEGIN IMMEDIATE, so writers queue instead of
// failing mid-transaction) and a pool of query-only readers. It is safe for
// concurrent use.
type DB struct {
	path   string
	now    func() time.Time
	writer *sql.DB
	reader *sql.DB

	session *session // this process's marker (session.go)
	latest  int      // the newest schema version this build knows

	mu      sync.Mutex
	orphans []string // markers of unclean sessions, until Check passes
}

// Open opens, creating when needed, <Dir>/ledgerline.db and applies any
// migrations it lacks, each in one transaction with its schema_migrations row.
//
// Before anything writes to an existing, non-empty file, Open checks that it
// starts with the SQLite header (else ErrNotSQLite) and opens it read-only to
// read its schema version (ErrSchemaTooNew when a newer Ledgerline wrote it;
// ErrNotLedgerline when it is another program's database). These read a few
// pages, whatever the file's size. The whole file is read — PRAGMA
// quick_check, ErrCorrupt — only when it matters: after an unclean shutdown
// (a process had it open and ended without closing it, see session.go) or
// SQLite's crash recovery, and on demand (Check). A directory or file that
// cannot be created or written gives ErrUnwritable. Each error names the
// path; in each case the file is left byte-for-byte as it was. (One
// exception: when a crash left a hot rollback journal, SQLite's own
// recovery, which restores the last committed state, runs before the
// checks, as it would for any program.) Like any SQLite reader of a WAL
// database, the read-only check may leave an empty -wal file and a -shm
// index beside a refused file.
//
// A process should Open a data directory once: the header check reads the
// file through a plain file handle, and closing such a handle drops the
// process's POSIX locks on the file if another DB in the same process holds it.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if opts.Dir == "" {
		return nil, errors.New("no data directory given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("data directory %q: %w", opts.Dir, err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	migrations, err := loadMigrations(migrationFiles)
	if err != nil {
		return nil, err
	}
	if err := prepareDir(dir); err != nil {
		return nil, err
	}
	sess, orphans, err := startSession(dir)
	if err != nil {
		return nil, err
	}
	db, err := open(ctx, dir, sess, orphans, migrations, now, opts.DeferCheck)
	if err != nil {
		_ = sess.end()
		return nil, err
	}
	return db, nil
}

// open is Open once this process's session marker is held.
func open(ctx context.Context, dir string, sess *session, orphans []string, migrations []migration,
	now func() time.Time, deferCheck bool) (*DB, error) {
	path := filepath.Join(dir, FileName)
	created, err := createFile(path)
	if err != nil {
		return nil, err
	}
	unclean := len(orphans) > 0
	if created {
		if err := setPageSize(ctx, path); err != nil {
			return nil, err
		}
		unclean = false // nothing to check in a new file
	} else {
		recovered, err := checkExisting(ctx, path, latest(migrations), unclean && !deferCheck)
		if err != nil {
			return nil, err
		}
		if recovered && !unclean {
			unclean = true
			if !deferCheck {
				if err := inspectWith(ctx, checkDSN(path), path, latest(migrations), true); err != nil {
					return nil, err
				}
			}
		}
	}
	if !unclean || !deferCheck {
		// Checked (or nothing to check): the unclean sessions are settled.
		if err := removeOrphans(orphans); err != nil {
			return nil, unwritable(filepath.Join(dir, sessionsDir), err)
		}
		orphans = nil
	} else if orphans == nil {
		orphans = []string{} // recovered without orphans: still needs a check
	}

	db := &DB{path: path, now: now, session: sess, latest: latest(migrations), orphans: orphans}
	if db.writer, err = openPool(ctx, path, writerDSN(path), 1); err != nil {
		return nil, err
	}
	if err := ensureWritable(ctx, db.writer, path); err != nil {
		db.writer.Close()
		return nil, err
	}
	if err := migrate(ctx, db.writer, path, migrations, now); err != nil {
		db.writer.Close()
		return nil, err
	}
	if db.reader, err = openPool(ctx, path, readerDSN(path), readerConns); err != nil {
		db.writer.Close()
		return nil, err
	}
	return db, nil
}

// pageSize is the page size of a new database. The warehouse's rows are
// about 2 KB (a Stripe charge, compacted): 4 KiB pages hold only one or two
// and waste the rest, 64 KiB pages keep a charge under 2 KB on disk with
// its indexes. An existing database keeps the page size it has.
const pageSize = 65536

// setPageSize gives a new, empty database file its page size. It must run
// before the file is switched to WAL, which fixes the page size; the
// writer's DSN can't do it because its pragmas run alphabetically.
func setPageSize(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", recoverDSN(path))
	if err != nil {
		return fmt.Errorf("preparing %s: %w", path, err)
	}
	defer db.Close()
	// auto_vacuum too must be chosen before the first table: INCREMENTAL
	// lets ReclaimSpace give deleted rows' pages back to the disk (space.go).
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d; PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL", pageSize)); err != nil {
		return fmt.Errorf("preparing %s: %w", path, err)
	}
	return nil
}

// Path returns the database file's absolute path.
func (db *DB) Path() string { return db.path }

// Close closes the readers and then the writer; the last connection to
// close checkpoints the WAL into the main file. Then it ends this process's
// session: the close was clean.
func (db *DB) Close() error {
	var errs []error
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	errs = append(errs, db.session.end())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing %s: %w", db.path, err)
	}
	return nil
}

// prepareDir creates dir (0700) when missing and proves it writable by
// creating and removing a probe file in it. Permission bits alone cannot
// answer that (root ignores them; Windows uses ACLs), so it asks the OS.
func prepareDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return unwritable(dir, err)
		}
		// MkdirAll's mode passes through the umask; set it exactly.
		if err := os.Chmod(dir, 0o700); err != nil {
			return unwritable(dir, err)
		}
	case err != nil:
		return unwritable(dir, err)
	case !fi.IsDir():
		return unwritable(dir, "it is a file, not a directory")
	}
	probe, err := os.CreateTemp(dir, ".ledgerline-write-check-*")
	if err != nil {
		return unwritable(dir, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return unwritable(dir, fmt.Sprintf("cannot remove %s: %v", name, err))
	}
	return nil
}

// createFile creates path with mode 0600 before SQLite touches it, so the
// mode does not depend on the umask. It reports false, and no error, when the
// file already exists (O_EXCL makes that race-free).
func createFile(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, unwritable(path, err)
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, unwritable(path, err)
	}
	return true, nil
}

// openPool opens a pool of at most n connections and connects once, so that
// DSN pragmas run (and fail) here rather than in the first query.
func openPool(ctx context.Context, path, dsn string, n int) (*sql.DB, error) {
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, openError(path, err)
	}
	return pool, nil
}

// ensureWritable fails with ErrUnwritable when SQLite opened the file
// read-only: it does so without a word when the OS refuses write access, and
// an up-to-date database would otherwise fail only at its first write.
func ensureWritable(ctx context.Context, writer *sql.DB, path string) error {
	conn, err := writer.Conn(ctx)
	if err != nil {
		return openError(path, err)
	}
	defer conn.Close()
	var readOnly bool
	err = conn.Raw(func(dc any) error {
		if c, ok := dc.(interface{ IsReadOnly(string) (bool, error) }); ok {
			readOnly, err = c.IsReadOnly("main")
			return err
		}
		return nil
	})
	if err != nil {
		return openError(path, err)
	}
	if readOnly {
		return unwritable(path, "the file or its directory is read-only")
	}
	return nil
}

// openError words a failure to open or first write the database.
func openError(path string, err error) error {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return unwritable(path, err)
	}
	if isCorruption(err) {
		return corruptError(path, err.Error())
	}
	return fmt.Errorf("cannot open %s: %w", path, err)
}

// fileURI turns a file path into an SQLite URI ("file:///…"), escaping
// '?', '#' and '%' so that a path holding them is not cut short. Both the
// driver and SQLite are given the URI form so that SQLite applies "mode".
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:///C:/…
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// The DSNs. modernc.org/sqlite v1.62.0 runs each _pragma value as
// "PRAGMA <value>" on every new connection, busy_timeout first and the rest
// in lexical order, and reads _txlock for the BEGIN mode; SQLite ignores
// these unknown URI keys and honours mode (ro: never write or create;
// rw: never create, the file is made by createFile).
const (
	busyPragma   = "_pragma=busy_timeout(10000)"
	writerParams = "mode=rw&_txlock=immediate&" + busyPragma +
		"&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	readerParams = "mode=rw&" + busyPragma + "&_pragma=foreign_keys(1)&_pragma=query_only(1)"
	checkParams  = "mode=ro&" + busyPragma
	// recoverParams: a plain connection that may roll back a hot journal.
	recoverParams = "mode=rw&" + busyPragma
)

func writerDSN(path string) string  { return fileURI(path) + "?" + writerParams }
func readerDSN(path string) string  { return fileURI(path) + "?" + readerParams }
func checkDSN(path string) string   { return fileURI(path) + "?" + checkParams }
func recoverDSN(path string) string { return fileURI(path) + "?" + recoverParams }
