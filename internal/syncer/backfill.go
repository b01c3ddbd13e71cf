package syncer

import (
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// The backfill lists every object of the types given, in parallel:
//
//   - Each type's created ranges (segments) are listed newest first, page by
//     page, by workers; each worker holds one of Params.Concurrency slots,
//     and a type has at most Params.PerType workers.
//   - After each page, a worker whose type could use another worker (and a
//     free slot) keeps about splitChunk pages below its cursor (fewer near
//     the top, so the newest weeks come first) and hands the older rest of
//     its range to a new worker (see maybeSplit). Ranges
//     start unbounded ([0, ∞)); handing over the old end means no request
//     is spent on the empty years before the first object.
//   - A worker decodes its page (warehouse.Prepare) and hands it to the one
//     writer (writer.go), which writes it in one transaction together with
//     the type's sync state. Decoding thus runs beside writing, and pages in
//     memory are bounded by the workers plus the writer's queue.
//   - A range's pages reach the writer in order, so the state written with a
//     page never claims a page that isn't written. A split is recorded at
//     once in the state written with the next page: the older part as a new
//     range, the newer part keeping its cursor, whose created time is at or
//     above the split point, so together they still cover everything not yet
//     written.
//   - Requests wait for the rate limits; of those waiting for the account's
//     budget, the types with the most left to list go first (limiter), so
//     the longest listings, each capped by its endpoint's budget, never
//     wait behind short ones.

// backfill is one listing pass over some types.
type backfill struct {
	r      *run
	slots  chan struct{}
	writes chan write
	wg     sync.WaitGroup

	ctx    context.Context // the workers'; ends at the first fatal error
	parent context.Context // the writer's: the caller's
	cancel context.CancelCauseFunc
	once   sync.Once
	err    error // the first fatal error
}

// backfill lists trs until each is complete or failed on its own. It
// returns a fatal error (the sync must stop); types' own failures are kept
// on them (typeRun.failed) and in their state.
func (r *run) backfill(parent context.Context, trs []*typeRun) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	b := &backfill{
		r:      r,
		slots:  make(chan struct{}, r.e.p.Concurrency),
		writes: make(chan write, writeQueue),
		ctx:    ctx,
		parent: parent,
		cancel: cancel,
	}
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		b.writeLoop(parent)
	}()
	var finished []*typeRun
	for _, tr := range trs {
		tr.mu.Lock()
		tr.pending = nil
		waiting := false // for another type's listing to bring its objects
		for _, seg := range tr.st.Ranges {
			if seg.Via != "" {
				waiting = true
				continue
			}
			tr.pending = append(tr.pending, seg)
		}
		sort.SliceStable(tr.pending, func(i, j int) bool { return tr.pending[i].Lo > tr.pending[j].Lo })
		tr.active = min(len(tr.pending), r.e.p.PerType)
		n := tr.active
		tr.mu.Unlock()
		if n == 0 && !waiting {
			finished = append(finished, tr) // nothing left to list: complete it
		}
		for range n {
			b.wg.Add(1)
			go b.worker(tr, false)
		}
	}
	for _, tr := range finished {
		b.send(write{t: tr.t, extra: b.commit(tr, nil, 0, 0, 0, false)})
	}
	b.wg.Wait()
	close(b.writes)
	<-writerDone
	if b.err != nil {
		return b.err
	}
	// Types that failed on their own: their error is in memory; write it.
	var failed []*typeRun
	for _, tr := range trs {
		if tr.hasFailed() {
			failed = append(failed, tr)
		}
	}
	if len(failed) > 0 {
		if err := r.saveStates(parent, failed); err != nil {
			return err
		}
	}
	return nil
}

// fatal stops the backfill with err (the first one counts).
func (b *backfill) fatal(err error) {
	b.once.Do(func() {
		b.err = err
		b.cancel(err)
	})
}

// send queues w for the writer; false when the backfill is stopping.
func (b *backfill) send(w write) bool {
	select {
	case b.writes <- w: // a page in hand is queued even when stopping
		return true
	default:
	}
	select {
	case b.writes <- w:
		return true
	case <-b.ctx.Done():
		return false
	}
}

// worker runs tr's pending ranges one after another, holding a slot.
func (b *backfill) worker(tr *typeRun, holdsSlot bool) {
	defer b.wg.Done()
	if !holdsSlot {
		select {
		case b.slots <- struct{}{}:
		case <-b.ctx.Done():
			tr.done()
			return
		}
	}
	defer func() { <-b.slots }()
	for {
		seg := tr.next()
		if seg == nil {
			return
		}
		if err := b.list(tr, seg); err != nil {
			if isTypeError(err) {
				tr.fail(err, b.r.e.now())
				b.r.e.log.Warn("sync: type failed", "conn", b.r.connID, "type", tr.t.Name, "err", err)
				b.r.prog.changed()
				continue // next() sees the failure and ends this worker
			}
			b.fatal(err)
			tr.done()
			return
		}
	}
}

// next pops tr's next pending range, or ends the worker (nil) when none is
// left or the type failed.
func (tr *typeRun) next() *segment {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.failed != nil || len(tr.pending) == 0 {
		tr.active--
		return nil
	}
	seg := tr.pending[0]
	tr.pending = tr.pending[1:]
	return seg
}

// done ends a worker that stops without asking next.
func (tr *typeRun) done() {
	tr.mu.Lock()
	tr.active--
	tr.mu.Unlock()
}

// list lists seg page by page until it is exhausted, tr fails, or the
// backfill stops.
func (b *backfill) list(tr *typeRun, seg *segment) error {
	r := b.r
	for {
		if tr.hasFailed() {
			return nil
		}
		if b.ctx.Err() != nil {
			return canceled(b.ctx)
		}
		expand := tr.expands()
		req := segmentRequest(tr.t, seg, expand)
		req.priority = tr.remaining(r.e.now())
		version := fetchVersion(r.e.now())
		var rows []warehouse.Row
		var hasMore bool
		var expanded int64
		err := r.call.fetch(b.ctx, tr.t.Name, req, func(p *page) error {
			var err error
			rows, err = prepareRows(tr.t, p.Data, version)
			hasMore = p.HasMore
			expanded = keepExpanded(rows, expand)
			return err
		})
		if errors.Is(err, errGone) && !seg.fallback && seg.cur != "" {
			// The cursor object was deleted since: list from its created
			// time down instead (or from the start, without created times).
			if tr.t.HasCreated {
				seg.fallback = true
			} else {
				seg.cur, seg.curCreated = "", 0
			}
			continue
		}
		if err != nil {
			return err
		}
		children, err := r.completeChildren(b.ctx, tr, rows)
		if err != nil {
			return err
		}
		seg.fallback = false
		n := int64(len(rows))
		done := !hasMore || n == 0
		if n > 0 {
			tr.advance(seg, rows[0].Created, rows[n-1].ID, rows[n-1].Created, n)
		}
		w := write{t: tr.t, rows: rows, extra: b.commit(tr, seg, n, children, expanded, done), after: r.prog.changed}
		if !b.send(w) {
			return canceled(b.ctx)
		}
		if done {
			return nil
		}
		b.maybeSplit(tr, seg)
	}
}

// segmentRequest is the next page of seg, asking for the expansion of
// t.Expands when expand.
func segmentRequest(t warehouse.Type, seg *segment, expand bool) listRequest {
	req := listRequest{endpoint: "GET " + t.ListPath, path: t.ListPath}
	if expand && t.Expands != nil {
		req.add(t.Expands.ListExpand())
	}
	if seg.Filter != "" && t.FilterParam != "" {
		req.add(t.FilterParam, seg.Filter)
	}
	keys := make([]string, 0, len(t.ListParams))
	for k := range t.ListParams {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range t.ListParams[k] {
			req.add(k, v)
		}
	}
	if t.HasCreated {
		hi := seg.Hi
		if seg.fallback && (hi == 0 || seg.curCreated+1 < hi) {
			hi = seg.curCreated + 1
		}
		if seg.Lo > 0 {
			req.addInt("created[gte]", seg.Lo)
		}
		if hi > 0 {
			req.addInt("created[lt]", hi)
		}
	}
	if seg.cur != "" && !seg.fallback {
		req.add("starting_after", seg.cur)
		req.gone = true
	}
	return req
}

// keepExpanded counts the objects rows brought expanded, or drops them when
// the listing did not ask for them (they are then not this sync's to
// write).
func keepExpanded(rows []warehouse.Row, expand bool) int64 {
	var n int64
	for i := range rows {
		if !expand {
			rows[i].Expanded = nil
		}
		n += int64(len(rows[i].Expanded))
	}
	return n
}

// prepareRows decodes a page's objects; an object Prepare refuses makes the
// page unreadable (it is fetched again, then reported).
func prepareRows(t warehouse.Type, data [][]byte, version int64) ([]warehouse.Row, error) {
	rows := make([]warehouse.Row, 0, len(data))
	for i, raw := range data {
		row, err := warehouse.Prepare(t, raw, version, false)
		if err != nil {
			return nil, unreadable("object %d of the page: %v", i+1, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// splitChunk is how many pages of its range a worker keeps when it splits
// off the rest for a new worker, once the type's listing is under way.
// Near its top a worker keeps fewer (firstChunk, then the pages the type
// has brought so far shared among its workers): the newest weeks are then
// listed by several workers side by side, and a report of a recent period is
// complete within seconds rather than after splitChunk round trips of one
// worker. Each chunk costs one part-filled page; small ones are few.
const (
	splitChunk = 20
	firstChunk = 2
)

// maybeSplit gives part of seg's remaining range to a new worker when tr
// may have another worker and a slot is free. The worker keeps about
// splitChunk pages below its cursor (judged by how densely objects have
// come so far) and hands over everything older, when that is at least as
// much again. Handing over the old end rather than halving means no request
// is spent on the empty years an unbounded range starts with, and ranges
// stay long: each range ends in a part-filled page, a request that brings
// less than a full page.
func (b *backfill) maybeSplit(tr *typeRun, seg *segment) {
	if !tr.t.HasCreated {
		return
	}
	tr.mu.Lock()
	room := tr.active < b.r.e.p.PerType && tr.failed == nil && len(tr.pending) == 0
	perPage, keep := int64(0), int64(splitChunk)
	if sp := tr.spreadLocked(seg.Filter); sp.got > 0 {
		perPage = sp.covered * pageLimit / sp.got // seconds of created time per page
		keep = chunkPages(sp.got, b.r.e.p.PerType)
	}
	tr.mu.Unlock()
	if !room || perPage <= 0 {
		return
	}
	cur, lo := seg.curCreated, seg.Lo
	if cur-lo < 2*keep*perPage {
		return
	}
	mid := cur - keep*perPage
	select {
	case b.slots <- struct{}{}:
	default:
		return
	}
	older := &segment{Lo: lo, Hi: mid, Filter: seg.Filter}
	tr.mu.Lock()
	seg.Lo = mid
	tr.st.Ranges = append(tr.st.Ranges, older)
	tr.pending = append(tr.pending, older)
	tr.active++
	tr.mu.Unlock()
	b.wg.Add(1)
	go b.worker(tr, true)
}

// chunkPages is how many pages below its cursor a worker keeps when it
// splits, its type having brought got objects so far with up to perType
// workers: the pages so far shared among the workers, at least firstChunk
// and at most splitChunk.
func chunkPages(got int64, perType int) int64 {
	return min(splitChunk, max(firstChunk, got/pageLimit/int64(max(perType, 1))))
}
