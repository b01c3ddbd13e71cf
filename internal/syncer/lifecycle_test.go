package syncer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

func TestSyncLifecycle(t *testing.T) {
	ctx := context.Background()

	t.Run("two syncs of one connection at once: one syncs, the other says so plainly or waits", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 20, "charges": 400}, 0, 300*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		started := make(chan struct{})
		var once sync.Once
		client, _ := countingClient("/v1/", 1, func() { once.Do(func() { close(started) }) })
		first := e.engine(f.srv.URL, Params{HTTPClient: client, Limits: Limits{Test: 20, PerEndpoint: 20}})
		second := e.engine(f.srv.URL, Params{})
		done := make(chan error, 1)
		go func() { done <- first.Sync(ctx, e.connID, Options{}) }()
		<-started
		err := second.Sync(ctx, e.connID, Options{})
		if !errors.Is(err, ErrAlreadyRunning) || !strings.Contains(err.Error(), "already running") {
			t.Errorf("second Sync: %v, want a plain ErrAlreadyRunning", err)
		}
		if p, err := second.Progress(ctx, e.connID); err != nil || !p.Running {
			t.Errorf("Progress from the other engine: running %v, err %v; want running", p.Running, err)
		}
		if err := second.Sync(ctx, e.connID, Options{Wait: true}); err != nil {
			t.Errorf("waiting Sync: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("first Sync: %v", err)
		}
		e.requireCounts(f.truth())
	})

	t.Run("a last-seen event older than 30 days re-scans only that type, records it, and finds deletions", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 15}, 2, 90*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		eng := e.engine(f.srv.URL, Params{})
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		// Forty days pass without a sync for customers: its last event is
		// out of Stripe's window, and a customer was deleted meanwhile
		// (its event gone too).
		old := time.Now().Add(-40 * 24 * time.Hour).Unix()
		e.exec(`UPDATE sync_state SET last_event_id = 'evt_gone', last_event_created = ? WHERE object_type = 'customers'`, old)
		f.mu.Lock()
		f.objs["customers"][3].deleted = true
		f.mu.Unlock()
		before := e.state("charges")

		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		st := e.state("customers")
		if st.Rescans != 1 || st.RescanAt.IsZero() || !strings.Contains(st.RescanReason, "30 days") || st.Phase != PhaseReady {
			t.Errorf("customers state: rescans %d at %v, reason %q, phase %q", st.Rescans, st.RescanAt, st.RescanReason, st.Phase)
		}
		if after := e.state("charges"); after.Rescans != 0 || !after.StartedAt.Equal(before.StartedAt) {
			t.Errorf("charges was re-scanned too: rescans %d, started %v → %v", after.Rescans, before.StartedAt, after.StartedAt)
		}
		e.requireCounts(f.truth())
		p, err := eng.Progress(ctx, e.connID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range p.Types {
			if tp.Type == "customers" && tp.RescanReason == "" {
				t.Error("Progress doesn't show the re-scan")
			}
		}
	})

	t.Run("a type turned off is not synced and keeps its rows; turned on again it catches up", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 10}, 0, 20*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		eng := e.engine(f.srv.URL, Params{})
		if err := eng.SetEnabled(ctx, e.connID, "customers", false); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := e.counts()["customers"]; got != (warehouse.Count{}) {
			t.Errorf("customers synced while off: %+v", got)
		}
		if err := eng.SetEnabled(ctx, e.connID, "customers", true); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		e.requireCounts(f.truth())

		if err := eng.SetEnabled(ctx, e.connID, "charges", false); err != nil {
			t.Fatal(err)
		}
		f.mutate("charges", "create")
		f.mutate("customers", "create")
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		truth, got := f.truth(), e.counts()
		if got["charges"].Live != truth["charges"].Live-1 || got["customers"] != truth["customers"] {
			t.Errorf("with charges off: charges %+v (truth %+v), customers %+v (truth %+v)", got["charges"], truth["charges"], got["customers"], truth["customers"])
		}
		sel, _ := eng.Selection(ctx, e.connID)
		if sel["charges"] || !sel["customers"] {
			t.Errorf("Selection = %v", sel)
		}
		if err := eng.SetEnabled(ctx, e.connID, "charges", true); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		e.requireCounts(f.truth())

		if err := eng.DeleteData(ctx, e.connID, "coupons"); err != nil {
			t.Fatal(err)
		}
		if got := e.counts()["coupons"]; got != (warehouse.Count{}) || e.state("coupons") != nil {
			t.Errorf("after DeleteData: coupons %+v, state %+v", got, e.state("coupons"))
		}
	})

	t.Run("with Follow a change in Stripe reaches SQLite within seconds", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 5}, 0, 10*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		var mu sync.Mutex
		var stages []Stage
		eng := e.engine(f.srv.URL, Params{Progress: func(p Progress) {
			mu.Lock()
			stages = append(stages, p.Stage)
			mu.Unlock()
		}})
		fctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- eng.Sync(fctx, e.connID, Options{Follow: true, PollEvery: 100 * time.Millisecond}) }()
		waitFor(t, 10*time.Second, func() bool {
			mu.Lock()
			defer mu.Unlock()
			return containsStage(stages, StageFollowing)
		})
		if got := e.counts()["charges"].Live; got != 5 {
			t.Fatalf("following with %d charges stored, want 5", got)
		}
		id := f.mutate("charges", "update")
		changed := time.Now()
		want := f.field(id, "description")
		waitFor(t, 5*time.Second, func() bool {
			return e.queryString(`SELECT json_extract(data, '$.description') FROM stripe_charges WHERE id = ?`, id) == want
		})
		t.Logf("the update reached SQLite after %v", time.Since(changed).Round(time.Millisecond))
		stop()
		if err := <-done; err != nil {
			t.Errorf("Follow ended with %v, want nil when its context ends", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !containsStage(stages, StageListing) || !containsStage(stages, StageFollowing) {
			t.Errorf("progress stages %v lack listing or following", stages)
		}
	})

	t.Run("progress: the callback sees types fill up, and another process reads the same from the database", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 10, "charges": 450}, 0, 200*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		var mu sync.Mutex
		var seen []Progress
		eng := e.engine(f.srv.URL, Params{ProgressEvery: time.Nanosecond, PerType: 1, Progress: func(p Progress) {
			mu.Lock()
			seen = append(seen, p)
			mu.Unlock()
		}})
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		var partial bool
		for _, p := range seen {
			for _, tp := range p.Types {
				if tp.Type == "charges" && tp.Synced > 0 && tp.Synced < 450 && tp.Fraction() > 0 && tp.Fraction() < 1 {
					partial = true
				}
			}
		}
		last := seen[len(seen)-1]
		mu.Unlock()
		if !partial {
			t.Error("no snapshot showed charges part-way")
		}
		if last.Stage != StageDone || last.Running || last.Fraction() != 1 {
			t.Errorf("last snapshot: stage %q, running %v, fraction %v", last.Stage, last.Running, last.Fraction())
		}
		p, err := e.engine(f.srv.URL, Params{}).Progress(ctx, e.connID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Running || p.Fraction() != 1 || p.LastCompleteAt().IsZero() {
			t.Errorf("persisted progress: running %v, fraction %v, last complete %v", p.Running, p.Fraction(), p.LastCompleteAt())
		}
		for _, tp := range p.Types {
			if tp.Type == "charges" && (tp.Synced != 450 || tp.Phase != PhaseReady) {
				t.Errorf("persisted charges: %+v", tp)
			}
		}
	})
}

func containsStage(list []Stage, s Stage) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// waitFor polls cond until it holds or d passes.
func waitFor(t testing.TB, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
