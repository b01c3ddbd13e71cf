package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// plan reads the selection and the sync state, and returns the types to
// list: those never synced (they get a fresh state whose last event is the
// account's newest, taken before anything is listed), those whose listing
// was interrupted, and those whose events fell out of Stripe's window (a
// re-scan, recorded in their state).
func (r *run) plan(ctx context.Context) ([]*typeRun, error) {
	reader := r.e.p.Store.Reader()
	sel, err := loadSelection(ctx, reader, r.connID)
	if err != nil {
		return nil, err
	}
	states, err := loadStates(ctx, reader, r.connID)
	if err != nil {
		return nil, err
	}
	now := r.e.now()
	var fresh, resume, stale []*typeRun
	for _, tr := range r.order {
		tr.mu.Lock()
		tr.enabled = sel[tr.t.Name] && (tr.parent == nil || sel[tr.parent.t.Name])
		tr.st = states[tr.t.Name]
		cooling := tr.failed != nil && now.Before(tr.retryAt)
		if !cooling {
			tr.failed = nil
		}
		st, enabled := tr.st, tr.enabled && !cooling
		tr.mu.Unlock()
		if tr.parent != nil {
			continue // listed with its parent
		}
		tr.child = nil
		if c := r.byName[tr.t.Child]; c != nil && sel[c.t.Name] {
			tr.child = c
		}
		switch {
		case !enabled:
		case st == nil:
			fresh = append(fresh, tr)
		case st.Phase == PhaseBackfill || st.Phase == PhaseRescan:
			resume = append(resume, tr)
		case hasEvents(tr.t) && now.Sub(time.Unix(st.LastEventCreated, 0)) > eventWindow-eventWindowSlack:
			stale = append(stale, tr)
		}
	}
	// The types that start a complete listing now: a type whose objects
	// come expanded in one of their listings waits for it (fullRanges).
	starting := map[*typeRun]bool{}
	for _, tr := range append(append([]*typeRun(nil), fresh...), stale...) {
		starting[tr] = true
	}
	if len(fresh) > 0 {
		wm, err := r.watermark(ctx)
		if err != nil {
			return nil, err
		}
		// Before the states exist: a run killed meanwhile starts over.
		if err := r.tombstones(ctx, fresh, wm); err != nil {
			return nil, err
		}
		for _, tr := range fresh {
			st := &typeState{Type: tr.t.Name, Phase: PhaseBackfill, Ranges: fullRanges(tr, starting),
				LastEventID: wm.id, LastEventCreated: wm.created, StartedAt: now, UpdatedAt: now}
			tr.mu.Lock()
			tr.st = st
			tr.forget()
			tr.mu.Unlock()
		}
		if err := r.saveStates(ctx, fresh); err != nil {
			return nil, err
		}
		r.e.log.Info("sync: new types", "conn", r.connID, "count", len(fresh))
	}
	if len(stale) > 0 {
		started, err := r.startRescans(ctx, stale, starting, "its last event is older than the 30 days Stripe keeps events")
		if err != nil {
			return nil, err
		}
		stale = started
	}
	listing := append(append(fresh, resume...), stale...)
	if err := r.settleVia(ctx, listing); err != nil {
		return nil, err
	}
	return listing, nil
}

// startRescans puts types into the re-scan phase and records why: their
// last event moves to the account's newest (taken before listing starts),
// and objects the re-scan doesn't find again are marked deleted when it
// completes. starting are the types that start a complete listing with
// them (see fullRanges).
func (r *run) startRescans(ctx context.Context, trs []*typeRun, starting map[*typeRun]bool, why string) ([]*typeRun, error) {
	wm, err := r.watermark(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.tombstones(ctx, trs, wm); err != nil {
		return nil, err
	}
	now := r.e.now()
	for _, tr := range trs {
		tr.mu.Lock()
		st := tr.st
		reason := fmt.Sprintf("Re-scanned %s on %s: %s.", tr.t.Name, now.UTC().Format("2006-01-02 15:04 UTC"), why)
		st.Phase, st.Ranges = PhaseRescan, fullRanges(tr, starting)
		st.Synced, st.Estimated = 0, 0
		st.LastEventID, st.LastEventCreated = wm.id, wm.created
		st.RescanReason, st.RescanAt, st.Rescans = reason, now, st.Rescans+1
		st.RescanFloor = fetchVersion(now)
		st.StartedAt, st.UpdatedAt = now, now
		tr.forget()
		tr.mu.Unlock()
		r.e.log.Info("sync: re-scan", "conn", r.connID, "type", tr.t.Name, "why", why)
	}
	if err := r.saveStates(ctx, trs); err != nil {
		return nil, err
	}
	return trs, nil
}

// saveStates writes the states of trs (and of their synced children) in
// one transaction.
func (r *run) saveStates(ctx context.Context, trs []*typeRun) error {
	return r.e.p.Store.WriteTx(ctx, func(tx *sql.Tx) error {
		for _, tr := range trs {
			for _, s := range tr.snapshot(r.e.now(), 0) {
				if err := saveState(ctx, tx, r.connID, s); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// snapshot copies tr's state for writing, with its child's state derived
// from it: a child type's rows come with its parent's pages, so it shares
// the parent's phase, times and last event, and counts its own rows
// (childRows more are added first).
func (tr *typeRun) snapshot(now time.Time, childRows int64) []*typeState {
	tr.mu.Lock()
	if tr.st == nil {
		tr.mu.Unlock()
		return nil
	}
	tr.st.UpdatedAt = now
	s := tr.st.clone()
	tr.mu.Unlock()
	out := []*typeState{s}
	if c := tr.child; c != nil {
		c.mu.Lock()
		if c.st == nil || !c.st.StartedAt.Equal(s.StartedAt) {
			prev := c.st
			c.st = &typeState{Type: c.t.Name}
			if prev != nil {
				c.st.EventsApplied = prev.EventsApplied
			}
		}
		cs := c.st
		cs.Synced += childRows
		cs.Phase, cs.LastEventID, cs.LastEventCreated = s.Phase, s.LastEventID, s.LastEventCreated
		cs.StartedAt, cs.CompletedAt, cs.CaughtUpAt, cs.UpdatedAt = s.StartedAt, s.CompletedAt, s.CaughtUpAt, s.UpdatedAt
		cs.LastError, cs.LastErrorAt = s.LastError, s.LastErrorAt
		cs.RescanReason, cs.RescanAt, cs.Rescans, cs.RescanFloor = s.RescanReason, s.RescanAt, s.Rescans, s.RescanFloor
		if s.Estimated > 0 && s.Synced > 0 {
			cs.Estimated = cs.Synced * s.Estimated / s.Synced
		}
		out = append(out, cs.clone())
		c.mu.Unlock()
	}
	return out
}

// watermark is the account's newest event: what a type about to be listed
// is up to date with once the listing is done, since anything that changes
// meanwhile has a newer event. With no events at all it is "now".
type watermark struct {
	id      string
	created int64
}

func (r *run) watermark(ctx context.Context) (watermark, error) {
	req := listRequest{endpoint: "GET /v1/events", path: "/v1/events", limit: 1, priority: math.MaxInt64}
	var wm watermark
	err := r.call.fetch(ctx, eventsType, req, func(p *page) error {
		wm = watermark{created: r.e.now().Unix() - 1}
		if len(p.Data) == 0 {
			return nil
		}
		ev, err := parseEvent(p.Data[0])
		if err != nil {
			return err
		}
		wm = watermark{id: ev.id, created: ev.created}
		return nil
	})
	if errors.Is(err, stripeapi.ErrPermission) {
		// A key that may not read events: the listing still works; the
		// catch-up afterwards reports the missing permission.
		r.e.log.Warn("sync: events can't be read", "conn", r.connID, "err", err)
		return watermark{created: r.e.now().Unix() - 1}, nil
	}
	if err != nil {
		return watermark{}, fmt.Errorf("reading the account's newest event: %w", err)
	}
	return wm, nil
}
