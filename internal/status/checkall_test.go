package status

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/store"
)

func TestCheckAll(t *testing.T) {
	ctx := context.Background()

	t.Run("checks many connections at once, within the bound, each with its own answer", func(t *testing.T) {
		const n, bound = 40, 4
		w := newWorld(t, n)
		var conns []domain.Connection
		for i := range n {
			conns = append(conns, w.connect(t, i, domain.AuthAPIKey))
		}
		for i := 0; i < n; i += 3 {
			w.revoke(t, i)
		}
		if err := w.db.SetStatus(ctx, conns[1].ID, domain.StatusDisconnected, domain.KindDisconnected, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		// Hold each call until bound calls run at once, so the peak shows
		// the limit is reached and not passed.
		full := make(chan struct{})
		var once sync.Once
		w.stripe.before = func(context.Context) {
			if w.stripe.running.Load() >= bound {
				once.Do(func() { close(full) })
			}
			select {
			case <-full:
			case <-time.After(5 * time.Second):
			}
		}

		results, err := w.checker(func(p *Params) { p.Concurrency = bound }).CheckAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(results) != n-1 {
			t.Fatalf("%d results, want %d (the disconnected one skipped)", len(results), n-1)
		}
		if peak := w.stripe.peak.Load(); peak != bound {
			t.Errorf("at most %d checks ran at once, want exactly the bound %d", peak, bound)
		}
		if calls := w.stripe.calls.Load(); calls != n-1 {
			t.Errorf("%d calls to Stripe, want %d", calls, n-1)
		}
		for i, c := range conns {
			rec := w.record(t, c.ID)
			want := domain.StatusConnected
			switch {
			case i == 1:
				want = domain.StatusDisconnected
			case i%3 == 0:
				want = domain.StatusNeedsReauth
			}
			if rec.Status != want {
				t.Errorf("connection %d is %s, want %s", i, rec.Status, want)
			}
		}
		listed, _ := w.db.ListConnections(ctx)
		j := 0
		for _, c := range listed {
			if c.Status == domain.StatusDisconnected {
				continue
			}
			if results[j].ID != c.ID || results[j].Status != c.Status {
				t.Errorf("result %d is %s %s, want the list's %s %s", j, results[j].ID, results[j].Status, c.ID, c.Status)
			}
			j++
		}
	})

	t.Run("a status that cannot be saved is reported, and the others are still checked", func(t *testing.T) {
		w := newWorld(t, 3)
		a := w.connect(t, 0, domain.AuthAPIKey)
		b := w.connect(t, 1, domain.AuthAPIKey)
		broken := failingSave{Records: w.db, id: a.ID}
		results, err := w.checker(func(p *Params) { p.Records = broken }).CheckAll(ctx)
		if err == nil || !strings.Contains(err.Error(), a.Name) || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("err = %v, want the save failure named by connection", err)
		}
		if len(results) != 2 {
			t.Fatalf("%d results", len(results))
		}
		for _, r := range results {
			switch r.ID {
			case a.ID:
				if r.Saved || r.Reason != domain.KindUnknown {
					t.Errorf("failed save: %+v", r)
				}
			case b.ID:
				if !r.Saved || r.Status != domain.StatusConnected {
					t.Errorf("good save: %+v", r)
				}
			}
		}
	})

	t.Run("a keychain that does not answer is waited on once per run, not once per connection", func(t *testing.T) {
		const n = 10
		w := newWorld(t, n)
		var conns []domain.Connection
		for i := range n {
			conns = append(conns, w.connect(t, i, domain.AuthAPIKey))
		}
		hung := hungBackend(make(chan struct{}))
		t.Cleanup(func() { close(hung) })
		slow := &countingKeys{next: keychainKeys{secrets.New(secrets.Options{Service: "Ledgerline-test", Backend: hung, Timeout: 50 * time.Millisecond})}}
		results, err := w.checker(func(p *Params) { p.Keys = slow; p.Concurrency = 2 }).CheckAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if calls := slow.calls.Load(); calls > 2 {
			t.Errorf("the keychain was asked %d times, want at most the 2 that ran at once", calls)
		}
		for _, r := range results {
			if r.Saved || r.Reason != domain.KindKeychainTimedOut {
				t.Errorf("result %+v", r)
			}
		}
		for _, c := range conns {
			if rec := w.record(t, c.ID); rec.Status != domain.StatusConnected || !rec.StatusCheckedAt.IsZero() {
				t.Errorf("%s changed: %s %v", rec.Name, rec.Status, rec.StatusCheckedAt)
			}
		}
	})

	t.Run("a canceled run stops and says so", func(t *testing.T) {
		w := newWorld(t, 5)
		for i := range 5 {
			w.connect(t, i, domain.AuthAPIKey)
		}
		cctx, cancel := context.WithCancel(ctx)
		w.stripe.before = func(context.Context) { cancel() }
		_, err := w.checker(func(p *Params) { p.Concurrency = 1 }).CheckAll(cctx)
		if !errors.Is(err, domain.ErrCanceled) {
			t.Errorf("err = %v", err)
		}
		list, _ := w.db.ListConnections(ctx)
		for _, c := range list {
			if !c.StatusCheckedAt.IsZero() {
				t.Errorf("%s was saved by a canceled run", c.Name)
			}
		}
	})
}

// countingKeys counts the calls to its Keys.
type countingKeys struct {
	next  Keys
	calls atomic.Int64
}

func (k *countingKeys) Key(ctx context.Context, id string) (string, error) {
	k.calls.Add(1)
	return k.next.Key(ctx, id)
}

// failingSave is a store whose status writes fail for one connection.
type failingSave struct {
	Records
	id string
}

func (f failingSave) SetStatusIf(ctx context.Context, id string, seen store.StatusSeen, s domain.Status, reason domain.Kind, facts domain.Facts, at time.Time) (bool, error) {
	if id == f.id {
		return false, errors.New("disk full")
	}
	return f.Records.SetStatusIf(ctx, id, seen, s, reason, facts, at)
}
