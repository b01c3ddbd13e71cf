package store

import (
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/domain"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors Open and the write methods return; callers test them with
// errors.Is. The first five are domain kinds, returned inside a
// *domain.Error whose facts name the file or folder (domain.FactPath) and
// what SQLite or the system said (domain.FactDetail). In every Open case
// below the database file is left exactly as it was.
var (
	// ErrNotSQLite: the database path holds something that is not an SQLite
	// file (a text file, another program's data, a directory).
	ErrNotSQLite error = domain.KindDBNotSQLite
	// ErrNotLedgerline: the path holds a valid SQLite database that has
	// tables of its own but no Ledgerline schema; it belongs to something else.
	ErrNotLedgerline error = domain.KindDBNotLedgerline
	// ErrCorrupt: SQLite's integrity check found damage in the database.
	ErrCorrupt error = domain.KindDBDamaged
	// ErrSchemaTooNew: the database was migrated by a newer Ledgerline than
	// this binary, which must not write to it.
	ErrSchemaTooNew error = domain.KindDBTooNew
	// ErrUnwritable: the data directory or the database file cannot be
	// created or written.
	ErrUnwritable error = domain.KindDBUnwritable
	// ErrNotCommitted: a beforeCommit hook succeeded but the transaction
	// around it then failed to commit, so the record was not saved. Whatever
	// the hook wrote elsewhere (a keychain item) must be undone by the caller.
	ErrNotCommitted = errors.New("record not saved after beforeCommit succeeded")
	// ErrInvalid: a record handed to the store breaks one of its rules (an
	// unknown status, provider or auth method, an empty id or account id).
	ErrInvalid = errors.New("invalid connection")
)

// sqliteCode returns SQLite's extended result code carried by err, or 0 when
// err did not come from SQLite.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// isCorruption reports whether err is SQLite saying the file is damaged or
// is not a database at all.
func isCorruption(err error) bool {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}

// unwritable is ErrUnwritable for path, with what the system said.
func unwritable(path string, detail any) error {
	return domain.E(domain.KindDBUnwritable, nil, domain.FactPath, path, domain.FactDetail, fmt.Sprint(detail))
}
