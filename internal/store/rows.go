package store

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// timeLayout stores times as RFC 3339 UTC with exactly three fractional
// digits, so that the text reads well and sorts in time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

// formatTime renders t in UTC, truncated to the millisecond.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime maps the zero time ("never") to NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

// parseTime reads a stored time; NULL becomes the zero time. It accepts any
// RFC 3339 text, so a value an analyst edited by hand still reads.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q is not RFC 3339", s.String)
	}
	return t.UTC(), nil
}

// connectionColumns lists the connections table's columns in the order
// scanConnection reads them.
const connectionColumns = `id, provider, name, account_id, livemode, scope, auth_method,
	status, status_detail, connected_at, status_checked_at, last_sync_at`

type scanner interface{ Scan(dest ...any) error }

// scanConnection reads one row selected with connectionColumns.
func scanConnection(row scanner) (domain.Connection, error) {
	var c domain.Connection
	var connectedAt, checkedAt, syncAt sql.NullString
	err := row.Scan(&c.ID, &c.Provider, &c.Name, &c.AccountID, &c.Livemode, &c.Scope, &c.AuthMethod,
		&c.Status, &c.StatusDetail, &connectedAt, &checkedAt, &syncAt)
	if err != nil {
		return domain.Connection{}, err
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
		col string
	}{{&c.ConnectedAt, connectedAt, "connected_at"}, {&c.StatusCheckedAt, checkedAt, "status_checked_at"}, {&c.LastSyncAt, syncAt, "last_sync_at"}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return domain.Connection{}, fmt.Errorf("connection %s, column %s: %w", c.ID, f.col, err)
		}
	}
	return c, nil
}

// validateChange checks the fields every write sets.
func validateChange(c domain.Connection) error {
	switch {
	case c.ID == "":
		return fmt.Errorf("%w: the id is empty", ErrInvalid)
	case !c.Status.Valid():
		return fmt.Errorf("%w %s: unknown status %q", ErrInvalid, c.ID, c.Status)
	case c.AuthMethod != domain.AuthOAuth && c.AuthMethod != domain.AuthAPIKey:
		return fmt.Errorf("%w %s: unknown auth method %q", ErrInvalid, c.ID, c.AuthMethod)
	}
	return nil
}

// validateNew checks a connection about to be created.
func validateNew(c domain.Connection) error {
	if err := validateChange(c); err != nil {
		return err
	}
	switch {
	case c.Provider != domain.ProviderStripe:
		return fmt.Errorf("%w %s: unknown provider %q", ErrInvalid, c.ID, c.Provider)
	case c.AccountID == "":
		return fmt.Errorf("%w %s: the account id is empty", ErrInvalid, c.ID)
	case c.ConnectedAt.IsZero():
		return fmt.Errorf("%w %s: connected_at is not set", ErrInvalid, c.ID)
	}
	return nil
}
