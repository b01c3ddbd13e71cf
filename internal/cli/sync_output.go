package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// syncReporter shows the syncs' progress in one of three ways:
//   - with --json, a JSON object a line on standard output, one per step;
//   - on a terminal (standard error), one progress bar per connection;
//   - otherwise (a pipe, a file, a log), a plain line per step on
//     standard error, with no carriage returns or terminal codes.
//
// update is called from the syncs' goroutines, begin and end around each
// connection's sync.
type syncReporter struct {
	env   Env
	mode  outputMode
	mu    sync.Mutex
	names map[string]string // connection id → its name
	steps map[string]*stepper
	bars  map[string]*progressbar.ProgressBar
	enc   *json.Encoder
}

type outputMode int

const (
	outputLines outputMode = iota
	outputBars
	outputJSON
)

func newSyncReporter(env Env, asJSON bool) *syncReporter {
	r := &syncReporter{env: env, mode: outputLines, names: map[string]string{}, steps: map[string]*stepper{},
		bars: map[string]*progressbar.ProgressBar{}, enc: json.NewEncoder(env.Stdout)}
	switch {
	case asJSON:
		r.mode = outputJSON
	case env.isTerminal(env.Stderr):
		r.mode = outputBars
	}
	return r
}

// begin reports that conn's sync starts from base, its state until now.
func (r *syncReporter) begin(conn domain.Connection, base syncer.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[conn.ID] = conn.Name
	s := newStepper(base)
	r.steps[conn.ID] = s
	if r.mode != outputBars {
		r.write(conn.ID, s.started(), nil)
	}
}

// update takes a snapshot of a running sync.
func (r *syncReporter) update(p syncer.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mode == outputBars {
		r.draw(p)
		return
	}
	s := r.steps[p.ConnectionID]
	if s == nil {
		return // not a connection this command syncs
	}
	for _, st := range s.next(p) {
		r.write(p.ConnectionID, st, nil)
	}
}

// end reports the end of conn's sync: final is its state as stored (zero
// if it could not be read: the last snapshot stands in), err what the sync
// returned.
func (r *syncReporter) end(conn domain.Connection, final syncer.Progress, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mode == outputBars {
		if bar, ok := r.bars[conn.ID]; ok {
			_ = bar.Finish()
			fmt.Fprintln(r.env.Stderr)
		}
		return
	}
	if s := r.steps[conn.ID]; s != nil {
		if len(final.Types) == 0 {
			final = s.prev
		}
		r.write(conn.ID, s.end(final, err), &final)
	}
}

// write prints one step; final, on a connection's last step, adds every
// type's state to the JSON line.
func (r *syncReporter) write(connID string, st step, final *syncer.Progress) {
	now := r.env.Now().UTC()
	if r.mode == outputJSON {
		j := stepJSON(connID, r.names[connID], now, st)
		if final != nil {
			j.Types = typesJSON(*final)
			j.Done = true
		}
		_ = r.enc.Encode(j)
		return
	}
	fmt.Fprintf(r.env.Stderr, "%s %s %s\n", now.Format(time.RFC3339), connID, oneLine(r.sentence(connID, st)))
}

// sentence says a step in words, for the plain lines.
func (r *syncReporter) sentence(connID string, st step) string {
	switch st.Event {
	case eventStarted:
		if st.Synced == 0 {
			return fmt.Sprintf("sync of %s started", r.names[connID])
		}
		return fmt.Sprintf("sync of %s started; %d objects stored before", r.names[connID], st.Synced)
	case eventTypeStarted:
		how := "listing every object"
		switch {
		case st.Resumed:
			how = fmt.Sprintf("resuming its listing at %d of about %d", st.TypeSynced, st.TypeEstimated)
		case st.Phase == syncer.PhaseRescan:
			how = "listing every object again"
		}
		return fmt.Sprintf("%s: %s", st.Type, how)
	case eventTypeDone:
		return fmt.Sprintf("%s: listed, %d objects (%d of about %d in all)", st.Type, st.TypeSynced, st.Synced, st.Estimated)
	case eventTypeFailed:
		return fmt.Sprintf("%s failed, the other types go on: %s", st.Type, st.Err)
	case eventCaughtUp:
		return fmt.Sprintf("caught up: %d objects%s; following changes", st.Synced, eventsApplied(st))
	case eventChanges:
		return fmt.Sprintf("changes: %s", strings.TrimPrefix(eventsApplied(st), ", "))
	case eventDone:
		return fmt.Sprintf("up to date: %d objects%s", st.Synced, eventsApplied(st))
	case eventFailed:
		return fmt.Sprintf("failed: %s", st.Err)
	}
	return st.Event
}

// eventsApplied is ", 3 events applied (charges 2, customers 1)", or ""
// for none.
func eventsApplied(st step) string {
	s := fmt.Sprintf(", %d events applied", st.Events)
	switch st.Events {
	case 0:
		return ""
	case 1:
		s = ", 1 event applied"
	}
	types := make([]string, 0, len(st.EventsByType))
	for t := range st.EventsByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for i, t := range types {
		types[i] = fmt.Sprintf("%s %d", t, st.EventsByType[t])
	}
	return s + " (" + strings.Join(types, ", ") + ")"
}

// draw moves conn's progress bar, making it on the first snapshot.
func (r *syncReporter) draw(p syncer.Progress) {
	t := totals(p)
	bar, ok := r.bars[p.ConnectionID]
	if !ok {
		bar = newBar(r.env.Stderr, r.names[p.ConnectionID], t.Estimated)
		r.bars[p.ConnectionID] = bar
	}
	bar.ChangeMax64(max(t.Estimated, t.Synced, 1))
	_ = bar.Set64(t.Synced)
	bar.Describe(fmt.Sprintf("%s %-11s", r.names[p.ConnectionID], p.Stage))
}

func newBar(w io.Writer, name string, estimated int64) *progressbar.ProgressBar {
	return progressbar.NewOptions64(max(estimated, 1),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("objects"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}
