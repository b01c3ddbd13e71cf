package syncer

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Catching up: each ready type that has events remembers the newest event
// it is up to date with. The walk starts at the oldest of those and moves
// forward in time a page at a time (ending_before the newest event seen, so
// each page holds the events just after it), applying each event's
// data.object to its type in order, oldest first, with the event's time as
// the row's version: a state older than the stored one never overwrites it,
// and *.deleted events mark rows deleted. A type only takes events at or
// after its own last one (re-applying an event is harmless). Each page is
// written per type in one transaction with that type's new last event.

// event is what the walk needs of one event.
type event struct {
	id      string
	created int64
	typ     string
	raw     []byte // the whole event
	object  []byte // data.object
	objType string // data.object.object
}

// parseEvent reads the fields the walk needs; an event without them makes
// its page unreadable.
func parseEvent(raw []byte) (event, error) {
	var p fastjson.Parser
	v, err := p.ParseBytes(raw)
	if err != nil {
		return event{}, unreadable("an event is not valid JSON")
	}
	ev := event{id: string(v.GetStringBytes("id")), created: v.GetInt64("created"), typ: string(v.GetStringBytes("type")), raw: raw}
	if ev.id == "" || ev.created == 0 {
		return event{}, unreadable("an event has no id or created time")
	}
	if obj := v.Get("data", "object"); obj != nil {
		ev.object = obj.MarshalTo(nil)
		ev.objType = string(obj.GetStringBytes("object"))
	}
	return ev, nil
}

// catchUp applies the events since each ready type's last one. It returns
// the types whose last event Stripe no longer has (they need a re-scan).
func (r *run) catchUp(ctx context.Context) (gone []*typeRun, err error) {
	for {
		parts := r.participants()
		if len(parts) == 0 {
			return gone, nil
		}
		lost, err := r.walk(ctx, parts)
		if err != nil {
			return nil, err
		}
		if len(lost) == 0 {
			return gone, nil
		}
		gone = append(gone, lost...)
		for _, tr := range lost {
			tr.mu.Lock()
			tr.st.Phase = PhaseRescan // out of the walk until re-scanned (written by startRescans)
			tr.mu.Unlock()
		}
	}
}

// participants are the enabled, ready types that have events, oldest
// last event first.
func (r *run) participants() []*typeRun {
	var parts []*typeRun
	for _, tr := range r.order {
		tr.mu.Lock()
		ok := tr.parent == nil && tr.enabled && tr.failed == nil && tr.st != nil && tr.st.Phase == PhaseReady && hasEvents(tr.t)
		tr.mu.Unlock()
		if ok {
			parts = append(parts, tr)
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].cursor().created < parts[j].cursor().created })
	return parts
}

func (tr *typeRun) cursor() watermark {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return watermark{id: tr.st.LastEventID, created: tr.st.LastEventCreated}
}

// walk runs the events from the oldest participant's cursor to the newest
// event. When Stripe no longer has that cursor event, it returns the
// participants that start there.
func (r *run) walk(ctx context.Context, parts []*typeRun) (lost []*typeRun, err error) {
	start := parts[0].cursor()
	before := start.id
	if before == "" {
		// No event was seen yet: begin with the oldest page at or after
		// the start time.
		evs, more, err := r.oldestEventsSince(ctx, start.created)
		if err != nil {
			return nil, r.walkError(parts, err)
		}
		next, done, err := r.applyWalkPage(ctx, parts, evs, more)
		if done || err != nil {
			return nil, err
		}
		before = next
	}
	for {
		req := listRequest{endpoint: "GET /v1/events", path: "/v1/events", gone: true, priority: math.MaxInt64}
		req.add("ending_before", before)
		var evs []event
		var more bool
		err := r.call.fetch(ctx, eventsType, req, func(p *page) error {
			var err error
			evs, err = eventsOldestFirst(p.Data)
			more = p.HasMore
			return err
		})
		if errors.Is(err, errGone) {
			for _, tr := range parts {
				if tr.cursor().id == before {
					lost = append(lost, tr)
				}
			}
			if len(lost) == 0 {
				// A cursor of this walk's own making vanished: stop here;
				// the next round starts again from the types' own cursors.
				return nil, nil
			}
			return lost, nil
		}
		if err != nil {
			return nil, r.walkError(parts, err)
		}
		next, done, err := r.applyWalkPage(ctx, parts, evs, more)
		if done || err != nil {
			return nil, err
		}
		before = next
	}
}

// applyWalkPage applies one page of a walk's events (oldest first) and
// says where the walk goes on: after the page's newest event, or done
// when the page was empty (caught up) or the last one.
func (r *run) applyWalkPage(ctx context.Context, parts []*typeRun, evs []event, more bool) (next string, done bool, err error) {
	if len(evs) == 0 {
		return "", true, r.caughtUp(ctx, parts, nil, true)
	}
	if err := r.applyEvents(ctx, parts, evs, !more); err != nil {
		return "", true, err
	}
	if !more {
		return "", true, nil
	}
	return evs[len(evs)-1].id, false, nil
}

// oldestEventsSince returns the oldest page of events created at or after
// since, oldest first, and whether newer ones exist. Stripe lists newest
// first, so it pages to the end and keeps only the last page.
func (r *run) oldestEventsSince(ctx context.Context, since int64) ([]event, bool, error) {
	var last []event
	pages := 0
	after := ""
	for {
		req := listRequest{endpoint: "GET /v1/events", path: "/v1/events", priority: math.MaxInt64}
		req.addInt("created[gte]", since)
		if after != "" {
			req.add("starting_after", after)
		}
		var evs []event
		var more bool
		err := r.call.fetch(ctx, eventsType, req, func(p *page) error {
			var err error
			evs, err = eventsOldestFirst(p.Data)
			more = p.HasMore
			return err
		})
		if err != nil {
			return nil, false, err
		}
		pages++
		if len(evs) > 0 {
			last = evs
			after = evs[0].id // the oldest of this page
		}
		if !more || len(evs) == 0 {
			return last, pages > 1, nil
		}
	}
}

// eventsOldestFirst parses a page of events and reverses it.
func eventsOldestFirst(data [][]byte) ([]event, error) {
	evs := make([]event, len(data))
	for i, raw := range data {
		ev, err := parseEvent(raw)
		if err != nil {
			return nil, err
		}
		evs[len(data)-1-i] = ev
	}
	return evs, nil
}

// walkError turns a failure of the walk into failures of the types it was
// catching up when the failure is theirs (a page that can't be read);
// anything else is returned as fatal.
func (r *run) walkError(parts []*typeRun, err error) error {
	if !isTypeError(err) {
		return err
	}
	now := r.e.now()
	for _, tr := range parts {
		tr.fail(err, now)
	}
	r.e.log.Warn("sync: events failed", "conn", r.connID, "err", err)
	return nil
}

// applyEvents writes one page of events (oldest first) for every
// participant, each type in its own transaction with its new last event.
// last says the page is the newest: the types are then caught up.
func (r *run) applyEvents(ctx context.Context, parts []*typeRun, evs []event, last bool) error {
	rows := make(map[*typeRun][]warehouse.Row, len(parts))
	var live []*typeRun // the participants that have not failed
	for _, tr := range parts {
		if tr.hasFailed() {
			continue
		}
		live = append(live, tr)
	}
	parts = live
	for _, tr := range parts {
		from := tr.cursor().created
	events:
		for _, ev := range evs {
			if ev.created < from {
				continue
			}
			var raw []byte
			deleted := false
			switch {
			case tr.t.Name == eventsType:
				raw = ev.raw
			case ev.objType == tr.t.Object && ev.object != nil:
				raw, deleted = ev.object, strings.HasSuffix(ev.typ, ".deleted")
			default:
				continue
			}
			row, err := warehouse.Prepare(tr.t, raw, eventVersion(ev.created), deleted)
			if err != nil {
				// The page was read; one object in it can't be, and asking
				// again won't change an event. The type stops at its last
				// good event (and says why); the others go on.
				tr.fail(domain.E(domain.KindMalformedEvent, err, domain.FactEventID, ev.id,
					domain.FactWhat, tr.t.Name, domain.FactDetail, err.Error()), r.e.now())
				if err := r.saveStates(ctx, []*typeRun{tr}); err != nil {
					return err
				}
				delete(rows, tr)
				break events
			}
			rows[tr] = append(rows[tr], row)
		}
	}
	newest := evs[len(evs)-1]
	var quiet []*typeRun
	for _, tr := range parts {
		if tr.hasFailed() {
			continue
		}
		if len(rows[tr]) == 0 {
			quiet = append(quiet, tr)
			continue
		}
		children, err := r.completeChildren(ctx, tr, rows[tr])
		if err != nil {
			if isTypeError(err) {
				tr.fail(err, r.e.now())
				if err := r.saveStates(ctx, []*typeRun{tr}); err != nil {
					return err
				}
				continue
			}
			return err
		}
		n := int64(len(rows[tr]))
		r.applied += n
		err = r.e.p.Warehouse.Apply(ctx, r.connID, tr.t, rows[tr], func(tx *sql.Tx) error {
			tr.moveCursor(&newest, n, last, r.e.now())
			for _, s := range tr.snapshot(r.e.now(), children) {
				if err := saveState(ctx, tx, r.connID, s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := r.caughtUp(ctx, quiet, &newest, last); err != nil {
		return err
	}
	r.prog.changed()
	return nil
}

// moveCursor records that tr is up to date with ev, n more events
// applied; current says no newer event exists.
func (tr *typeRun) moveCursor(ev *event, n int64, current bool, now time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	st := tr.st
	if ev != nil && (ev.created > st.LastEventCreated || (ev.created == st.LastEventCreated && ev.id != st.LastEventID)) {
		st.LastEventID, st.LastEventCreated = ev.id, ev.created
	}
	st.EventsApplied += n
	st.LastError = ""
	if current {
		st.CaughtUpAt = now
	}
}

// caughtUpEvery is how often a type that had no new events has its
// caught-up time written (every poll would write once a second).
const caughtUpEvery = 10 * time.Second

// caughtUp moves the cursor of types that had no events in a page to that
// page's newest event ev (nil: there was no page), marks them current when
// current, and writes their state when their cursor moved or their
// caught-up time is older than caughtUpEvery.
func (r *run) caughtUp(ctx context.Context, trs []*typeRun, ev *event, current bool) error {
	now := r.e.now()
	var dirty []*typeRun
	for _, tr := range trs {
		tr.mu.Lock()
		stale := ev != nil || tr.st.LastError != "" || now.Sub(tr.st.CaughtUpAt) >= caughtUpEvery
		tr.mu.Unlock()
		if stale {
			tr.moveCursor(ev, 0, current, now)
			dirty = append(dirty, tr)
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	return r.saveStates(ctx, dirty)
}
