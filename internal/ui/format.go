package ui

import (
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// relative words a past time against now: "just now", "3 minutes ago",
// or never when t is zero.
func relative(t, now time.Time, never string) string {
	if t.IsZero() {
		return never
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var key string
	var n int
	switch {
	case d < time.Minute:
		return i18n.T("time.just_now")
	case d < time.Hour:
		key, n = "minutes", int(d/time.Minute)
	case d < 24*time.Hour:
		key, n = "hours", int(d/time.Hour)
	case d < 30*24*time.Hour:
		key, n = "days", int(d/(24*time.Hour))
	case d < 365*24*time.Hour:
		key, n = "months", int(d/(30*24*time.Hour))
	default:
		key, n = "years", int(d/(365*24*time.Hour))
	}
	if future {
		return i18n.N("time.in_"+key, n)
	}
	return i18n.N("time."+key+"_ago", n)
}

// dateTime is an absolute local time with its relative form:
// "26 Nov 2026 14:02 (3 minutes ago)".
func dateTime(t, now time.Time, never string) string {
	if t.IsZero() {
		return never
	}
	return i18n.T("time.with_relative", i18n.Args{"Time": formatter().DateTime(t), "Relative": relative(t, now, never)})
}

// statusLabel is a status as a person reads it in the Data Sources table.
func statusLabel(s domain.Status) string {
	switch s {
	case domain.StatusConnected, domain.StatusNeedsReauth, domain.StatusError, domain.StatusDisconnected:
		return i18n.T("status." + string(s))
	}
	return string(s)
}

// modeLabel is "Live" or "Test".
func modeLabel(c domain.Connection) string {
	if c.Livemode {
		return i18n.T("mode.live")
	}
	return i18n.T("mode.test")
}

// typeLabel is the Type column: "Stripe", or "Stripe · key" for a
// connection that uses an API key instead of OAuth.
func typeLabel(c domain.Connection) string {
	if c.AuthMethod == domain.AuthAPIKey {
		return i18n.T("connections.type_key", i18n.Args{"Provider": c.Provider.Label()})
	}
	return c.Provider.Label()
}

// authLabel is the auth method as the details page words it.
func authLabel(m domain.AuthMethod) string {
	switch m {
	case domain.AuthOAuth, domain.AuthAPIKey:
		return i18n.T("auth." + string(m))
	default:
		return string(m)
	}
}

// scopeLabel words the access Stripe granted.
func scopeLabel(scope string) string {
	switch scope {
	case "":
		return "—"
	case "read_only", "read_write", "stripe_apps", "restricted_key", "secret_key":
		return i18n.T("scope." + scope)
	default:
		return scope
	}
}
