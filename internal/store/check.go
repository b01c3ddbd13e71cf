package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// sqliteHeader opens every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// checkExisting decides, without writing, whether the existing file at path
// may be opened for writing; with full it also runs PRAGMA quick_check,
// which reads the whole file. An empty file is a new database to SQLite.
// recovered says SQLite's crash recovery ran first.
func checkExisting(ctx context.Context, path string, latest int, full bool) (recovered bool, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return false, notSQLiteError(path)
	}
	if fi.Size() == 0 {
		return false, nil
	}
	if err := checkHeader(path); err != nil {
		return false, err
	}
	err = inspectWith(ctx, checkDSN(path), path, latest, full)
	if needsRecovery(err) {
		recovered = true
		// A crash left a hot rollback journal (or a WAL index) that only a
		// connection allowed to write can recover. That recovery restores
		// the last committed state, as SQLite does for any program opening
		// the file; it changes no committed data. Let a plain connection,
		// without our pragmas, do it and check the result.
		err = inspectWith(ctx, recoverDSN(path), path, latest, full)
		if needsRecovery(err) {
			return true, unwritable(path, fmt.Sprintf("needs crash recovery, which requires write access: %v", err))
		}
	}
	return recovered, err
}

// inspectWith runs inspect on a single connection opened with dsn.
func inspectWith(ctx context.Context, dsn, path string, latest int, full bool) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return inspect(ctx, db, path, latest, full)
}

// checkHeader reports ErrNotSQLite unless path starts with the SQLite header.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteHeader {
		return notSQLiteError(path)
	}
	return nil
}

// inspect reads the schema version through db and, with full, runs PRAGMA
// quick_check first. It returns ErrCorrupt, ErrNotLedgerline or
// ErrSchemaTooNew, each naming path, or the raw SQLite error when the file
// needs recovery first. Reading the schema reads the first pages only, but
// a damaged schema page is found there too.
func inspect(ctx context.Context, db *sql.DB, path string, latest int, full bool) error {
	if full {
		findings, err := quickCheck(ctx, db)
		if err != nil {
			return readError(path, err)
		}
		if len(findings) != 1 || findings[0] != "ok" {
			return corruptError(path, summarize(findings))
		}
	}
	version, foreign, err := schemaVersion(ctx, db)
	if err != nil {
		return readError(path, err)
	}
	if foreign {
		return domain.E(domain.KindDBNotLedgerline, nil, domain.FactPath, path)
	}
	if version > latest {
		return tooNewError(path, version, latest)
	}
	return nil
}

// quickCheck returns what PRAGMA quick_check reports, at most 10 findings;
// a sound database reports exactly "ok".
func quickCheck(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(10)")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var findings []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		findings = append(findings, s)
	}
	return findings, rows.Err()
}

// schemaVersion reads the highest applied migration, 0 for a database
// without schema_migrations. foreign is true when such a database already
// holds tables: it belongs to another program and must not be migrated.
func schemaVersion(ctx context.Context, db *sql.DB) (version int, foreign bool, err error) {
	var hasMigrations, tables int
	err = db.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE name = 'schema_migrations'),
		count(*) FILTER (WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\')
		FROM sqlite_schema WHERE type = 'table'`).Scan(&hasMigrations, &tables)
	if err != nil || hasMigrations == 0 {
		return 0, tables > 0, err
	}
	err = db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version)
	return version, false, err
}

// needsRecovery reports whether a read-only connection failed only because
// the file has a hot journal or a WAL that must be recovered by a writer.
func needsRecovery(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_READONLY_ROLLBACK, sqlite3.SQLITE_READONLY_RECOVERY, sqlite3.SQLITE_READONLY_CANTINIT:
		return true
	}
	return false
}

// readError words a failure to read the database during the checks.
func readError(path string, err error) error {
	if needsRecovery(err) {
		return err
	}
	if isCorruption(err) {
		return corruptError(path, err.Error())
	}
	return fmt.Errorf("cannot read %s: %w", path, err)
}

// summarize turns quick_check's findings into one line: the first problem
// and how many more there are.
func summarize(findings []string) string {
	var lines []string
	for _, f := range findings {
		for _, line := range strings.Split(f, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "***") {
				lines = append(lines, line)
			}
		}
	}
	switch len(lines) {
	case 0:
		return "no details"
	case 1:
		return lines[0]
	}
	return lines[0] + ", and other problems"
}

func notSQLiteError(path string) error {
	return domain.E(domain.KindDBNotSQLite, nil, domain.FactPath, path)
}

func corruptError(path, finding string) error {
	return domain.E(domain.KindDBDamaged, nil, domain.FactPath, path, domain.FactDetail, finding,
		domain.FactFileName, FileName)
}

func tooNewError(path string, version, latest int) error {
	return domain.E(domain.KindDBTooNew, nil, domain.FactPath, path,
		domain.FactVersion, strconv.Itoa(version), domain.FactLatest, strconv.Itoa(latest))
}
