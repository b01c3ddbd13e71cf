package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Phase is where one object type's sync stands.
type Phase string

const (
	// PhaseNone: the type was never synced for this connection.
	PhaseNone Phase = ""
	// PhaseBackfill: listing every object for the first time.
	PhaseBackfill Phase = "backfill"
	// PhaseRescan: listing every object again, because the events that
	// would have kept it current are gone (older than Stripe's 30 days).
	PhaseRescan Phase = "rescan"
	// PhaseReady: complete; kept current by events.
	PhaseReady Phase = "ready"
)

// segment is one created range still to list: objects with
// lo <= created < hi (hi 0: no upper bound), newest first. Its cursor is the
// last object stored from it: everything of the range listed before that
// object is in the warehouse. The JSON form is what sync_state.ranges holds.
//
// For a type with a filter (warehouse.Type.FilterParam), a range lists the
// objects of one filter value (Filter), or stands for those that come
// expanded inside the listing of another type (Via, that type's name): such
// a range is not listed; it is done when that listing completes, and N
// counts the objects it brought.
type segment struct {
	Lo           int64  `json:"lo"`
	Hi           int64  `json:"hi,omitempty"`
	After        string `json:"after,omitempty"`
	AfterCreated int64  `json:"after_created,omitempty"`
	N            int64  `json:"n,omitempty"`
	Filter       string `json:"filter,omitempty"`
	Via          string `json:"via,omitempty"`

	// Fetch side, owned by the segment's runner: the last object fetched
	// (which may not be committed yet) and the newest created time seen.
	cur        string
	curCreated int64
	top        int64
	fallback   bool // the cursor object vanished: list from curCreated down
}

// typeState is one sync_state row.
type typeState struct {
	Type             string
	Phase            Phase
	Ranges           []*segment
	Synced           int64
	Estimated        int64
	EventsApplied    int64
	LastEventID      string
	LastEventCreated int64
	LastError        string
	LastErrorAt      time.Time
	StartedAt        time.Time
	CompletedAt      time.Time
	CaughtUpAt       time.Time
	UpdatedAt        time.Time
	RescanReason     string
	RescanAt         time.Time
	Rescans          int64
	RescanFloor      int64
}

const stateColumns = `object_type, phase, ranges, objects_synced, objects_estimated, events_applied,
	last_event_id, last_event_created, last_error, last_error_at, started_at, completed_at, caught_up_at,
	updated_at, rescan_reason, rescan_at, rescans, rescan_floor`

// loadStates reads every sync_state row of connection connID, by type.
func loadStates(ctx context.Context, q querier, connID string) (map[string]*typeState, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+stateColumns+` FROM sync_state WHERE connection_id = ?`, connID)
	if err != nil {
		return nil, fmt.Errorf("reading the sync state of connection %s: %w", connID, err)
	}
	defer rows.Close()
	out := map[string]*typeState{}
	for rows.Next() {
		var s typeState
		var ranges string
		var lastCreated, floor sql.NullInt64
		var errAt, started, completed, caught, updated, rescanAt sql.NullString
		if err := rows.Scan(&s.Type, &s.Phase, &ranges, &s.Synced, &s.Estimated, &s.EventsApplied,
			&s.LastEventID, &lastCreated, &s.LastError, &errAt, &started, &completed, &caught,
			&updated, &s.RescanReason, &rescanAt, &s.Rescans, &floor); err != nil {
			return nil, fmt.Errorf("reading the sync state of connection %s: %w", connID, err)
		}
		if err := json.Unmarshal([]byte(ranges), &s.Ranges); err != nil {
			return nil, fmt.Errorf("the sync state of %s for connection %s is damaged (ranges): %w", s.Type, connID, err)
		}
		for _, seg := range s.Ranges {
			seg.cur, seg.curCreated = seg.After, seg.AfterCreated
		}
		s.LastEventCreated, s.RescanFloor = lastCreated.Int64, floor.Int64
		s.LastErrorAt, s.StartedAt, s.CompletedAt = parseTime(errAt), parseTime(started), parseTime(completed)
		s.CaughtUpAt, s.UpdatedAt, s.RescanAt = parseTime(caught), parseTime(updated), parseTime(rescanAt)
		out[s.Type] = &s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the sync state of connection %s: %w", connID, err)
	}
	return out, nil
}

// saveState writes s as connection connID's row for s.Type, inside tx.
func saveState(ctx context.Context, tx *sql.Tx, connID string, s *typeState) error {
	ranges, err := json.Marshal(s.Ranges)
	if err != nil {
		return err
	}
	if s.Ranges == nil {
		ranges = []byte("[]")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sync_state (connection_id, `+stateColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, object_type) DO UPDATE SET
			phase = excluded.phase, ranges = excluded.ranges, objects_synced = excluded.objects_synced,
			objects_estimated = excluded.objects_estimated, events_applied = excluded.events_applied,
			last_event_id = excluded.last_event_id, last_event_created = excluded.last_event_created,
			last_error = excluded.last_error, last_error_at = excluded.last_error_at,
			started_at = excluded.started_at, completed_at = excluded.completed_at,
			caught_up_at = excluded.caught_up_at, updated_at = excluded.updated_at,
			rescan_reason = excluded.rescan_reason, rescan_at = excluded.rescan_at,
			rescans = excluded.rescans, rescan_floor = excluded.rescan_floor`,
		connID, s.Type, s.Phase, string(ranges), s.Synced, s.Estimated, s.EventsApplied,
		s.LastEventID, nullInt(s.LastEventCreated), s.LastError, nullTime(s.LastErrorAt),
		nullTime(s.StartedAt), nullTime(s.CompletedAt), nullTime(s.CaughtUpAt), formatTime(s.UpdatedAt),
		s.RescanReason, nullTime(s.RescanAt), s.Rescans, nullInt(s.RescanFloor))
	if err != nil {
		return fmt.Errorf("saving the sync state of %s: %w", s.Type, err)
	}
	return nil
}

// clone copies s and its ranges (committed fields only), for writing
// outside the lock that guards s.
func (s *typeState) clone() *typeState {
	c := *s
	c.Ranges = make([]*segment, len(s.Ranges))
	for i, seg := range s.Ranges {
		c.Ranges[i] = &segment{Lo: seg.Lo, Hi: seg.Hi, After: seg.After, AfterCreated: seg.AfterCreated, N: seg.N,
			Filter: seg.Filter, Via: seg.Via}
	}
	return &c
}

// querier is what reads need: the store's reader pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Times are stored as the store stores them: RFC 3339 UTC with
// milliseconds; the zero time is NULL.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
