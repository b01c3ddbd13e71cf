package cli

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

var (
	t0 = testNow.Add(-time.Hour)
	t1 = testNow.Add(-time.Minute)
	t2 = testNow
)

func snap(stage syncer.Stage, types ...syncer.TypeProgress) syncer.Progress {
	for i := range types {
		types[i].Enabled = types[i].Type != "plans" // plans stand for a type the owner turned off
	}
	return syncer.Progress{ConnectionID: "conn_a", Stage: stage, Types: types}
}

func ready(name string, synced, events int64) syncer.TypeProgress {
	return syncer.TypeProgress{Type: name, Phase: syncer.PhaseReady, Synced: synced, Estimated: synced, EventsApplied: events,
		StartedAt: t0, CompletedAt: t0, CaughtUpAt: t0}
}

// events lists the steps' events, with their types.
func events(steps []step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, strings.TrimSuffix(s.Event+" "+s.Type, " "))
	}
	return out
}

func wantEvents(t *testing.T, steps []step, want ...string) {
	t.Helper()
	if got := events(steps); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("steps %q, want %q", got, want)
	}
}

func TestStepper(t *testing.T) {
	t.Run("a type that starts and finishes between two snapshots gets both lines, with its count", func(t *testing.T) {
		s := newStepper(snap(syncer.StageIdle, syncer.TypeProgress{Type: "charges"}))
		got := s.next(snap(syncer.StageListing, syncer.TypeProgress{Type: "charges", Phase: syncer.PhaseReady,
			Synced: 10, Estimated: 10, StartedAt: t1, CompletedAt: t2}))
		wantEvents(t, got, "type_started charges", "type_done charges")
		if got[1].TypeSynced != 10 || got[0].Resumed {
			t.Errorf("steps %+v", got)
		}
	})

	t.Run("a listing an earlier run began is said to resume, once, when it moves", func(t *testing.T) {
		listing := syncer.TypeProgress{Type: "charges", Phase: syncer.PhaseBackfill, Synced: 100, Estimated: 1000, StartedAt: t0}
		s := newStepper(snap(syncer.StageIdle, listing))
		wantEvents(t, s.next(snap(syncer.StageListing, listing)))
		listing.Synced = 200
		got := s.next(snap(syncer.StageListing, listing))
		wantEvents(t, got, "type_started charges")
		if !got[0].Resumed || got[0].TypeSynced != 200 || got[0].TypeEstimated != 1000 {
			t.Errorf("step %+v", got[0])
		}
		listing.Synced = 300
		wantEvents(t, s.next(snap(syncer.StageListing, listing)))
		listing.Phase, listing.CompletedAt = syncer.PhaseReady, t2
		wantEvents(t, s.next(snap(syncer.StageCatchingUp, listing)), "type_done charges")
	})

	t.Run("a re-scan of a ready type is a new start", func(t *testing.T) {
		s := newStepper(snap(syncer.StageIdle, ready("charges", 50, 0)))
		got := s.next(snap(syncer.StageListing, syncer.TypeProgress{Type: "charges", Phase: syncer.PhaseRescan, StartedAt: t2, CompletedAt: t0}))
		wantEvents(t, got, "type_started charges")
		if got[0].Resumed || got[0].Phase != syncer.PhaseRescan {
			t.Errorf("step %+v", got[0])
		}
	})

	t.Run("caught up once, then a line for each follow round that changed something and none for a quiet one", func(t *testing.T) {
		s := newStepper(snap(syncer.StageIdle, ready("charges", 50, 5), ready("customers", 9, 0)))
		got := s.next(snap(syncer.StageCatchingUp, ready("charges", 50, 7), ready("customers", 9, 0)))
		wantEvents(t, got)
		got = s.next(snap(syncer.StageFollowing, ready("charges", 50, 7), ready("customers", 9, 0)))
		wantEvents(t, got, "caught_up")
		if got[0].Events != 2 || got[0].Synced != 59 {
			t.Errorf("caught up %+v", got[0])
		}
		wantEvents(t, s.next(snap(syncer.StageFollowing, ready("charges", 50, 7), ready("customers", 9, 0))))
		got = s.next(snap(syncer.StageFollowing, ready("charges", 50, 8), ready("customers", 9, 2)))
		wantEvents(t, got, "changes")
		if got[0].Events != 3 || !reflect.DeepEqual(got[0].EventsByType, map[string]int64{"charges": 1, "customers": 2}) {
			t.Errorf("changes %+v", got[0])
		}
	})

	t.Run("a type's failure is one line however many snapshots carry it; a type turned off is never a line", func(t *testing.T) {
		s := newStepper(snap(syncer.StageIdle, ready("disputes", 0, 0), syncer.TypeProgress{Type: "plans"}))
		failed := ready("disputes", 0, 0)
		failed.LastError = "The access Ledgerline holds is missing a permission it needs."
		off := syncer.TypeProgress{Type: "plans", Phase: syncer.PhaseReady, StartedAt: t1, CompletedAt: t2}
		wantEvents(t, s.next(snap(syncer.StageCatchingUp, failed, off)), "type_failed disputes")
		wantEvents(t, s.next(snap(syncer.StageCatchingUp, failed, off)))
	})

	t.Run("the end is done with the events not yet told, or failed with the error's kind", func(t *testing.T) {
		s := newStepper(snap(syncer.StageIdle, ready("charges", 50, 0)))
		s.next(snap(syncer.StageCatchingUp, ready("charges", 50, 4)))
		end := s.end(snap(syncer.StageIdle, ready("charges", 50, 4)), nil)
		if end.Event != eventDone || end.Stage != syncer.StageDone || end.Events != 4 || end.Synced != 50 || end.Fraction != 1 {
			t.Errorf("end %+v", end)
		}
		err := fmt.Errorf("Shop A (conn_a): %w", stripeapi.ErrNeedsReauth)
		end = s.end(snap(syncer.StageIdle, ready("charges", 50, 4)), err)
		if end.Event != eventFailed || end.Stage != syncer.StageFailed || end.ErrKind != "needs_reauth" || end.Err != err.Error() {
			t.Errorf("end %+v", end)
		}
	})
}
