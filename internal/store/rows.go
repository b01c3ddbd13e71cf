package store

import (
	"database/sql"
	"encoding/json"
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
	status, status_reason, status_facts, connected_at, status_checked_at, last_sync_at`

type scanner interface{ Scan(dest ...any) error }

// scanConnection reads one row selected with connectionColumns.
func scanConnection(row scanner) (domain.Connection, error) {
	var c domain.Connection
	var connectedAt, checkedAt, syncAt sql.NullString
	var facts string
	err := row.Scan(&c.ID, &c.Provider, &c.Name, &c.AccountID, &c.Livemode, &c.Scope, &c.AuthMethod,
		&c.Status, &c.StatusReason, &facts, &connectedAt, &checkedAt, &syncAt)
	if err != nil {
		return domain.Connection{}, err
	}
	if c.StatusFacts, err = parseFacts(facts); err != nil {
		return domain.Connection{}, fmt.Errorf("connection %s, column status_facts: %w", c.ID, err)
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

// formatFacts is facts as the JSON object status_facts holds; json sorts
// the names, so the same facts are always the same text (SetStatusIf
// compares it).
func formatFacts(f domain.Facts) string {
	if len(f) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(f) // a map of strings always encodes
	return string(b)
}

// parseFacts reads status_facts; an empty object is nil facts.
func parseFacts(s string) (domain.Facts, error) {
	var f domain.Facts
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return nil, fmt.Errorf("not a JSON object of strings: %w", err)
	}
	if len(f) == 0 {
		return nil, nil
	}
	return f, nil
}
