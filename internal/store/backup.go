package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// backupStep is how many pages a backup copies between progress reports:
// 512 pages of 64 KiB, 32 MiB. A variable so tests can take small steps.
var backupStep int32 = 512

// Backup writes a consistent copy of the database to dst while others go
// on reading and writing it: SQLite's online backup, copying page by page
// inside one read transaction, so the copy is the database as of the
// moment the backup began (WAL lets writers carry on meanwhile). The copy
// is written beside dst first, mode 0600, opened and its pages counted,
// synced to disk and renamed to dst, replacing a file already there only
// then. It holds what the database holds: connection records, synced
// data, sync state — never a token or key, which live in the keychain.
// progress, when not nil, is told after each step how many of the
// database's pages are copied. A dst that can't be written is
// domain.KindBackupUnwritable naming it.
func (db *DB) Backup(ctx context.Context, dst string, progress func(done, total int)) error {
	dst, err := filepath.Abs(dst)
	if err != nil {
		return backupUnwritable(dst, err)
	}
	if dst == db.path {
		return backupUnwritable(dst, "that is the database itself")
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".partial-*")
	if err != nil {
		return backupUnwritable(dst, err)
	}
	tmpPath := tmp.Name()
	defer os.Remove(tmpPath) // after the rename there is nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return backupUnwritable(dst, err)
	}
	tmp.Close()

	pages, err := db.copyTo(ctx, tmpPath, progress)
	if err != nil {
		return err
	}
	// The copy is a WAL-mode database like its source. Reading it back
	// whole would halve the backup's speed; SQLite's backup copies pages
	// verbatim, so opening it (its schema, the version) and counting its
	// pages shows it is complete. restore reads a backup whole before
	// trusting it.
	if err := inspectWith(ctx, recoverDSN(tmpPath), tmpPath, db.latest, false); err != nil {
		return fmt.Errorf("the backup written to %s did not check out: %w", tmpPath, err)
	}
	if got, err := pageCount(ctx, tmpPath); err != nil || got != pages {
		return fmt.Errorf("the backup written to %s holds %d pages, not the %d copied: %v", tmpPath, got, pages, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		os.Remove(tmpPath + side)
	}
	if err := syncFile(tmpPath); err != nil {
		return backupUnwritable(dst, err)
	}
	if err := os.Rename(tmpPath, dst); err != nil {
		return backupUnwritable(dst, err)
	}
	return syncDir(filepath.Dir(dst))
}

// copyTo runs the online backup from a reader connection into path and
// returns how many pages it copied.
func (db *DB) copyTo(ctx context.Context, path string, progress func(done, total int)) (pages int, err error) {
	conn, err := db.reader.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// One read transaction for the whole copy: every step sees the same
	// snapshot, and writers in other connections don't restart it.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return 0, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return 0, err
	}
	err = conn.Raw(func(dc any) error {
		src, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver offers no online backup")
		}
		// The copy's own journal and syncs would only guard a file that is
		// thrown away if anything fails: Backup syncs it once at the end.
		b, err := src.NewBackup(fileURI(path) + "?mode=rw&_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
		if err != nil {
			return backupUnwritable(path, err)
		}
		for {
			more, err := b.Step(backupStep)
			if err != nil {
				b.Finish()
				return backupError(path, err)
			}
			pages = b.PageCount()
			if progress != nil {
				progress(pages-b.Remaining(), pages)
			}
			if !more {
				break
			}
			if err := ctx.Err(); err != nil {
				b.Finish()
				return err
			}
		}
		return b.Finish()
	})
	return pages, err
}

// pageCount is how many pages the database file at path holds.
func pageCount(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", checkDSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&n)
	return n, err
}

// backupError words a failure during the copy: a full disk or an
// unwritable file is the backup's; anything else is as SQLite said.
func backupError(path string, err error) error {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_FULL:
		return backupUnwritable(path, "the disk is full")
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return backupUnwritable(path, err)
	}
	return err
}

func backupUnwritable(path string, detail any) error {
	return domain.E(domain.KindBackupUnwritable, nil, domain.FactPath, path, domain.FactDetail, fmt.Sprint(detail))
}

// syncFile flushes path's contents to the disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a directory's entries (a rename) where the system
// allows it; Windows can't open a directory for that, and needs not.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
