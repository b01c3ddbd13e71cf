package destination

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed pgmigrations/*.sql
var pgMigrationFiles embed.FS

type pgMigration struct {
	version int
	name    string
	body    string
}

// pgMigrations returns the embedded PostgreSQL migrations in order; the
// warehouse's tables (0002) come from the registry-generated file.
func pgMigrations() ([]pgMigration, error) {
	entries, err := fs.ReadDir(pgMigrationFiles, "pgmigrations")
	if err != nil {
		return nil, fmt.Errorf("reading embedded PostgreSQL migrations: %w", err)
	}
	var out []pgMigration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("PostgreSQL migration %s is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(pgMigrationFiles, path.Join("pgmigrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, pgMigration{v, name, string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("PostgreSQL migrations are not numbered 1, 2, 3, …: %04d at position %d", m.version, i+1)
		}
	}
	return out, nil
}

// migrate creates schema when it is missing and applies the migrations it
// lacks, each in one transaction with its ledgerline_migrations row. The
// connection's search_path is the schema (connect sets it).
func migrate(ctx context.Context, conn *pgx.Conn, schema string) error {
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return fmt.Errorf("looking for schema %s: %w", schema, err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
			return fmt.Errorf("creating schema %s: %w", schema, err)
		}
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS ledgerline_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("creating ledgerline_migrations in schema %s: %w", schema, err)
	}
	ms, err := pgMigrations()
	if err != nil {
		return err
	}
	var current int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM ledgerline_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("reading schema %s's version: %w", schema, err)
	}
	if current > len(ms) {
		return fmt.Errorf("schema %s was migrated by a newer Ledgerline (version %d; this one knows %d)", schema, current, len(ms))
	}
	for _, m := range ms[current:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.body); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO ledgerline_migrations (version, name) VALUES ($1, $2)`, m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("applying PostgreSQL migration %04d_%s to schema %s: %w", m.version, m.name, schema, err)
		}
	}
	return nil
}
