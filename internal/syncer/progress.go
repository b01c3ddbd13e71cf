package syncer

import (
	"context"
	"github.com/ledgerline/ledgerline/internal/domain"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Stage is where a whole sync stands.
type Stage string

const (
	StageIdle       Stage = ""            // no sync running (Engine.Progress)
	StageStarting   Stage = "starting"    // reading state, asking for the newest event
	StageListing    Stage = "listing"     // backfill or re-scan
	StageCatchingUp Stage = "catching_up" // applying events
	StageFollowing  Stage = "following"   // caught up; polling events (Follow)
	StageDone       Stage = "done"        // caught up and finished
	StageFailed     Stage = "failed"      // stopped with an error (Progress.Err)
	StageRunning    Stage = "running"     // another process syncs (Engine.Progress)
)

// Progress is a snapshot of one connection's sync.
type Progress struct {
	ConnectionID string
	Stage        Stage
	// Running is true while a sync of the connection runs, here or in
	// another process.
	Running bool
	// Types has one entry per warehouse type, in the registry's order.
	Types []TypeProgress
	// Err is the text of the error the sync stopped with (StageFailed),
	// for logs and the command line; Failure is that error itself, whose
	// kind and facts a window words (nil for a snapshot read from SQLite).
	Err     string
	Failure error
}

// TypeProgress is one object type's part of a Progress.
type TypeProgress struct {
	Type    string // the warehouse type's name: charges, customers, …
	Enabled bool   // the owner keeps this type (Engine.SetEnabled)
	Phase   Phase  // PhaseNone until its first sync
	// Synced is how many objects the current (or last) listing stored;
	// Estimated guesses that listing's total (exact once it completes).
	Synced, Estimated int64
	EventsApplied     int64     // events applied to this type, all time
	LastEventAt       time.Time // created time of the newest event applied
	StartedAt         time.Time // the current or last listing began
	CompletedAt       time.Time // the last listing completed
	CaughtUpAt        time.Time // last time the type was complete and current
	// LastError is why the type's last run failed, as technical text for
	// logs and the command line ("" when it went well); LastFailure is
	// that failure with its kind and facts, for a window to word.
	LastError    string
	LastFailure  error
	RescanReason string // why the type was last re-scanned; "" never
	RescanAt     time.Time
	Rescans      int64
}

// Fraction is how far the type's listing is, 0 to 1; 1 once it is ready.
func (t TypeProgress) Fraction() float64 {
	switch {
	case t.Phase == PhaseReady:
		return 1
	case t.Phase == PhaseNone || t.Estimated <= 0:
		return 0
	}
	return min(float64(t.Synced)/float64(t.Estimated), 0.99)
}

// Fraction is how far the whole listing is, 0 to 1: the enabled types'
// objects stored over their estimated totals.
func (p Progress) Fraction() float64 {
	var done, total float64
	var pending bool
	for _, t := range p.Types {
		if !t.Enabled {
			continue
		}
		if t.Phase == PhaseNone {
			pending = true
			continue
		}
		done += float64(t.Synced)
		total += float64(max(t.Estimated, t.Synced))
	}
	switch {
	case total == 0 && pending:
		return 0
	case total == 0:
		return 1
	}
	f := done / total
	if pending {
		f = min(f, 0.99)
	}
	return f
}

// LastCompleteAt is when every enabled type was last complete and current
// together: the oldest of their CaughtUpAt times (zero if one never was).
func (p Progress) LastCompleteAt() time.Time {
	var oldest time.Time
	for i, t := range p.Types {
		if !t.Enabled {
			continue
		}
		if t.CaughtUpAt.IsZero() {
			return time.Time{}
		}
		if i == 0 || oldest.IsZero() || t.CaughtUpAt.Before(oldest) {
			oldest = t.CaughtUpAt
		}
	}
	return oldest
}

// Progress reads connection connID's sync progress from the database, so a
// window can show a sync that another process runs. Running comes from the
// connection's sync lock; the counts are those of the last committed page.
func (e *Engine) Progress(ctx context.Context, connID string) (Progress, error) {
	reader := e.p.Store.Reader()
	sel, err := loadSelection(ctx, reader, connID)
	if err != nil {
		return Progress{}, err
	}
	states, err := loadStates(ctx, reader, connID)
	if err != nil {
		return Progress{}, err
	}
	busy, err := running(e.p.LockDir, connID)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{ConnectionID: connID, Running: busy}
	if busy {
		p.Stage = StageRunning
	}
	for _, t := range warehouse.Types() {
		on := sel[t.Name] && (t.Parent == "" || sel[t.Parent])
		p.Types = append(p.Types, typeProgress(t.Name, on, states[t.Name]))
	}
	return p, nil
}

func typeProgress(name string, enabled bool, st *typeState) TypeProgress {
	tp := TypeProgress{Type: name, Enabled: enabled}
	if st == nil {
		return tp
	}
	tp.Phase, tp.Synced, tp.Estimated, tp.EventsApplied = st.Phase, st.Synced, max(st.Estimated, st.Synced), st.EventsApplied
	if st.LastEventCreated > 0 {
		tp.LastEventAt = time.Unix(st.LastEventCreated, 0).UTC()
	}
	tp.StartedAt, tp.CompletedAt, tp.CaughtUpAt = st.StartedAt, st.CompletedAt, st.CaughtUpAt
	tp.RescanReason, tp.RescanAt, tp.Rescans = st.RescanReason, st.RescanAt, st.Rescans
	if tp.LastFailure = domain.LoadError(st.LastError); tp.LastFailure != nil {
		tp.LastError = tp.LastFailure.Error()
	}
	return tp
}

// reporter sends a running sync's snapshots to Params.Progress, throttled.
type reporter struct {
	r  *run
	fn func(Progress)

	sendMu sync.Mutex // one snapshot at a time, in order
	mu     sync.Mutex
	st     Stage
	last   time.Time
	final  error
}

func newReporter(r *run) *reporter {
	return &reporter{r: r, fn: r.e.p.Progress, st: StageStarting}
}

// stage moves to s and reports at once.
func (p *reporter) stage(s Stage) {
	p.mu.Lock()
	changed := p.st != s
	p.st = s
	p.mu.Unlock()
	if changed {
		p.emit(true)
	}
}

func (p *reporter) current() Stage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

// changed reports a snapshot unless one went out less than ProgressEvery ago.
func (p *reporter) changed() { p.emit(false) }

// finish reports the end of the sync: done, or failed with err.
func (p *reporter) finish(err error) {
	p.mu.Lock()
	if err != nil {
		p.st, p.final = StageFailed, err
	} else if p.st != StageDone {
		p.st = StageDone
	}
	p.mu.Unlock()
	p.emit(true)
}

func (p *reporter) emit(force bool) {
	if p.fn == nil {
		return
	}
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	now := p.r.e.now()
	p.mu.Lock()
	if !force && now.Sub(p.last) < p.r.e.p.ProgressEvery {
		p.mu.Unlock()
		return
	}
	p.last = now
	snap := Progress{ConnectionID: p.r.connID, Stage: p.st, Running: p.st != StageDone && p.st != StageFailed}
	if p.final != nil {
		snap.Err, snap.Failure = p.final.Error(), p.final
	}
	p.mu.Unlock()
	for _, tr := range p.r.order {
		tr.mu.Lock()
		snap.Types = append(snap.Types, typeProgress(tr.t.Name, tr.enabled, tr.st))
		tr.mu.Unlock()
	}
	p.fn(snap)
}
