package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// backupStep is how many pages a backup copies between progress reports:
// 64 pages of 64 KiB, 4 MiB. A variable so tests can take small steps.
var backupStep int32 = 64

// Backup writes a consistent copy of the database to dst while others go
// on reading and writing it: SQLite's online backup, copying page by page
// inside one read transaction, so the copy is the database as of the
// moment the backup began (WAL lets writers carry on meanwhile). The copy
// is written beside dst first, mode 0600, checked (PRAGMA quick_check),
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

	if err := db.copyTo(ctx, tmpPath, progress); err != nil {
		return err
	}
	// The copy is a WAL-mode database like its source: fold any WAL into
	// it and make sure it is sound before it takes dst's place.
	if err := inspectWith(ctx, recoverDSN(tmpPath), tmpPath, db.latest, true); err != nil {
		return fmt.Errorf("the backup written to %s did not check out: %w", tmpPath, err)
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

// copyTo runs the online backup from a reader connection into path.
func (db *DB) copyTo(ctx context.Context, path string, progress func(done, total int)) error {
	conn, err := db.reader.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// One read transaction for the whole copy: every step sees the same
	// snapshot, and writers in other connections don't restart it.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		src, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver offers no online backup")
		}
		b, err := src.NewBackup(fileURI(path) + "?mode=rw")
		if err != nil {
			return backupUnwritable(path, err)
		}
		for {
			more, err := b.Step(backupStep)
			if err != nil {
				b.Finish()
				return backupError(path, err)
			}
			if progress != nil {
				total := b.PageCount()
				progress(total-b.Remaining(), total)
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
