package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// notices records the desktop notifications the window sends.
type noticesLog struct {
	mu   sync.Mutex
	sent []string
}

func (n *noticesLog) notify(title, body string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent = append(n.sent, title+": "+body)
}

func (n *noticesLog) all() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.sent...)
}

func TestDesktopManners(t *testing.T) {
	t.Run("a notification says when a sync has copied everything, once", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		n := &noticesLog{}
		u.p.Notify = n.notify
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		running := halfway("conn_a")
		u.applyProgress(running)
		catchingUp := running // every type listed; the events are next
		catchingUp.Stage = syncer.StageCatchingUp
		for i := range catchingUp.Types {
			catchingUp.Types[i].Phase = syncer.PhaseReady
		}
		u.applyProgress(catchingUp)
		done := catchingUp
		done.Stage = syncer.StageFollowing
		u.applyProgress(done)
		u.applyProgress(done) // the same snapshot again (the page polls too)
		got := n.all()
		if len(got) != 1 || got[0] != "Acme Outdoor Goods is up to date: 520 objects are on this computer." {
			t.Errorf("notifications %q", got)
		}
	})

	t.Run("a connection added by another program is named in its notification", func(t *testing.T) {
		src := &fakeSource{}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		n := &noticesLog{}
		u.p.Notify = n.notify
		loop.until(t, "the empty list loads", func() bool { return u.connectionsPage().body.Objects[0] == u.connectionsPage().empty })
		src.add(threeConnections()[0]) // `ledgerline connect` in a terminal
		u.applyProgress(halfway("conn_a"))
		u.applyProgress(syncer.Progress{ConnectionID: "conn_a", Stage: syncer.StageFailed, Err: "stripe_unavailable", Failure: domain.E(domain.KindStripeDown, nil, domain.FactHTTPStatus, "503")})
		loop.until(t, "the notification", func() bool { return len(n.all()) == 1 })
		if got := n.all()[0]; got != "The sync of Acme Outdoor Goods stopped: Stripe is having problems right now (HTTP 503). Ledgerline will try again; you can also try again in a few minutes." {
			t.Errorf("notification %q", got)
		}
	})

	t.Run("the tray's Update all asks every connected account's sync to run", func(t *testing.T) {
		rows := threeConnections()
		rows[2].Status = domain.StatusDisconnected
		src := &fakeSource{rows: rows}
		fs := &fakeSync{}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Sync = fs
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		u.UpdateAll()
		loop.until(t, "the updates", func() bool {
			fs.mu.Lock()
			defer fs.mu.Unlock()
			return len(fs.updates) > 0
		})
		if got := strings.Join(fs.updates, ","); got != "conn_a,conn_b" {
			t.Errorf("Update all asked for %s (a disconnected one has nothing to update)", got)
		}
	})

	t.Run("a notification says when a sync stops with an error", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		n := &noticesLog{}
		u.p.Notify = n.notify
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		u.applyProgress(halfway("conn_a"))
		u.applyProgress(syncer.Progress{ConnectionID: "conn_a", Stage: syncer.StageFailed, Err: "stripe_unavailable", Failure: domain.E(domain.KindStripeDown, nil, domain.FactHTTPStatus, "503")})
		if got := n.all(); len(got) != 1 || got[0] != "The sync of Acme Outdoor Goods stopped: Stripe is having problems right now (HTTP 503). Ledgerline will try again; you can also try again in a few minutes." {
			t.Errorf("notifications %q", got)
		}
	})

	t.Run("a notification says when a connection comes to need re-authentication, not at start-up", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()} // conn_b already needs it
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		n := &noticesLog{}
		u.p.Notify = n.notify
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		if got := n.all(); len(got) != 0 {
			t.Fatalf("notified at start-up: %q", got)
		}
		src.mu.Lock()
		src.rows[0].Status = domain.StatusNeedsReauth
		src.mu.Unlock()
		u.reload()
		loop.until(t, "the new status", func() bool { return u.rows[0].Status == domain.StatusNeedsReauth })
		if got := n.all(); len(got) != 1 || got[0][:len("Acme Outdoor Goods needs re-authentication")] != "Acme Outdoor Goods needs re-authentication" {
			t.Errorf("notifications %q", got)
		}
	})

	t.Run("the window reopens on the last page and at the last size", func(t *testing.T) {
		a := test.NewTempApp(t)
		src := &fakeSource{rows: threeConnections()}
		loop := make(uiLoop, 16)
		open := func() *UI {
			u := New(Params{App: a, Services: Services{Connections: src, Connector: &fakeConnector{source: src}, Sync: &fakeSync{progress: halfway("conn_c")}},
				Now: func() time.Time { return fixedNow }, RunOnUI: loop.post})
			loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
			return u
		}
		first := open()
		first.openConnection(src.rows[2], "")
		first.current.(*detailsPage).selectTab(tabDetails)
		first.Window().Resize(fyne.NewSize(900, 640))
		first.saveSize()
		first.Window().Close()

		second := open()
		d, ok := second.current.(*detailsPage)
		if !ok || d.conn.ID != "conn_c" || d.selectedTab() != tabDetails {
			t.Fatalf("reopened on %T (%+v)", second.current, d)
		}
		if s := second.savedSize(); s != fyne.NewSize(900, 640) {
			t.Errorf("reopened at %v", s)
		}
		second.Go(routeConnections)
		second.Window().Close()
		third := open()
		if third.current.Route() != routeConnections {
			t.Errorf("going back to Connections should be remembered, reopened on %T", third.current)
		}
		third.Window().Close()
	})

	t.Run("keyboard shortcuts reach the main actions", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		fs := &fakeSync{progress: halfway("conn_a")}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Sync = fs
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		press := func(key fyne.KeyName, mod fyne.KeyModifier) {
			if !u.runShortcut(key, mod) {
				t.Fatalf("nothing is bound to %v+%s", mod, key)
			}
		}
		press(fyne.KeyN, ctrl)
		if _, ok := u.current.(*addSourcePage); !ok {
			t.Fatalf("Ctrl+N opened %T", u.current)
		}
		press(fyne.KeyLeft, fyne.KeyModifierAlt)
		if u.current.Route() != routeConnections {
			t.Fatalf("Alt+Left opened %T", u.current)
		}
		u.openConnection(src.rows[0], "")
		press(fyne.KeyR, ctrl)
		if len(fs.updates) != 1 {
			t.Errorf("Ctrl+R on a connection's page asked for %v", fs.updates)
		}
		press(fyne.Key0, ctrl)
		if sel := u.current.(*detailsPage).selectedTab(); sel != tabDetails {
			t.Errorf("Ctrl+0 selected %s", sel)
		}
	})

	t.Run("the appearance follows the system unless the owner picks light or dark, and is remembered", func(t *testing.T) {
		a := test.NewTempApp(t)
		src := &fakeSource{rows: threeConnections()}
		loop := make(uiLoop, 16)
		open := func() *UI {
			return New(Params{App: a, Services: Services{Connections: src, Connector: &fakeConnector{source: src}},
				Now: func() time.Time { return fixedNow }, RunOnUI: loop.post})
		}
		u := open()
		light := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
		dark := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark)
		if light == dark || !u.menu.themeItems[AppearanceSystem].Checked {
			t.Fatal("the default should follow the system's variant")
		}
		u.menu.themeItems[AppearanceDark].Action()
		if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
			t.Errorf("Dark chosen, a light system gets %v", got)
		}
		u.Window().Close()
		again := open()
		defer again.Window().Close()
		if !again.menu.themeItems[AppearanceDark].Checked {
			t.Error("the choice of Dark was not remembered")
		}
		if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
			t.Error("the remembered Dark was not applied")
		}
	})

	t.Run("Help lists the keyboard shortcuts", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, _ := newTestUI(t, src, &fakeConnector{source: src})
		u.showShortcuts()
		markup := test.RenderToMarkup(u.win.Canvas())
		for _, want := range []string{"Ctrl+N", "Add a Data Source…", "Ctrl+E", "Export CSV…", "Alt+Left", "Ctrl+0", "Details"} {
			if !strings.Contains(markup, want) {
				t.Errorf("the shortcuts dialog does not show %q", want)
			}
		}
	})
}
