package store

import (
	"context"
	"os"
	"path/filepath"
)

// NeedsCheck says the last session before this one ended uncleanly (or
// SQLite recovered from a crash) and Open deferred the integrity check
// (Options.DeferCheck): the caller should run Check before it lets the
// database be written much, as the window does before its syncs start.
func (db *DB) NeedsCheck() bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.orphans != nil
}

// Check reads the whole file (PRAGMA quick_check) on a connection of its
// own, read-only, so it runs while others read and write. It returns
// ErrCorrupt naming the path when the file is damaged, and leaves the
// unclean-shutdown mark in place so the next start checks again; a sound
// file clears it (NeedsCheck turns false). It takes a while on a large
// file: a 1 GB database is read in seconds with a warm page cache.
func (db *DB) Check(ctx context.Context) error {
	if err := inspectWith(ctx, checkDSN(db.path), db.path, db.latest, true); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := removeOrphans(db.orphans); err != nil {
		return unwritable(filepath.Join(filepath.Dir(db.path), sessionsDir), err)
	}
	db.orphans = nil
	return nil
}

// SizeBytes is the database file's size, 0 when it can't be read.
func (db *DB) SizeBytes() int64 {
	fi, err := os.Stat(db.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
