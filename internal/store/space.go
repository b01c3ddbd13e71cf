package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"
)

// Space: deleted rows leave free pages inside the file. A database created
// by this version keeps auto_vacuum = INCREMENTAL, so ReclaimSpace hands
// them back to the disk in small steps while others keep working; an older
// one (auto_vacuum off) needs Compact once, which rewrites the file.

// reclaimStep is how many pages ReclaimSpace frees per write transaction:
// 256 pages of 64 KiB, 16 MiB, so a sync waits at most a moment for it.
const reclaimStep = 256

// Space is how the file's pages are used.
type Space struct {
	FileBytes   int64 // the file's size
	FreeBytes   int64 // pages inside it that hold nothing
	Incremental bool  // ReclaimSpace can return FreeBytes; else Compact
}

// Space reads the page counts.
func (db *DB) Space(ctx context.Context) (Space, error) {
	var pageSize, pages, free, mode int64
	for q, dst := range map[string]*int64{"PRAGMA page_size": &pageSize, "PRAGMA page_count": &pages,
		"PRAGMA freelist_count": &free, "PRAGMA auto_vacuum": &mode} {
		if err := db.writer.QueryRowContext(ctx, q).Scan(dst); err != nil {
			return Space{}, fmt.Errorf("reading %s of %s: %w", q, db.path, err)
		}
	}
	return Space{FileBytes: pages * pageSize, FreeBytes: free * pageSize, Incremental: mode == 2}, nil
}

// ReclaimSpace returns the file's free pages to the disk, reclaimStep at a
// time, each step its own write transaction, telling progress (when not
// nil) how many bytes of how many are returned. A database without
// incremental auto-vacuum is left as it is (Space says so; Compact once
// makes it incremental).
func (db *DB) ReclaimSpace(ctx context.Context, progress func(done, total int64)) error {
	sp, err := db.Space(ctx)
	if err != nil || !sp.Incremental || sp.FreeBytes == 0 {
		return err
	}
	var pageSize int64
	if err := db.writer.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return err
	}
	total := sp.FreeBytes
	for {
		var free int64
		err := db.WriteTx(ctx, func(tx *sql.Tx) error {
			// incremental_vacuum returns a row per page freed; read them all
			// so the statement runs to its end.
			rows, err := tx.QueryContext(ctx, fmt.Sprintf("PRAGMA incremental_vacuum(%d)", reclaimStep))
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			if err := rows.Close(); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free)
		})
		if err != nil {
			return fmt.Errorf("returning free space of %s: %w", db.path, err)
		}
		if progress != nil {
			progress(total-free*pageSize, total)
		}
		if free == 0 {
			return nil
		}
	}
}

// Compact rewrites the whole file without its free pages (VACUUM) and
// switches it to incremental auto-vacuum, so that later deletes give space
// back by themselves. It needs free disk space about the size of the
// database, blocks writers while it runs (syncs wait), and reports
// progress (when not nil) by the rewritten bytes, which it watches grow in
// the write-ahead log.
func (db *DB) Compact(ctx context.Context, progress func(done, total int64)) error {
	sp, err := db.Space(ctx)
	if err != nil {
		return err
	}
	total := sp.FileBytes - sp.FreeBytes
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		if progress == nil {
			return
		}
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if fi, err := os.Stat(db.path + "-wal"); err == nil {
					progress(min(fi.Size(), total), total)
				}
			}
		}
	}()
	_, err = db.writer.ExecContext(ctx, "PRAGMA auto_vacuum = INCREMENTAL; VACUUM")
	close(stop)
	<-watched
	if err != nil {
		return fmt.Errorf("compacting %s: %w", db.path, err)
	}
	if _, err := db.writer.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("compacting %s: %w", db.path, err)
	}
	if progress != nil {
		progress(total, total)
	}
	return nil
}

// Optimize lets SQLite refresh the statistics its query planner uses where
// they have drifted (PRAGMA optimize, bounded by analysis_limit). It reads
// some index pages, tens of milliseconds with a cold page cache, so the
// processes that write — the window and the sync, through app.App.Close —
// run it as they close, and the quick read-only commands don't.
func (db *DB) Optimize(ctx context.Context) error {
	_, err := db.writer.ExecContext(ctx, "PRAGMA analysis_limit = 1000; PRAGMA optimize")
	return err
}
