package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/status"
)

// fakeChecker runs "checks" that answer with canned results: one run when
// Run starts and one per Trigger.
type fakeChecker struct {
	results  []status.Result
	trigger  chan struct{}
	mu       sync.Mutex
	triggers int
}

func newFakeChecker(rs ...status.Result) *fakeChecker {
	return &fakeChecker{results: rs, trigger: make(chan struct{}, 1)}
}

func (f *fakeChecker) Run(ctx context.Context, s status.Schedule) {
	s.OnResults(f.results)
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.trigger:
			s.OnResults(f.results)
		}
	}
}

func (f *fakeChecker) Trigger() {
	f.mu.Lock()
	f.triggers++
	f.mu.Unlock()
	select {
	case f.trigger <- struct{}{}:
	default:
	}
}

func TestLiveStatus(t *testing.T) {
	t.Run("a connection Stripe couldn't be reached for shows offline with its last check", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Status = newFakeChecker(status.Result{ID: "conn_a", Offline: true, Status: src.rows[0].Status})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		u.StartStatusChecks(ctx, time.Hour)
		loop.until(t, "the offline status shows", func() bool {
			return strings.Contains(test.RenderObjectToMarkup(u.connectionsPage().table.table), "Offline — last checked 2 minutes ago")
		})
	})

	t.Run("Check status runs a check now", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		checker := newFakeChecker()
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Status = checker
		u.connectionsPage().refresh.Show()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		u.StartStatusChecks(ctx, time.Hour)
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		test.Tap(u.connectionsPage().refresh)
		if !u.connectionsPage().refresh.Disabled() {
			t.Error("Check status should wait for the running check")
		}
		loop.until(t, "the check ends", func() bool { return !u.connectionsPage().refresh.Disabled() })
		if checker.triggers != 1 {
			t.Errorf("%d triggers, want 1", checker.triggers)
		}
	})

	t.Run("a connection that needs re-authentication has a Re-authenticate button in its row", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src}
		u, loop := newTestUI(t, src, conn)
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		buttons := visibleButtons(u.connectionsPage().table.table, "Re-authenticate")
		if len(buttons) != 1 {
			t.Fatalf("%d Re-authenticate buttons, want 1 (for the one connection that needs it)", len(buttons))
		}
		test.Tap(buttons[0])
		loop.until(t, "re-authentication ends", func() bool { return strings.HasPrefix(u.banner.Text(), "Connection successful!") })
		if len(conn.reauths) != 1 || conn.reauths[0] != "conn_b" {
			t.Errorf("re-authenticated %v, want [conn_b]", conn.reauths)
		}
	})
}

// visibleButtons walks o's tree, through containers and widget renderers,
// for visible buttons labelled text.
func visibleButtons(o fyne.CanvasObject, text string) []*widget.Button {
	if o == nil || !o.Visible() {
		return nil
	}
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return []*widget.Button{b}
	}
	var children []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		children = v.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	}
	var found []*widget.Button
	for _, c := range children {
		found = append(found, visibleButtons(c, text)...)
	}
	return found
}
