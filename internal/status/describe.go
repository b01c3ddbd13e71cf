package status

import (
	"time"

	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Deprecated: the words belong to whoever shows them: the window's
// statusDetailText (internal/ui, in the owner's language) and the command
// line's statusText (internal/cli). Describe stays, in English, only until
// the window's pages call statusDetailText; remove it then.
//
// Describe is a connection's status in the words a person reads in the Data
// Sources table and in `ledgerline connections`: "Connected", "Needs
// re-authentication", "Error" or "Disconnected".
//
// offline says the last check could not reach Stripe. Then a connected
// connection reads "Offline — last checked 2 hours ago" ("Offline — never
// checked" when it never was), and one whose last status asks for action
// keeps that word first, since the action is still needed:
// "Needs re-authentication — offline, last checked 2 hours ago". A
// disconnected connection is never checked, so offline changes nothing.
func Describe(c domain.Connection, offline bool, now time.Time) string {
	if !offline || c.Status == domain.StatusDisconnected {
		return c.Status.Label()
	}
	when := "never checked"
	if !c.StatusCheckedAt.IsZero() {
		when = "last checked " + ago(c.StatusCheckedAt, now)
	}
	if c.Status == domain.StatusConnected || c.Status == "" {
		return "Offline — " + when
	}
	return c.Status.Label() + " — offline, " + when
}

// ago words a past time: "just now" under a minute, else "3 minutes ago",
// "2 hours ago", "3 days ago".
func ago(t, now time.Time) string {
	if d := now.Sub(t); d < time.Minute && d > -time.Minute {
		return "just now"
	}
	return humanize.RelTime(t, now, "ago", "from now")
}
