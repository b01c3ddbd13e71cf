package syncer

import (
	"context"
	"database/sql"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// The one writer: pages decoded by the backfill's workers are written here,
// each with the sync state that says how far its range got.

// writeQueue is how many decoded pages may wait for the writer.
const writeQueue = 4

// write is one page for the writer.
type write struct {
	t     warehouse.Type
	rows  []warehouse.Row
	extra func(*sql.Tx) error
	after func()
}

// writeLoop writes pages until the queue closes. Pages that wait in the
// queue together are written together: those of one type in one
// transaction (each page's rows with its own state step, in order), since
// a commit costs about as much as a page of rows. Either all pages of such
// a batch are written or none, so a page is never split, and a range's
// pages stay in order. When the backfill stops for a reason of its own (a
// refused key, say), the pages already fetched are still written: they are
// good data, and the state written with them keeps the cursor honest. It
// stops writing when the caller's ctx ends or a write fails.
func (b *backfill) writeLoop(ctx context.Context) {
	failed := false
	for w := range b.writes {
		batch := append(make([]write, 0, writeQueue+1), w)
	more:
		for len(batch) <= writeQueue {
			select {
			case next, ok := <-b.writes:
				if !ok {
					break more
				}
				batch = append(batch, next)
			default:
				break more
			}
		}
		if failed || ctx.Err() != nil {
			continue
		}
		for _, group := range byType(batch) {
			if err := b.r.e.p.Warehouse.Apply(ctx, b.r.connID, group[0].t, joinRows(group), joinExtras(group)); err != nil {
				if ctx.Err() != nil {
					err = canceled(ctx)
				}
				failed = true
				b.fatal(err)
				break
			}
			for _, w := range group {
				if w.after != nil {
					w.after()
				}
			}
		}
	}
}

// byType groups writes by type, keeping their order within each type.
func byType(batch []write) [][]write {
	var groups [][]write
	index := map[string]int{}
	for _, w := range batch {
		i, ok := index[w.t.Name]
		if !ok {
			i = len(groups)
			index[w.t.Name] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], w)
	}
	return groups
}

func joinRows(group []write) []warehouse.Row {
	if len(group) == 1 {
		return group[0].rows
	}
	var rows []warehouse.Row
	for _, w := range group {
		rows = append(rows, w.rows...)
	}
	return rows
}

func joinExtras(group []write) func(*sql.Tx) error {
	if len(group) == 1 {
		return group[0].extra
	}
	return func(tx *sql.Tx) error {
		for _, w := range group {
			if w.extra != nil {
				if err := w.extra(tx); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// commit returns the extra step written with one page of seg (nil seg: a
// type with nothing left to list): the range's cursor and counts move on,
// a finished range leaves the state, and when none is left the type is
// complete (a re-scan then marks deleted what it didn't find again). When
// the page brought objects of another type expanded (expanded of them),
// that type's state moves on in the same step: its Via range for tr counts
// them, and is done when tr's listing completes.
func (b *backfill) commit(tr *typeRun, seg *segment, n, children, expanded int64, done bool) func(*sql.Tx) error {
	var after string
	var afterCreated int64
	if seg != nil && n > 0 {
		after, afterCreated = seg.cur, seg.curCreated
	}
	return func(tx *sql.Tx) error {
		ctx, now := b.parent, b.r.e.now()
		tr.mu.Lock()
		st := tr.st
		if seg != nil {
			if n > 0 {
				seg.After, seg.AfterCreated = after, afterCreated
			}
			seg.N += n
			st.Synced += n
			if done {
				st.Ranges = without(st.Ranges, seg)
			}
		}
		complete, expand := len(st.Ranges) == 0, tr.expand
		tr.mu.Unlock()
		if err := b.settle(ctx, tx, tr, children, now); err != nil {
			return err
		}
		if x := tr.into; x != nil && expand && (expanded > 0 || complete) && x.brought(tr, expanded, complete) {
			return b.settle(ctx, tx, x, 0, now)
		}
		return nil
	}
}

// brought moves x's Via range for src on by n objects, and ends it when
// src's listing is complete. It reports whether x has such a range.
func (x *typeRun) brought(src *typeRun, n int64, complete bool) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.st == nil {
		return false
	}
	for _, seg := range x.st.Ranges {
		if seg.Via == src.t.Name {
			seg.N += n
			x.st.Synced += n
			if complete {
				x.st.Ranges = without(x.st.Ranges, seg)
			}
			return true
		}
	}
	return false
}

// without returns ranges without seg.
func without(ranges []*segment, seg *segment) []*segment {
	for i, s := range ranges {
		if s == seg {
			return append(ranges[:i:i], ranges[i+1:]...)
		}
	}
	return ranges
}

// settle writes tr's state after a step of its listing, inside tx: when no
// range is left the type is complete (and a re-scan marks deleted what it
// didn't find again), else its estimate moves; childRows more child rows
// count for its child type.
func (b *backfill) settle(ctx context.Context, tx *sql.Tx, tr *typeRun, childRows int64, now time.Time) error {
	tr.mu.Lock()
	st := tr.st
	complete := len(st.Ranges) == 0
	sweep := complete && st.Phase == PhaseRescan && tr.t.Name != eventsType
	floor := st.RescanFloor
	if complete {
		st.Phase, st.CompletedAt = PhaseReady, now
		st.LastError, st.LastErrorAt = "", now
		st.Estimated = st.Synced
	} else {
		st.Estimated = tr.estimateLocked(now)
	}
	tr.mu.Unlock()
	if sweep {
		if err := b.r.sweep(ctx, tx, tr, floor); err != nil {
			return err
		}
	}
	for _, s := range tr.snapshot(now, childRows) {
		if err := saveState(ctx, tx, b.r.connID, s); err != nil {
			return err
		}
	}
	return nil
}
