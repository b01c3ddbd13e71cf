package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesAPrivateDatabase(t *testing.T) {
	ctx := context.Background()

	t.Run("creates the data dir 0700 and the file 0600 in WAL mode", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nested", "Ledgerline")
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()

		if want := filepath.Join(dir, FileName); db.Path() != want {
			t.Errorf("Path() = %q, want %q", db.Path(), want)
		}
		assertMode(t, dir, 0o700)
		assertMode(t, db.Path(), 0o600)
		var mode string
		if err := db.writer.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q (%v), want wal", mode, err)
		}
		var fk int
		if err := db.writer.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("writer foreign_keys = %d (%v), want 1", fk, err)
		}
	})

	t.Run("leaves an existing data dir's mode alone", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		assertMode(t, dir, 0o750)
	})

	t.Run("the reader pool refuses to write", func(t *testing.T) {
		db := openTestDB(t)
		_, err := db.reader.ExecContext(ctx, "DELETE FROM connections")
		if err == nil {
			t.Fatal("a reader connection deleted rows")
		}
	})

	t.Run("accepts an empty file as a new database", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ListConnections(ctx); err != nil {
			t.Errorf("ListConnections on a migrated empty file: %v", err)
		}
	})

	t.Run("handles a data dir whose path holds URI characters", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "my data?x=1#frag %20")
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.CreateConnection(ctx, sampleConnection(1), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
			t.Errorf("database not where it belongs: %v", err)
		}
	})
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	first := time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)

	t.Run("migrates an empty database and is idempotent when reopened", func(t *testing.T) {
		dir := t.TempDir()
		db, err := Open(ctx, Options{Dir: dir, Now: fixedClock(first)})
		if err != nil {
			t.Fatal(err)
		}
		assertMigrations(t, db, allMigrations(t, "2026-01-02T03:04:05.678Z")...)
		db.Close()

		// Reopening with a later clock must not apply anything again.
		db, err = Open(ctx, Options{Dir: dir, Now: fixedClock(first.Add(time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		assertMigrations(t, db, allMigrations(t, "2026-01-02T03:04:05.678Z")...)
		for _, name := range []string{"connections", "connections_one_active_account", "connections_by_name"} {
			var n int
			db.reader.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = ?", name).Scan(&n)
			if n != 1 {
				t.Errorf("schema object %s missing", name)
			}
		}
	})

	t.Run("a failing migration leaves no trace of itself", func(t *testing.T) {
		db := openTestDB(t)
		ms, err := loadMigrations(migrationFiles)
		if err != nil {
			t.Fatal(err)
		}
		broken := migration{version: len(ms) + 1, name: "broken",
			sql: "CREATE TABLE half_done (x); CREATE TABLE half_done (y);"}
		err = migrate(ctx, db.writer, db.Path(), append(ms, broken), time.Now)
		if err == nil || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("migrate with a broken migration: %v, want an error naming it", err)
		}
		var n int
		db.reader.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").Scan(&n)
		if n != 0 {
			t.Error("the broken migration's first statement was kept")
		}
		assertMigrations(t, db, allMigrations(t, "*")...)
	})

	t.Run("rejects badly numbered migration sets", func(t *testing.T) {
		for name, files := range map[string][]string{
			"a gap":        {"0001_a.sql", "0003_c.sql"},
			"a repeat":     {"0001_a.sql", "0001_b.sql"},
			"a bad name":   {"0001_a.sql", "second.sql"},
			"no name part": {"0001.sql"},
		} {
			if _, err := loadMigrations(mapFS(files...)); err == nil {
				t.Errorf("%s: loadMigrations accepted %v", name, files)
			}
		}
		if ms, err := loadMigrations(mapFS("0002_b.sql", "0001_a.sql")); err != nil || ms[0].name != "a" || latest(ms) != 2 {
			t.Errorf("a good set: %v, %v", ms, err)
		}
	})
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", path, got, want)
	}
}

// assertMigrations compares schema_migrations, one "version name applied_at"
// line per row; an applied_at of "*" matches any value.
// allMigrations is every embedded migration as assertMigrations words it,
// each applied at `at` ("*" for any time).
func allMigrations(t *testing.T, at string) []string {
	t.Helper()
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range ms {
		want = append(want, fmt.Sprintf("%d %s %s", m.version, m.name, at))
	}
	return want
}

func assertMigrations(t *testing.T, db *DB, want ...string) {
	t.Helper()
	rows, err := db.reader.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v int
		var name, at string
		if err := rows.Scan(&v, &name, &at); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %s %s", v, name, at))
	}
	if len(got) != len(want) {
		t.Fatalf("schema_migrations = %q, want %q", got, want)
	}
	for i := range want {
		if w, ok := strings.CutSuffix(want[i], "*"); ok && strings.HasPrefix(got[i], w) {
			continue
		}
		if got[i] != want[i] {
			t.Errorf("schema_migrations row %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestNewDatabasesUseLargePages(t *testing.T) {
	db := openTestDB(t)
	var size int
	if err := db.reader.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size != pageSize {
		t.Errorf("page_size = %d, want %d", size, pageSize)
	}
	var mode string
	if err := db.reader.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
}
