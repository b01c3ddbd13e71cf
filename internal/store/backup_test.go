package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// countRows counts a table's rows in the database file at path.
func countRows(t *testing.T, path, table string) int {
	t.Helper()
	raw := rawDB(t, path)
	defer raw.Close()
	var n int
	if err := raw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countConnections(t *testing.T, path string) int { return countRows(t, path, "connections") }

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	makeDatabaseWithRows(t, dir, 1000)
	db, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := backupStep
	backupStep = 1 // one page a step: many steps, with writes between them
	t.Cleanup(func() { backupStep = old })

	// A writer commits ten rows per transaction for as long as the backup
	// runs: a consistent copy holds a multiple of ten.
	if err := db.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("CREATE TABLE probe (n INTEGER, pad TEXT)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var committed atomic.Int64
	wg.Go(func() {
		for i := 0; !stop.Load(); i += 10 {
			err := db.WriteTx(ctx, func(tx *sql.Tx) error {
				for j := range 10 {
					if _, err := tx.Exec("INSERT INTO probe VALUES (?, randomblob(2000))", i+j); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
			committed.Add(10)
		}
	})
	dst := filepath.Join(t.TempDir(), "copy of ledgerline.db")
	before := committed.Load()
	var steps int
	var last [2]int
	err = db.Backup(ctx, dst, func(done, total int) { steps++; last = [2]int{done, total} })
	after := committed.Load()
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if steps < 5 || last[0] != last[1] {
		t.Errorf("%d progress reports, the last %d of %d pages", steps, last[0], last[1])
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, %v; want mode 0600", fi, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(dst + side); err == nil {
			t.Errorf("the backup left %s beside it", filepath.Base(dst+side))
		}
	}
	n := countRows(t, dst, "probe")
	if n%10 != 0 || int64(n) < before || int64(n) > after {
		t.Errorf("the copy holds %d rows; a consistent one holds a multiple of 10 between %d and %d", n, before, after)
	}
	if after == before {
		t.Error("the writer committed nothing during the backup, so the test proves nothing")
	}
	if err := inspectWith(ctx, checkDSN(dst), dst, db.latest, true); err != nil {
		t.Errorf("the copy does not check out: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), ".*partial*")); len(left) > 0 {
		t.Errorf("partial files left: %v", left)
	}
}

func TestBackupRefusesWhatItCantWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	makeDatabaseWithRows(t, dir, 3)
	db, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, dst := range map[string]string{
		"a folder that doesn't exist": filepath.Join(t.TempDir(), "missing", "copy.db"),
		"the database itself":         db.Path(),
	} {
		t.Run(name, func(t *testing.T) {
			err := db.Backup(ctx, dst, nil)
			if !errors.Is(err, domain.KindBackupUnwritable) {
				t.Fatalf("Backup = %v, want KindBackupUnwritable", err)
			}
			if _, facts := domain.KindOf(err); facts[domain.FactPath] != dst {
				t.Errorf("the error names %q, not %s", facts[domain.FactPath], dst)
			}
		})
	}
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 12, 8, 3, 30, 0, 0, time.UTC) }
	backupOf := func(t *testing.T, n int) string {
		t.Helper()
		src := t.TempDir()
		makeDatabaseWithRows(t, src, n)
		db, err := Open(ctx, Options{Dir: src})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dst := filepath.Join(t.TempDir(), "backup.db")
		if err := db.Backup(ctx, dst, nil); err != nil {
			t.Fatal(err)
		}
		return dst
	}

	t.Run("a sound backup replaces the database, which is kept", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		backup := backupOf(t, 7)
		kept, err := Restore(ctx, dir, backup, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dir, FileName) + ".before-restore-20261208-033000"; kept != want {
			t.Errorf("kept %q, want %q", kept, want)
		}
		if n := countConnections(t, kept); n != 3 {
			t.Errorf("the kept file holds %d connections, want 3", n)
		}
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if list, err := db.ListConnections(ctx); err != nil || len(list) != 7 {
			t.Errorf("after the restore: %d connections, %v; want the backup's 7", len(list), err)
		}
		if fi, err := os.Stat(db.Path()); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("restored file: %v, %v; want mode 0600", fi, err)
		}
	})

	t.Run("a damaged backup is refused and nothing is replaced", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		path := filepath.Join(dir, FileName)
		before := readFile(t, path)
		src := t.TempDir()
		makeDatabaseWithRows(t, src, 400)
		backup := filepath.Join(src, FileName)
		corruptMiddlePages(t, backup)
		backupBytes := readFile(t, backup)
		_, err := Restore(ctx, dir, backup, now)
		if !errors.Is(err, domain.KindBackupUnusable) {
			t.Fatalf("Restore = %v, want KindBackupUnusable", err)
		}
		assertUnchanged(t, path, before)
		assertUnchanged(t, backup, backupBytes)
		if left, _ := filepath.Glob(filepath.Join(dir, FileName+".*")); len(left) > 0 {
			t.Errorf("files left beside the database: %v", left)
		}
	})

	t.Run("a file that is not a database is refused", func(t *testing.T) {
		dir := t.TempDir()
		notes := filepath.Join(t.TempDir(), "notes.txt")
		writeFile(t, notes, "not a database")
		if _, err := Restore(ctx, dir, notes, now); !errors.Is(err, domain.KindBackupUnusable) {
			t.Fatalf("Restore = %v, want KindBackupUnusable", err)
		}
	})

	t.Run("a database someone has open is not replaced", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := Restore(ctx, dir, backupOf(t, 7), now); !errors.Is(err, domain.KindDBInUse) {
			t.Fatalf("Restore = %v, want KindDBInUse", err)
		}
		if list, err := db.ListConnections(ctx); err != nil || len(list) != 3 {
			t.Errorf("%d connections, %v; want the 3 it had", len(list), err)
		}
	})
}
