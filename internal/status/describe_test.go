package status

import (
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestDescribe(t *testing.T) {
	now := start
	conn := func(s domain.Status, checked time.Duration) domain.Connection {
		c := domain.Connection{Status: s}
		if checked != 0 {
			c.StatusCheckedAt = now.Add(-checked)
		}
		return c
	}
	cases := []struct {
		name    string
		c       domain.Connection
		offline bool
		want    string
	}{
		{"online, connected", conn(domain.StatusConnected, time.Hour), false, "Connected"},
		{"online, needs re-authentication", conn(domain.StatusNeedsReauth, time.Hour), false, "Needs re-authentication"},
		{"online, error", conn(domain.StatusError, time.Hour), false, "Error"},
		{"online, disconnected", conn(domain.StatusDisconnected, 0), false, "Disconnected"},
		{"offline, connected two hours ago", conn(domain.StatusConnected, 2*time.Hour), true, "Offline — last checked 2 hours ago"},
		{"offline, checked seconds ago", conn(domain.StatusConnected, 20*time.Second), true, "Offline — last checked just now"},
		{"offline, checked three days ago", conn(domain.StatusConnected, 72*time.Hour), true, "Offline — last checked 3 days ago"},
		{"offline, never checked", conn(domain.StatusConnected, 0), true, "Offline — never checked"},
		{"offline keeps the action a person must take", conn(domain.StatusNeedsReauth, 5*time.Minute), true,
			"Needs re-authentication — offline, last checked 5 minutes ago"},
		{"offline, last known error", conn(domain.StatusError, time.Hour), true, "Error — offline, last checked 1 hour ago"},
		{"offline changes nothing for a disconnected connection", conn(domain.StatusDisconnected, time.Hour), true, "Disconnected"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Describe(tc.c, tc.offline, now); got != tc.want {
				t.Errorf("Describe = %q, want %q", got, tc.want)
			}
		})
	}
}
