package syncer

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// eventWindow is how far back Stripe keeps events. A type whose last event
// is older than eventWindow - eventWindowSlack is re-scanned instead of
// caught up: its next events may already be gone.
const (
	eventWindow      = 30 * 24 * time.Hour
	eventWindowSlack = time.Hour
)

// clockMargin is taken off the time a page was requested to make its rows'
// version: a page's objects are as of some moment after the request left,
// and Stripe's clock (which dates the events) may run behind ours. An event
// less than clockMargin older than a fetch may then overwrite the fetched
// row with its own, slightly older state; that is harmless, since every
// later change has its own event, applied after it. The other way round,
// an event newer than a fetch that lost to it, would lose a change.
const clockMargin = 2 * time.Second

// fetchVersion is the version of rows fetched by a request that started at t.
func fetchVersion(t time.Time) int64 { return t.Add(-clockMargin).UnixMilli() }

// eventVersion is the version of an object as an event created at created
// (unix seconds) shows it: the end of that second, so that of a fetch and
// an event in the same second, the event wins (see clockMargin).
func eventVersion(created int64) int64 { return created*1000 + 999 }

// run is one Sync of one connection.
type run struct {
	e      *Engine
	conn   domain.Connection
	connID string
	call   *caller
	prog   *reporter

	// byName holds every type this run knows, top-level and child, in
	// registry order.
	byName map[string]*typeRun
	order  []*typeRun

	// Owned by the goroutine running rounds.
	applied     int64     // events applied in this round
	lastMarked  time.Time // last write of the connection's last sync time
	lastForward time.Time // last forward scan

	// linksRetryAt holds the payouts whose links failed on their own, and
	// when to ask again.
	linksMu      sync.Mutex
	linksRetryAt map[string]time.Time
}

// typeRun is one object type within a run: its sync state (the committed
// one, as the last written page left it, plus splits) and the scheduling
// of its backfill. mu guards everything below it.
type typeRun struct {
	t      warehouse.Type
	parent *typeRun // for a child type
	child  *typeRun // for a parent type whose child type is synced
	// into is, for a type whose lists can expand objects of another type
	// (warehouse.Type.Expands), that type; sources are, for that other
	// type, the types that can expand its objects.
	into    *typeRun
	sources []*typeRun
	// accountOldest is the oldest created time this run fetched of any
	// type: the account is at least that old (see remaining).
	accountOldest *atomic.Int64

	mu      sync.Mutex
	enabled bool
	st      *typeState // nil: never synced
	pending []*segment // ranges waiting for a worker
	active  int        // workers running this type
	failed  error      // this type's own failure
	retryAt time.Time  // a failed type is left alone until then
	// expand: this round's listing of the type asks for its objects'
	// expansion (into), because into's listing waits for it (a Via range).
	expand bool
	// What this run learnt about how objects spread over created time: all
	// of them, and per filter value (ranges with a Filter).
	all      spread
	byFilter map[string]*spread
}

// spread is how the objects fetched spread over created time.
type spread struct {
	got, covered int64 // objects fetched, seconds of created time they span
	oldest       int64 // the oldest created time fetched
}

// spreadLocked is what tr learnt of the objects of filter value f ("":
// unfiltered ranges); tr.mu held.
func (tr *typeRun) spreadLocked(f string) *spread {
	if f == "" {
		return &tr.all
	}
	if tr.byFilter == nil {
		tr.byFilter = map[string]*spread{}
	}
	s := tr.byFilter[f]
	if s == nil {
		s = &spread{}
		tr.byFilter[f] = s
	}
	return s
}

// forget drops what tr learnt of its objects' spread (a new listing
// starts); tr.mu held.
func (tr *typeRun) forget() { tr.all, tr.byFilter = spread{}, nil }

func (e *Engine) newRun(conn domain.Connection) *run {
	r := &run{e: e, conn: conn, connID: conn.ID, byName: map[string]*typeRun{}}
	oldest := new(atomic.Int64)
	r.call = &caller{
		backend: e.backend,
		keys:    e.p.Keys,
		connID:  conn.ID,
		limits:  newLimiter(e.p.Limits, conn.Livemode),
		retry:   e.p.Retry,
		log:     e.log,
	}
	for _, t := range warehouse.Types() {
		tr := &typeRun{t: t, accountOldest: oldest}
		r.byName[t.Name] = tr
		r.order = append(r.order, tr)
	}
	for _, tr := range r.order {
		if tr.t.Parent != "" {
			tr.parent = r.byName[tr.t.Parent]
		}
		if x := tr.t.Expands; x != nil && r.byName[x.Type] != nil {
			tr.into = r.byName[x.Type]
			tr.into.sources = append(tr.into.sources, tr)
		}
	}
	r.prog = newReporter(r)
	return r
}

// hasEvents reports whether Stripe sends events for t's objects (or t is
// the events themselves). Types without (balance transactions) are kept
// current by listing what was created since the newest one stored.
func hasEvents(t warehouse.Type) bool { return t.Name == eventsType || len(t.EventPrefixes) > 0 }

const eventsType = "events"

// sync runs rounds: one, or with Follow one per poll until ctx ends.
func (r *run) sync(ctx context.Context, opts Options) error {
	typeErrs, err := r.round(ctx)
	if err != nil {
		return err
	}
	r.markSynced(ctx)
	if !opts.Follow {
		r.prog.stage(StageDone)
		return typeErrs
	}
	r.prog.stage(StageFollowing)
	for {
		if err := r.idle(ctx, opts.PollEvery); err != nil {
			return err
		}
		if _, err = r.round(ctx); err != nil {
			return err
		}
		// A quiet poll changes nothing; the last sync time is written when
		// events came, or every caughtUpEvery.
		if r.applied > 0 || r.e.now().Sub(r.lastMarked) >= caughtUpEvery {
			r.markSynced(ctx)
		}
		r.prog.stage(StageFollowing)
	}
}

// idle waits for a Follow sync's next poll, due in d, linking older
// payouts meanwhile (olderLinks: a bounded number, none asked for once the
// poll is due, at the lowest priority), so they never delay the events.
func (r *run) idle(ctx context.Context, d time.Duration) error {
	due := r.e.now().Add(d)
	if err := r.olderLinks(ctx, due); err != nil {
		if ctx.Err() != nil {
			return canceled(ctx)
		}
		return err
	}
	if err := sleep(ctx, due.Sub(r.e.now())); err != nil {
		return canceled(ctx)
	}
	return nil
}

// How often a Follow sync lists types without events (balance
// transactions) when no event suggests anything new: the other changes
// that make them (charges, refunds, payouts) come with events.
const forwardEvery = time.Minute

// failRetry is how long a type that failed on its own is left alone by a
// Follow sync before it is tried again.
const failRetry = time.Minute

// round plans (selection, new types, re-scans), lists what needs listing
// and applies events. It returns the types' own failures joined, and a
// fatal error separately.
func (r *run) round(ctx context.Context) (typeErrs error, err error) {
	r.applied = 0
	listing, err := r.plan(ctx)
	if err != nil {
		return nil, err
	}
	// Payout links are fetched beside the rest of the round, once the
	// payouts are listed; a failure of the round stops them.
	links := r.startLinks(ctx)
	defer links.stop()
	if len(listing) > 0 {
		r.prog.stage(StageListing)
		if err := r.backfill(ctx, listing); err != nil {
			return nil, err
		}
	}
	links.listed()
	if r.prog.current() != StageFollowing {
		r.prog.stage(StageCatchingUp)
	}
	gone, err := r.catchUp(ctx)
	if err != nil {
		return nil, err
	}
	if len(gone) > 0 {
		// The events walk found its starting point gone: re-scan those
		// types now rather than at the next round.
		starting := map[*typeRun]bool{}
		for _, tr := range gone {
			starting[tr] = true
		}
		listing, err := r.startRescans(ctx, gone, starting, "Stripe no longer has the last event Ledgerline saw for them (it keeps 30 days)")
		if err != nil {
			return nil, err
		}
		if err := r.settleVia(ctx, listing); err != nil {
			return nil, err
		}
		if err := r.backfill(ctx, listing); err != nil {
			return nil, err
		}
		if _, err := r.catchUp(ctx); err != nil {
			return nil, err
		}
	}
	if now := r.e.now(); r.lastForward.IsZero() || r.applied > 0 || len(listing) > 0 || now.Sub(r.lastForward) >= forwardEvery {
		if err := r.forward(ctx); err != nil {
			return nil, err
		}
		r.lastForward = now
	}
	if err := links.wait(); err != nil {
		return nil, err
	}
	// Recent payouts that arrived with events or the forward pass, and
	// those a stopped sync left without their links; older ones are linked
	// between a Follow sync's polls (idle).
	if err := r.recentLinks(ctx); err != nil {
		return nil, err
	}
	return r.typeErrors(), nil
}

// markSynced records on the connection that it is current now.
func (r *run) markSynced(ctx context.Context) {
	r.lastMarked = r.e.now()
	if err := r.e.p.Store.SetLastSync(ctx, r.connID, r.e.now()); err != nil && !errors.Is(err, context.Canceled) {
		r.e.log.Warn("sync: could not record the last sync time", "conn", r.connID, "err", err)
	}
}

// typeErrors joins this round's failures of single types.
func (r *run) typeErrors() error {
	var errs []error
	for _, tr := range r.order {
		tr.mu.Lock()
		if tr.failed != nil {
			errs = append(errs, &typeError{typ: tr.t.Name, err: tr.failed})
		}
		tr.mu.Unlock()
	}
	return errors.Join(errs...)
}

// fail records err as tr's own failure (the first one counts) in memory
// and in its state; the state is written by the caller.
func (tr *typeRun) fail(err error, now time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.failed != nil {
		return
	}
	tr.failed, tr.retryAt = err, now.Add(failRetry)
	if tr.st != nil {
		// Kind and facts, not words: the window and the CLI word them.
		tr.st.LastError, tr.st.LastErrorAt = domain.StoreError(err), now
	}
}

func (tr *typeRun) hasFailed() bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.failed != nil
}
