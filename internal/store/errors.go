package store

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors Open and the write methods return, wrapped in a message that names
// the file or directory involved; callers test them with errors.Is. In every
// Open case below the database file is left exactly as it was.
var (
	// ErrNotSQLite: the database path holds something that is not an SQLite
	// file (a text file, another program's data, a directory).
	ErrNotSQLite = errors.New("it is not an SQLite file")
	// ErrNotLedgerline: the path holds a valid SQLite database that has
	// tables of its own but no Ledgerline schema; it belongs to something else.
	ErrNotLedgerline = errors.New("it is an SQLite database of another program")
	// ErrCorrupt: SQLite's integrity check found damage in the database.
	ErrCorrupt = errors.New("the database is damaged")
	// ErrSchemaTooNew: the database was migrated by a newer Ledgerline than
	// this binary, which must not write to it.
	ErrSchemaTooNew = errors.New("it was written by a newer Ledgerline")
	// ErrUnwritable: the data directory or the database file cannot be
	// created or written.
	ErrUnwritable = errors.New("cannot write to the data directory")
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
