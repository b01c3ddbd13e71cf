package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These stories copy a database's files while a transaction is open, which
// leaves the copy as a crash would: committed data plus a WAL or a hot
// rollback journal.
func TestOpenAfterACrash(t *testing.T) {
	ctx := context.Background()

	t.Run("a newer schema still only in the WAL is seen and the file left untouched", func(t *testing.T) {
		src := t.TempDir()
		makeDatabaseWithRows(t, src, 3)
		path := filepath.Join(src, FileName)
		raw := rawDB(t, path)
		defer raw.Close()
		mustExec(t, raw.Exec, "PRAGMA wal_autocheckpoint = 0")
		mustExec(t, raw.Exec, "INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00.000Z')")
		// Without the -shm file, so the read-only check must rebuild the WAL index itself.
		dst := copyDatabase(t, path, "", "-wal")
		before := readFile(t, filepath.Join(dst, FileName))

		_, err := Open(ctx, Options{Dir: dst})
		if !errors.Is(err, ErrSchemaTooNew) {
			t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
		}
		assertUnchanged(t, filepath.Join(dst, FileName), before)
	})

	t.Run("a hot rollback journal is recovered before the checks", func(t *testing.T) {
		src := t.TempDir()
		makeDatabaseWithRows(t, src, 3)
		path := filepath.Join(src, FileName)
		dst := crashInRollbackMode(t, path)

		db, err := Open(ctx, Options{Dir: dst})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if list, err := db.ListConnections(ctx); err != nil || len(list) != 3 {
			t.Errorf("after recovery: %d connections, %v; want the 3 committed ones", len(list), err)
		}
	})

	t.Run("another program's database with a hot journal is recovered but not converted", func(t *testing.T) {
		src := t.TempDir()
		path := filepath.Join(src, FileName)
		writeFile(t, path, "")
		exec(t, path, "CREATE TABLE recipes (name TEXT, notes TEXT)", "INSERT INTO recipes VALUES ('bread', '')")
		dst := crashInRollbackMode(t, path)

		_, err := Open(ctx, Options{Dir: dst})
		if !errors.Is(err, ErrNotLedgerline) {
			t.Fatalf("Open = %v, want ErrNotLedgerline", err)
		}
		// Bytes 18 and 19 of the header are 1 in rollback mode, 2 in WAL mode.
		if b := readFile(t, filepath.Join(dst, FileName)); b[18] != 1 || b[19] != 1 {
			t.Errorf("the other program's database was switched to WAL mode")
		}
	})
}

// crashInRollbackMode switches path to rollback-journal mode, starts a large
// transaction that spills pages into the file, and returns a directory
// holding a copy of the file and its hot journal taken at that moment.
func crashInRollbackMode(t *testing.T, path string) string {
	t.Helper()
	exec(t, path, "PRAGMA journal_mode = DELETE")
	raw := rawDB(t, path)
	defer raw.Close()
	mustExec(t, raw.Exec, "PRAGMA cache_size = 2") // force dirty pages out early
	mustExec(t, raw.Exec, "BEGIN")
	mustExec(t, raw.Exec, "CREATE TABLE uncommitted (x TEXT)")
	for range 200 {
		mustExec(t, raw.Exec, "INSERT INTO uncommitted VALUES (?)", strings.Repeat("z", 300))
	}
	dst := copyDatabase(t, path, "", "-journal")
	mustExec(t, raw.Exec, "ROLLBACK")
	if fi, err := os.Stat(filepath.Join(dst, FileName+"-journal")); err != nil || fi.Size() == 0 {
		t.Fatalf("no hot journal was captured: %v", err)
	}
	return dst
}

// copyDatabase copies path plus the given suffixes ("" for the file itself,
// "-wal", "-journal") into a new directory and returns it.
func copyDatabase(t *testing.T, path string, suffixes ...string) string {
	t.Helper()
	dst := t.TempDir()
	for _, suffix := range suffixes {
		if err := os.WriteFile(filepath.Join(dst, FileName+suffix), readFile(t, path+suffix), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
