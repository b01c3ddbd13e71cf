package cli

import (
	"errors"
	"time"

	"github.com/ledgerline/ledgerline/internal/credentials"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// progressJSON is one line of `sync --json`: one step of one connection's
// sync (README, "The command line", lists the fields). connection, stage,
// fraction, synced, estimated, error and the last line's types are those
// of the earlier, snapshot-a-half-second format, with the same meaning.
type progressJSON struct {
	Time       string  `json:"time"` // RFC 3339, UTC
	Connection string  `json:"connection"`
	Name       string  `json:"name"`
	Event      string  `json:"event"`
	Stage      string  `json:"stage"`
	Fraction   float64 `json:"fraction"`
	// The connection's objects stored and estimated, all enabled types.
	Synced    int64 `json:"synced"`
	Estimated int64 `json:"estimated"`
	// type_started, type_done, type_failed: the type and its own counts.
	Type          string `json:"type,omitempty"`
	Phase         string `json:"phase,omitempty"`
	Resumed       bool   `json:"resumed,omitempty"`
	TypeSynced    *int64 `json:"type_synced,omitempty"`
	TypeEstimated *int64 `json:"type_estimated,omitempty"`
	// caught_up, changes, done: events applied since the last of these.
	Events       *int64           `json:"events,omitempty"`
	EventsByType map[string]int64 `json:"events_by_type,omitempty"`
	// Done marks a connection's last line (event done or failed).
	Done      bool           `json:"done"`
	Error     string         `json:"error,omitempty"`
	ErrorKind string         `json:"error_kind,omitempty"`
	Types     map[string]any `json:"types,omitempty"`
}

func stepJSON(connID, name string, now time.Time, st step) progressJSON {
	j := progressJSON{Time: now.Format(jsonTime), Connection: connID, Name: name, Event: st.Event, Stage: string(st.Stage),
		Fraction: st.Fraction, Synced: st.Synced, Estimated: st.Estimated, Error: st.Err, ErrorKind: st.ErrKind}
	switch st.Event {
	case eventTypeStarted, eventTypeDone, eventTypeFailed:
		j.Type, j.Phase, j.Resumed = st.Type, string(st.Phase), st.Resumed
		j.TypeSynced, j.TypeEstimated = &st.TypeSynced, &st.TypeEstimated
	case eventCaughtUp, eventChanges, eventDone:
		j.Events = &st.Events
		if len(st.EventsByType) > 0 {
			j.EventsByType = st.EventsByType
		}
	}
	return j
}

// jsonTime is RFC 3339 with milliseconds, enough to time a step.
const jsonTime = "2006-01-02T15:04:05.000Z07:00"

// typesJSON is every enabled type's state, for a connection's last line.
func typesJSON(p syncer.Progress) map[string]any {
	m := map[string]any{}
	for _, t := range p.Types {
		if t.Enabled {
			m[t.Type] = map[string]any{"phase": t.Phase, "synced": t.Synced, "estimated": t.Estimated, "last_error": t.LastError}
		}
	}
	return m
}

// errorKind is a stable code for scripts naming why a sync stopped (the
// sentence in "error" is for people and may change). The codes are those of
// the domain's error kinds being introduced (issue 10, part 1: dotted, a
// variant after its parent's code); once they land this table becomes
// domain.KindOf.
func errorKind(err error) string {
	kinds := []struct {
		target error
		kind   string
	}{
		{domain.ErrCanceled, "canceled"},
		{syncer.ErrAlreadyRunning, "sync.already_running"},
		{syncer.ErrNotSyncable, "sync.disconnected"},
		{domain.ErrNotFound, "not_found"},
		{stripeapi.ErrNeedsReauth, "needs_reauth"},
		{credentials.ErrRenewRefused, "signin.refused"},
		{stripeapi.ErrPermission, "permission"},
		{stripeapi.ErrRateLimited, "rate_limited"},
		{stripeapi.ErrStripeDown, "stripe_unavailable"},
		{stripeapi.ErrNetwork, "offline"},
		{credentials.ErrNoBroker, "signin.none.renew"},
		{stripeapi.ErrRequest, "request_refused"},
		{syncer.ErrMalformedPage, "sync.malformed_page"},
		{secrets.ErrLocked, "keychain.locked"},
		{secrets.ErrUnavailable, "keychain.unavailable"},
		{secrets.ErrTimeout, "keychain.timed_out"},
		{credentials.ErrKeychainRefused, "keychain.refused_store"},
		{secrets.ErrCorrupt, "keychain.corrupt"},
		{store.ErrCorrupt, "database.damaged"},
		{store.ErrUnwritable, "database.unwritable"},
	}
	for _, k := range kinds {
		if errors.Is(err, k.target) {
			return k.kind
		}
	}
	return "unknown"
}
