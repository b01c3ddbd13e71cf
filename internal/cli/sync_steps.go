package cli

import (
	"time"

	"github.com/ledgerline/ledgerline/internal/syncer"
)

// Events of a sync's steps: the words of `sync --json`'s "event" field and
// the lines of `sync` when standard error is not a terminal.
const (
	eventStarted     = "started"      // the sync of a connection began
	eventTypeStarted = "type_started" // a type's listing began (or resumed)
	eventTypeDone    = "type_done"    // a type's listing completed
	eventTypeFailed  = "type_failed"  // a type failed on its own; the others go on
	eventCaughtUp    = "caught_up"    // everything current; --follow polls from here
	eventChanges     = "changes"      // a --follow round applied changes
	eventDone        = "done"         // the sync ended well (last line of a connection)
	eventFailed      = "failed"       // the sync stopped with an error (last line)
)

// step is one thing that happened in a connection's sync, worth a line.
type step struct {
	Event string
	Stage syncer.Stage
	// The connection's objects stored and their estimated total, over its
	// enabled types.
	Synced, Estimated int64
	Fraction          float64
	// Type steps: the type, its phase and its own counts.
	Type                      string
	Phase                     syncer.Phase
	Resumed                   bool // type_started: an earlier listing goes on
	TypeSynced, TypeEstimated int64
	// Events applied since the last step that counted them (caught_up,
	// changes, done), in all and by type.
	Events       int64
	EventsByType map[string]int64
	Err          string
	ErrKind      string // failed: errorKind of the error
}

// stepper turns one connection's progress snapshots, which come several
// times a second, into steps: it compares each snapshot with the one
// before, so a type that started and finished between two snapshots still
// gets both lines.
type stepper struct {
	base, prev syncer.Progress
	// announced holds, per type, the StartedAt of the listing whose start
	// was reported.
	announced map[string]time.Time
	events    int64
	byType    map[string]int64
}

// newStepper starts from base, the connection's state before the sync.
func newStepper(base syncer.Progress) *stepper {
	return &stepper{base: base, prev: base, announced: map[string]time.Time{}, byType: map[string]int64{}}
}

// started is the first step: the state the sync starts from.
func (s *stepper) started() step {
	st := totals(s.base)
	st.Event, st.Stage = eventStarted, syncer.StageStarting
	return st
}

// next is what changed from the previous snapshot to cur.
func (s *stepper) next(cur syncer.Progress) []step {
	var out []step
	prev, base := byType(s.prev), byType(s.base)
	for _, t := range cur.Types {
		if !t.Enabled {
			continue
		}
		p := prev[t.Type]
		listing := t.Phase == syncer.PhaseBackfill || t.Phase == syncer.PhaseRescan
		finished := t.Phase == syncer.PhaseReady && !t.CompletedAt.Equal(p.CompletedAt)
		moved := !t.StartedAt.Equal(p.StartedAt) || t.Synced != p.Synced || finished
		if (listing || finished) && moved && !t.StartedAt.IsZero() && !s.announced[t.Type].Equal(t.StartedAt) {
			s.announced[t.Type] = t.StartedAt
			out = append(out, s.typeStep(eventTypeStarted, cur, t, func(st *step) {
				st.Resumed = t.StartedAt.Equal(base[t.Type].StartedAt)
			}))
		}
		if finished {
			out = append(out, s.typeStep(eventTypeDone, cur, t, nil))
		}
		if t.LastError != "" && t.LastError != p.LastError {
			out = append(out, s.typeStep(eventTypeFailed, cur, t, func(st *step) { st.Err = t.LastError }))
		}
		if d := t.EventsApplied - p.EventsApplied; d > 0 {
			s.events += d
			s.byType[t.Type] += d
		}
	}
	if cur.Stage == syncer.StageFollowing {
		switch {
		case s.prev.Stage != syncer.StageFollowing:
			out = append(out, s.eventsStep(eventCaughtUp, cur))
		case s.events > 0:
			out = append(out, s.eventsStep(eventChanges, cur))
		}
	}
	s.prev = cur
	return out
}

// end is the last step: done, or failed with err.
func (s *stepper) end(final syncer.Progress, err error) step {
	if err != nil {
		st := totals(final)
		st.Event, st.Stage, st.Err, st.ErrKind = eventFailed, syncer.StageFailed, oneLine(err.Error()), errorKind(err)
		return st
	}
	st := s.eventsStep(eventDone, final)
	st.Stage = syncer.StageDone
	return st
}

func (s *stepper) typeStep(event string, cur syncer.Progress, t syncer.TypeProgress, more func(*step)) step {
	st := totals(cur)
	st.Event, st.Type, st.Phase, st.TypeSynced, st.TypeEstimated = event, t.Type, t.Phase, t.Synced, max(t.Estimated, t.Synced)
	if more != nil {
		more(&st)
	}
	return st
}

// eventsStep reports the events counted since the last such step.
func (s *stepper) eventsStep(event string, cur syncer.Progress) step {
	st := totals(cur)
	st.Event, st.Events, st.EventsByType = event, s.events, s.byType
	s.events, s.byType = 0, map[string]int64{}
	return st
}

// totals is a step with p's stage and the counts of its enabled types.
func totals(p syncer.Progress) step {
	st := step{Stage: p.Stage, Fraction: p.Fraction()}
	for _, t := range p.Types {
		if t.Enabled {
			st.Synced += t.Synced
			st.Estimated += max(t.Estimated, t.Synced)
		}
	}
	return st
}

func byType(p syncer.Progress) map[string]syncer.TypeProgress {
	m := make(map[string]syncer.TypeProgress, len(p.Types))
	for _, t := range p.Types {
		m[t.Type] = t
	}
	return m
}
