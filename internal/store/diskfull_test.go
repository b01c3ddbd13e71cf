package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// On a real file system that fills up: the write that finds no room fails
// as KindDiskFull naming the folder, nothing of it is kept, the file stays
// sound, and writing works again once there is room.
func TestAFullDisk(t *testing.T) {
	ctx := context.Background()
	dir, resize := testkit.SmallFS(t, 16<<20)
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("CREATE TABLE filler (batch INTEGER, pad BLOB)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Batches of 10 rows of 100 KB until the disk is full.
	insert := func(batch int) error {
		return db.WriteTx(ctx, func(tx *sql.Tx) error {
			for range 10 {
				if _, err := tx.Exec("INSERT INTO filler VALUES (?, zeroblob(100000))", batch); err != nil {
					return err
				}
			}
			return nil
		})
	}
	committed := 0
	for ; committed < 1000; committed++ {
		if err = insert(committed); err != nil {
			break
		}
	}
	if !errors.Is(err, domain.KindDiskFull) {
		t.Fatalf("after %d batches the write failed with %v, want KindDiskFull", committed, err)
	}
	_, facts := domain.KindOf(err)
	if facts[domain.FactPath] != dir {
		t.Errorf("the error names %q, want the data folder %s", facts[domain.FactPath], dir)
	}
	if free, perr := strconv.ParseInt(facts[domain.FactFreeBytes], 10, 64); perr != nil || free >= 1<<20 {
		t.Errorf("free bytes %q: a full disk has less than the 1 MB the batch needed", facts[domain.FactFreeBytes])
	}
	count := func() (batches, rows int) {
		t.Helper()
		if err := db.Reader().QueryRow("SELECT count(DISTINCT batch), count(*) FROM filler").Scan(&batches, &rows); err != nil {
			t.Fatal(err)
		}
		return
	}
	if b, r := count(); b != committed || r != 10*committed {
		t.Errorf("%d batches, %d rows stored; want the %d committed whole, nothing of the one that failed", b, r, committed)
	}
	if err := db.Check(ctx); err != nil {
		t.Errorf("the file after the full disk: %v", err)
	}

	resize(64 << 20) // the owner frees space
	if err := insert(committed); err != nil {
		t.Fatalf("with room again the write failed: %v", err)
	}
	if b, r := count(); b != committed+1 || r != 10*(committed+1) {
		t.Errorf("after space came back: %d batches, %d rows", b, r)
	}
}
