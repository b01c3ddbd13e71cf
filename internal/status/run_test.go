package status

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// runner runs Run in the background and hands each run's results over a
// channel; stop cancels it and waits for Run to return.
type runner struct {
	results chan []Result
	errs    chan error
	cancel  context.CancelFunc
	done    chan struct{}
}

func startRun(t *testing.T, c *Checker, every time.Duration) *runner {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{results: make(chan []Result, 100), errs: make(chan error, 100), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		c.Run(ctx, Schedule{
			Every:     every,
			OnResults: func(res []Result) { r.results <- res },
			OnError:   func(err error) { r.errs <- err },
		})
	}()
	t.Cleanup(r.stop)
	return r
}

// next waits for the next run's results.
func (r *runner) next(t *testing.T) []Result {
	t.Helper()
	select {
	case res := <-r.results:
		return res
	case <-time.After(10 * time.Second):
		t.Fatal("no run reported within 10 s")
		return nil
	}
}

func (r *runner) stop() {
	r.cancel()
	<-r.done
}

func statusOf(results []Result, id string) domain.Status {
	for _, r := range results {
		if r.ID == id {
			return r.Status
		}
	}
	return ""
}

func TestRun(t *testing.T) {
	t.Run("checks at once, again on Refresh, and stops when its context ends", func(t *testing.T) {
		w := newWorld(t, 3)
		a := w.connect(t, 0, domain.AuthAPIKey)
		b := w.connect(t, 1, domain.AuthAPIKey)
		c := w.checker()
		r := startRun(t, c, time.Hour)

		first := r.next(t)
		if len(first) != 2 || statusOf(first, a.ID) != domain.StatusConnected || statusOf(first, b.ID) != domain.StatusConnected {
			t.Fatalf("first run %+v", first)
		}

		w.revoke(t, 0)
		c.Trigger()
		second := r.next(t)
		if statusOf(second, a.ID) != domain.StatusNeedsReauth || statusOf(second, b.ID) != domain.StatusConnected {
			t.Errorf("after Refresh %+v", second)
		}

		stopped := make(chan struct{})
		go func() { r.stop(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after its context was canceled")
		}
		if n := w.stripe.calls.Load(); n != 4 {
			t.Errorf("%d calls to Stripe, want 4 (two runs of two)", n)
		}
	})

	t.Run("Refresh pressed many times during a run makes exactly one more run", func(t *testing.T) {
		w := newWorld(t, 3)
		w.connect(t, 0, domain.AuthAPIKey)
		entered, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		w.stripe.before = func(context.Context) {
			once.Do(func() {
				close(entered)
				<-release
			})
		}
		c := w.checker()
		r := startRun(t, c, time.Hour)
		<-entered
		for range 5 {
			c.Trigger()
		}
		close(release)
		r.next(t)
		r.next(t)
		r.stop()
		if extra := len(r.results); extra != 0 {
			t.Errorf("%d runs more than the two expected", extra)
		}
		if n := w.stripe.calls.Load(); n != 2 {
			t.Errorf("%d calls to Stripe, want 2", n)
		}
	})

	t.Run("Refresh pressed before a run starts is covered by that run", func(t *testing.T) {
		w := newWorld(t, 3)
		w.connect(t, 0, domain.AuthAPIKey)
		c := w.checker()
		c.Trigger()
		c.Trigger()
		pending := make(chan int, 1)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go c.Run(ctx, Schedule{Every: time.Hour, OnResults: func([]Result) {
			pending <- len(c.trigger) // read on Run's goroutine, before it waits
			cancel()
		}})
		select {
		case n := <-pending:
			if n != 0 {
				t.Errorf("%d more runs queued after a run that covered the presses", n)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no run reported")
		}
	})

	t.Run("checks again every interval", func(t *testing.T) {
		w := newWorld(t, 3)
		w.connect(t, 0, domain.AuthAPIKey)
		r := startRun(t, w.checker(), 10*time.Millisecond)
		for range 3 {
			if res := r.next(t); len(res) != 1 || !res[0].Saved {
				t.Fatalf("run %+v", res)
			}
		}
	})

	t.Run("a store that cannot be read is reported, and Run keeps going", func(t *testing.T) {
		w := newWorld(t, 3)
		w.connect(t, 0, domain.AuthAPIKey)
		flaky := &flakyList{Records: w.db, fail: true}
		c := w.checker(func(p *Params) { p.Records = flaky })
		r := startRun(t, c, time.Hour)
		select {
		case err := <-r.errs:
			if !strings.Contains(err.Error(), "database is locked") {
				t.Errorf("err = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no error reported")
		}
		if res := r.next(t); len(res) != 0 {
			t.Errorf("results from a failed listing: %+v", res)
		}
		flaky.set(false)
		c.Trigger()
		if res := r.next(t); len(res) != 1 || res[0].Status != domain.StatusConnected {
			t.Errorf("after the store recovered: %+v", res)
		}
	})
}

// flakyList is a store whose ListConnections fails while fail is set.
type flakyList struct {
	Records
	mu   sync.Mutex
	fail bool
}

func (f *flakyList) set(fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

func (f *flakyList) ListConnections(ctx context.Context) ([]domain.Connection, error) {
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return nil, errors.New("database is locked")
	}
	return f.Records.ListConnections(ctx)
}
