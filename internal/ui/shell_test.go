package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

func TestTheShell(t *testing.T) {
	// newShellUI is the window over three connections with every service.
	newShellUI := func(t *testing.T) (*UI, uiLoop, *fakeSync, *fakeChecker) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		fs := &fakeSync{progress: halfway("conn_a")}
		fc := newFakeChecker()
		u.p.Sync, u.p.Reports, u.p.Status = fs, &fakeReports{}, fc
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		return u, loop, fs, fc
	}
	routes := []string{routeConnections, routeAddSource, routeStripe}
	for _, tab := range []string{tabOverview, tabSync, tabDetails} {
		routes = append(routes, routeConnection("conn_a", tab))
	}

	t.Run("every page opens, is left and is returned to, and its route is remembered", func(t *testing.T) {
		u, _, _, _ := newShellUI(t)
		for _, route := range routes {
			u.Go(route)
			first := u.current
			if got := first.Route(); got != route {
				t.Fatalf("going to %s shows %s", route, got)
			}
			if got := u.lastPage(); got != route {
				t.Errorf("on %s the remembered page is %q", route, got)
			}
			u.Go(routeConnections)
			u.Go(route)
			if u.current == first || u.current.Route() != route {
				t.Errorf("coming back to %s showed %s (a fresh page is built each time)", route, u.current.Route())
			}
		}
	})

	t.Run("a page that is left stops its work", func(t *testing.T) {
		u, _, _, _ := newShellUI(t)
		u.Go(routeConnection("conn_a", tabSync))
		d := u.current.(*detailsPage)
		if d.poll == nil || d.poll.Err() != nil {
			t.Fatal("the connection's page reads no progress while open")
		}
		u.Go(routeConnections)
		if d.poll.Err() == nil {
			t.Error("leaving the page did not stop its progress reads")
		}
	})

	t.Run("progress goes to the page on show, for its own connection only", func(t *testing.T) {
		u, _, _, _ := newShellUI(t)
		u.Go(routeConnection("conn_c", tabSync))
		d := u.current.(*detailsPage)
		u.applyProgress(halfway("conn_c"))
		before := d.sync.summary.Text
		u.applyProgress(finished("conn_a"))
		if d.sync.summary.Text != before {
			t.Errorf("conn_a's progress changed conn_c's page: %q", d.sync.summary.Text)
		}
		u.applyProgress(finished("conn_c"))
		if d.sync.summary.Text == before {
			t.Error("conn_c's own progress did not reach its page")
		}
	})

	t.Run("a shortcut does what it means on the page on show", func(t *testing.T) {
		u, loop, fs, fc := newShellUI(t)
		u.runShortcut(fyne.KeyR, ctrl)
		loop.until(t, "a status check is asked for", func() bool {
			fc.mu.Lock()
			defer fc.mu.Unlock()
			return fc.triggers == 1
		})
		if len(fs.updates) != 0 {
			t.Errorf("Ctrl+R on Connections updated %v", fs.updates)
		}
		u.Go(routeConnection("conn_a", tabOverview))
		u.runShortcut(fyne.KeyR, ctrl)
		if len(fs.updates) != 1 || fs.updates[0] != "conn_a" {
			t.Errorf("Ctrl+R on conn_a's page updated %v", fs.updates)
		}
		// Sync is the tab before the last (Details), whichever tabs the
		// page has: Ctrl+0, then Ctrl+Page Up.
		u.runShortcut(fyne.Key0, ctrl)
		u.runShortcut(fyne.KeyPageUp, ctrl)
		if got := u.current.(*detailsPage).selectedTab(); got != tabSync {
			t.Errorf("Ctrl+0, Ctrl+Page Up selected %s", got)
		}
		if got := u.lastPage(); got != routeConnection("conn_a", tabSync) {
			t.Errorf("the tab chosen by a shortcut is not remembered: %q", got)
		}
		u.Go(routeAddSource)
		if u.runShortcut(fyne.KeyR, ctrl); len(fs.updates) != 1 {
			t.Errorf("Ctrl+R on Add a Data Source updated %v", fs.updates)
		}
	})

	t.Run("a language switch rebuilds the page on show in the new words and keeps it", func(t *testing.T) {
		u, _, _, _ := newShellUI(t)
		t.Cleanup(func() { _ = i18n.Use(i18n.English) })
		u.Go(routeConnection("conn_b", tabDetails))
		u.menu.langItems[i18n.Swedish].Action()
		if got := u.current.Route(); got != routeConnection("conn_b", tabDetails) {
			t.Fatalf("after switching to Swedish the window shows %s", got)
		}
		markup := test.RenderToMarkup(u.win.Canvas())
		for _, want := range []string{"Detaljer", "Autentisera igen", "Koppla från", "Anslutningar", "Konto-ID"} {
			if !strings.Contains(markup, want) {
				t.Errorf("the Swedish page does not show %q", want)
			}
		}
		if got := u.menu.main.Items[0].Label; got != "Arkiv" {
			t.Errorf("the menu's first title is %q", got)
		}
		if !u.menu.langItems[i18n.Swedish].Checked || u.menu.langItems[i18n.English].Checked {
			t.Error("the menu does not tick Svenska")
		}
		if got := savedLanguage(u.p.App); got != i18n.Swedish {
			t.Errorf("the choice saved is %q", got)
		}
		u.menu.langItems[i18n.English].Action()
		if markup := test.RenderToMarkup(u.win.Canvas()); !strings.Contains(markup, "Re-authenticate") {
			t.Error("switching back to English left the page in Swedish")
		}
	})
}
