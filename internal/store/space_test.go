package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fillCustomers stores n customers of about 4 KB each for connection id.
func fillCustomers(t *testing.T, db *DB, id string, n int) {
	t.Helper()
	err := db.WriteTx(context.Background(), func(tx *sql.Tx) error {
		for i := range n {
			_, err := tx.Exec(`INSERT INTO stripe_customers (connection_id, id, created, livemode, synced_at, version, data)
				VALUES (?, ?, ?, 0, '2026-12-08T00:00:00Z', 1, ?)`, id, fmt.Sprintf("cus_%06d", i), i, strings.Repeat(fmt.Sprintf("%07d", i), 600))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestDeletingAConnectionGivesItsSpaceBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	makeDatabaseWithRows(t, dir, 2)
	db, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conns, err := db.ListConnections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fillCustomers(t, db, conns[0].ID, 5000) // ≈ 20 MB
	if _, err := db.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	full := fileSize(t, db.Path())
	if sp, err := db.Space(ctx); err != nil || !sp.Incremental {
		t.Fatalf("a new database: %+v, %v; want incremental auto-vacuum", sp, err)
	}
	if err := db.DeleteConnection(ctx, conns[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	after := fileSize(t, db.Path())
	if full-after < 15_000_000 {
		t.Errorf("the file went from %d to %d bytes; the 20 MB deleted should have gone back to the disk", full, after)
	}
	if sp, err := db.Space(ctx); err != nil || sp.FreeBytes != 0 {
		t.Errorf("after the delete: %+v, %v; want no free pages left in the file", sp, err)
	}
	if list, err := db.ListConnections(ctx); err != nil || len(list) != 1 {
		t.Errorf("%d connections, %v; want the other one kept", len(list), err)
	}
}

func TestCompactingAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	makeDatabaseWithRows(t, dir, 2)
	path := filepath.Join(dir, FileName)
	// A database from before incremental auto-vacuum.
	exec(t, path, "PRAGMA auto_vacuum = NONE", "VACUUM")
	db, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conns, err := db.ListConnections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base, err := db.Space(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fillCustomers(t, db, conns[0].ID, 5000)
	if _, err := db.writer.Exec(`DELETE FROM stripe_customers`); err != nil {
		t.Fatal(err)
	}
	sp, err := db.Space(ctx)
	if err != nil || sp.Incremental || sp.FreeBytes < 15_000_000 {
		t.Fatalf("before: %+v, %v; want 20 MB free and no incremental auto-vacuum", sp, err)
	}
	// ReclaimSpace can't give it back; Compact does, and makes it incremental.
	if err := db.ReclaimSpace(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var last [2]int64
	if err := db.Compact(ctx, func(done, total int64) { last = [2]int64{done, total} }); err != nil {
		t.Fatal(err)
	}
	sp, err = db.Space(ctx)
	if err != nil || !sp.Incremental || sp.FreeBytes != 0 || sp.FileBytes > base.FileBytes+1_000_000 {
		t.Errorf("after Compact: %+v, %v; before the 20 MB came and went: %+v", sp, err, base)
	}
	if last[0] != last[1] || last[1] == 0 {
		t.Errorf("the last progress was %d of %d", last[0], last[1])
	}
	if list, err := db.ListConnections(ctx); err != nil || len(list) != 2 {
		t.Errorf("%d connections after Compact, %v", len(list), err)
	}
}
