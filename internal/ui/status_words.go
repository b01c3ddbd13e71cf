package ui

import (
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// offlineText is the status of a connection whose last check could not
// reach Stripe: "Offline — last checked 2 hours ago", or its own status
// with the same note when that was not Connected.
func offlineText(c domain.Connection, now time.Time) string {
	if c.Status == domain.StatusDisconnected {
		return statusLabel(c.Status)
	}
	when := i18n.T("status.offline.never_checked")
	if !c.StatusCheckedAt.IsZero() {
		when = i18n.T("status.offline.last_checked", i18n.Args{"When": relative(c.StatusCheckedAt, now, "")})
	}
	if c.Status == domain.StatusConnected || c.Status == "" {
		return i18n.T("status.offline", i18n.Args{"When": when})
	}
	return i18n.T("status.offline.with_status", i18n.Args{"Status": statusLabel(c.Status), "When": when})
}
