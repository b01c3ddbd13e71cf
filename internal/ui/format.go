package ui

import (
	"time"

	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// relative words a past time against now: "just now", "3 minutes ago",
// or never when t is zero.
func relative(t, now time.Time, never string) string {
	if t.IsZero() {
		return never
	}
	if d := now.Sub(t); d < time.Minute && d > -time.Minute {
		return "just now"
	}
	return humanize.RelTime(t, now, "ago", "from now")
}

// dateTime is an absolute local time with its relative form:
// "26 Nov 2026 14:02 (3 minutes ago)".
func dateTime(t, now time.Time, never string) string {
	if t.IsZero() {
		return never
	}
	return t.Local().Format("2 Jan 2006 15:04") + " (" + relative(t, now, never) + ")"
}

// typeLabel is the Type column: "Stripe", or "Stripe · key" for a
// connection that uses an API key instead of OAuth.
func typeLabel(c domain.Connection) string {
	if c.AuthMethod == domain.AuthAPIKey {
		return c.Provider.Label() + " · key"
	}
	return c.Provider.Label()
}

// authLabel is the auth method as the details page words it.
func authLabel(m domain.AuthMethod) string {
	switch m {
	case domain.AuthOAuth:
		return "Connect with Stripe (OAuth)"
	case domain.AuthAPIKey:
		return "API key"
	default:
		return string(m)
	}
}

// scopeLabel words the access Stripe granted.
func scopeLabel(scope string) string {
	switch scope {
	case "":
		return "—"
	case "read_only":
		return "Read-only"
	case "read_write":
		return "Read and write"
	case "stripe_apps":
		return "Ledgerline's Stripe App permissions (read-only)"
	case "restricted_key":
		return "Restricted key (the permissions chosen in Stripe)"
	case "secret_key":
		return "Secret key (full access; a restricted key is safer)"
	default:
		return scope
	}
}
