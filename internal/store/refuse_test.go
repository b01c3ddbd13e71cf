package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Each story prepares a data dir holding a file Open must not write, then
// checks the error names the file, matches its sentinel, and that the file
// still holds exactly the bytes it held before.
func TestOpenRefusesFilesItMustNotWrite(t *testing.T) {
	ctx := context.Background()

	refuse := func(t *testing.T, dir string, target error, facts domain.Facts) {
		t.Helper()
		path := filepath.Join(dir, FileName)
		before := readFile(t, path)
		db, err := Open(ctx, Options{Dir: dir})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded")
		}
		t.Logf("Open says: %v", err)
		if !errors.Is(err, target) {
			t.Errorf("error %q does not match %v", err, target)
		}
		_, got := domain.KindOf(err)
		if got[domain.FactPath] != path {
			t.Errorf("error %q does not name %s", err, path)
		}
		for name, want := range facts {
			if got[name] != want {
				t.Errorf("fact %s = %q, want %q", name, got[name], want)
			}
		}
		assertUnchanged(t, path, before)
	}

	t.Run("a text file is not an SQLite file", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, FileName), "my shopping list\nmilk\n")
		refuse(t, dir, ErrNotSQLite, nil)
	})

	t.Run("a file shorter than the SQLite header is not an SQLite file", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, FileName), "SQLite")
		refuse(t, dir, ErrNotSQLite, nil)
	})

	t.Run("a damaged database is reported after an unclean shutdown and left untouched", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		makeDatabaseWithRows(t, dir, 400)
		corruptMiddlePages(t, path)
		leaveOrphanSession(t, dir)
		refuse(t, dir, ErrCorrupt, domain.Facts{domain.FactFileName: FileName})
		// Still unclean: the next start checks again.
		refuse(t, dir, ErrCorrupt, nil)
	})

	t.Run("a database from a newer Ledgerline is refused", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		exec(t, filepath.Join(dir, FileName),
			"INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01T00:00:00.000Z')")
		ms, err := loadMigrations(migrationFiles)
		if err != nil {
			t.Fatal(err)
		}
		refuse(t, dir, ErrSchemaTooNew, domain.Facts{domain.FactVersion: "999", domain.FactLatest: fmt.Sprint(len(ms))})
	})

	t.Run("another program's SQLite database is refused", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		writeFile(t, path, "")
		exec(t, path, "CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('bread')")
		refuse(t, dir, ErrNotLedgerline, nil)
	})
}

func TestOpenRefusesAnUnwritableDataDir(t *testing.T) {
	ctx := context.Background()

	t.Run("a data dir below a regular file cannot be created", func(t *testing.T) {
		// Works for every user, root included: no permission bit is involved.
		blocker := filepath.Join(t.TempDir(), "not-a-dir")
		writeFile(t, blocker, "keep me")
		dir := filepath.Join(blocker, "Ledgerline")
		_, err := Open(ctx, Options{Dir: dir})
		if !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), dir) {
			t.Errorf("Open(%s) = %v, want ErrUnwritable naming the dir", dir, err)
		}
		assertUnchanged(t, blocker, []byte("keep me"))
	})

	t.Run("a data dir that is a regular file is refused", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "Ledgerline")
		writeFile(t, dir, "keep me too")
		_, err := Open(ctx, Options{Dir: dir})
		if !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), dir) {
			t.Errorf("Open(%s) = %v, want ErrUnwritable naming the dir", dir, err)
		}
		assertUnchanged(t, dir, []byte("keep me too"))
	})

	t.Run("a read-only data dir holding a database is refused", func(t *testing.T) {
		if os.Geteuid() == 0 {
			// Root writes through permission bits, so chmod cannot make a
			// directory unwritable here; the two stories above cover root.
			t.Skip("running as root: permission bits do not stop writes")
		}
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		path := filepath.Join(dir, FileName)
		before := readFile(t, path)
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o700)
		_, err := Open(ctx, Options{Dir: dir})
		if !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), dir) {
			t.Errorf("Open(%s) = %v, want ErrUnwritable naming the dir", dir, err)
		}
		assertUnchanged(t, path, before)
	})

	t.Run("a read-only database file is refused", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root: permission bits do not stop writes")
		}
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		path := filepath.Join(dir, FileName)
		before := readFile(t, path)
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, Options{Dir: dir})
		if !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want ErrUnwritable naming the file", dir, err)
		}
		assertUnchanged(t, path, before)
	})
}

// makeDatabaseWithRows creates a Ledgerline database in dir holding n
// connections and closes it, so the whole database is in the main file.
func makeDatabaseWithRows(t *testing.T, dir string, n int) {
	t.Helper()
	db, err := Open(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range n {
		c := sampleConnection(i)
		c.StatusReason, c.StatusFacts = domain.KindPermission, domain.Facts{domain.FactPermission: strings.Repeat("Charges: Read ", 12)}
		if err := db.CreateConnection(context.Background(), c, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// corruptMiddlePages overwrites the pages in the middle third of the file
// with a repeating pattern, leaving page 1 (header and schema) intact.
func corruptMiddlePages(t *testing.T, path string) {
	t.Helper()
	b := readFile(t, path)
	const pageSize = 4096
	pages := len(b) / pageSize
	if pages < 6 {
		t.Fatalf("database has only %d pages; need more rows to damage its middle", pages)
	}
	for i := pages / 3 * pageSize; i < 2*pages/3*pageSize; i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
