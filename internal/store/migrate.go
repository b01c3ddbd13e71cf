package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the numbered schema changes, NNNN_name.sql, applied
// in order. A released migration is never edited; a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string // the file name without its number and extension
	sql     string
}

// loadMigrations reads fsys's migrations directory (Open passes the
// embedded one) and checks that it is numbered 1, 2, 3, … without gaps or
// repeats.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, fmt.Errorf("reading embedded migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 || name == "" {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: version, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations are not numbered 1, 2, 3, …: found %04d_%s.sql at position %d", m.version, m.name, i+1)
		}
	}
	return ms, nil
}

// latest is the newest schema version ms reach.
func latest(ms []migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies each migration the database lacks, each in its own
// transaction together with its schema_migrations row, so a failure leaves
// the database at the last complete version. Running it again is a no-op.
func migrate(ctx context.Context, db *sql.DB, dbPath string, ms []migration, now func() time.Time) error {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)`
	if _, err := db.ExecContext(ctx, create); err != nil {
		return openError(dbPath, err)
	}
	var current int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return openError(dbPath, err)
	}
	if current > latest(ms) {
		return tooNewError(dbPath, current, latest(ms))
	}
	for _, m := range ms {
		if m.version <= current {
			continue // an up-to-date database takes no write lock at all
		}
		if err := applyMigration(ctx, db, dbPath, m, latest(ms), now); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless it already is. It re-reads the version
// inside the (immediate) transaction, so two processes opening the same file
// at once apply each migration exactly once, and a newer Ledgerline that
// migrated the file since the read-only check is still refused.
func applyMigration(ctx context.Context, db *sql.DB, dbPath string, m migration, latest int, now func() time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return openError(dbPath, err)
	}
	defer tx.Rollback() // no-op after Commit

	var current int
	var applied bool
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0),
		EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?) FROM schema_migrations`, m.version).
		Scan(&current, &applied)
	if err != nil {
		return openError(dbPath, err)
	}
	if current > latest {
		return tooNewError(dbPath, current, latest)
	}
	if applied {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("applying migration %04d_%s to %s: %w", m.version, m.name, dbPath, err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, formatTime(now()))
	if err != nil {
		return fmt.Errorf("recording migration %04d_%s in %s: %w", m.version, m.name, dbPath, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing migration %04d_%s to %s: %w", m.version, m.name, dbPath, err)
	}
	return nil
}

// SchemaVersion is the schema version this build migrates a database to:
// the newest embedded migration's number. A file with a higher one was
// written by a newer Ledgerline and is refused.
func SchemaVersion() int {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return 0
	}
	return latest(ms)
}
