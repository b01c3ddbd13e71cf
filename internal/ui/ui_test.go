package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestConnectionsPage(t *testing.T) {
	t.Run("a first-time user sees what to do", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{}, &fakeConnector{})
		loop.until(t, "the empty state shows", func() bool { return u.connectionsPage().body.Objects[0] == u.connectionsPage().empty })
		if !strings.Contains(test.RenderObjectToMarkup(u.connectionsPage().empty), "No data sources yet") {
			t.Error("empty state does not say there are no data sources yet")
		}
	})

	t.Run("shows every connection with its last known status", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{rows: threeConnections()}, &fakeConnector{})
		loop.until(t, "the table shows three rows", func() bool { return len(u.rows) == 3 })
		markup := test.RenderObjectToMarkup(u.connectionsPage().table.table)
		for _, want := range []string{"Acme Outdoor Goods", "Needs re-authentication", "Stripe · key", "acct_1Qx…h9Lm", "3 minutes ago", "never", "LIVE", "TEST"} {
			if !strings.Contains(markup, want) {
				t.Errorf("table does not show %q", want)
			}
		}
	})

	t.Run("says so when the connections can't be read", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{err: errBrokerDown}, &fakeConnector{})
		loop.until(t, "an error shows", func() bool {
			return strings.Contains(test.RenderObjectToMarkup(u.connectionsPage().body), "could not read your connections")
		})
	})
}

func TestConnectWithStripe(t *testing.T) {
	newConn := domain.Connection{ID: "conn_new", Provider: domain.ProviderStripe, Name: "Northwind Coffee",
		AccountID: "acct_1NwCoffee00001", AuthMethod: domain.AuthOAuth, Status: domain.StatusConnected, ConnectedAt: fixedNow}

	t.Run("tapping through to Connect with Stripe ends in Connection successful! at the top", func(t *testing.T) {
		src := &fakeSource{}
		conn := &fakeConnector{source: src, newConn: newConn}
		u, loop := newTestUI(t, src, conn)

		test.Tap(u.connectionsPage().add)
		add, ok := u.current.(*addSourcePage)
		if !ok {
			t.Fatalf("Add a Data Source opened %T", u.current)
		}
		test.Tap(add.stripe)
		if u.current.Route() != routeStripe {
			t.Fatalf("the Stripe tile opened %T", u.current)
		}
		test.Tap(u.stripePage().connect)
		if !u.stripePage().waiting.Visible() || !u.stripePage().connect.Disabled() {
			t.Error("while signing in, the page should wait with Connect disabled")
		}

		// The sign-in's end, not the list (a reload may list the new row
		// before the sign-in's result comes back).
		loop.until(t, "the sign-in ends", func() bool { return u.signIn.stop == nil && u.banner.Text() != "" })
		loop.until(t, "the table shows the new connection", func() bool { return len(u.rows) == 1 })
		if got := u.banner.Text(); !strings.HasPrefix(got, "Connection successful!") || !strings.Contains(got, "Northwind Coffee") {
			t.Errorf("banner says %q", got)
		}
		if u.current.Route() != routeConnections {
			t.Errorf("after connecting the window shows %T, want the Connections page", u.current)
		}
		if top := topObject(u); top != u.banner.root {
			t.Error("the message is not at the top of the window")
		}
	})

	t.Run("a failed sign-in says why and lets the person try again", func(t *testing.T) {
		src := &fakeSource{}
		conn := &fakeConnector{source: src, connect: func(context.Context) (domain.Connection, error) {
			return domain.Connection{}, errBrokerDown
		}}
		u, loop := newTestUI(t, src, conn)
		u.Go(routeStripe)
		test.Tap(u.stripePage().connect)
		loop.until(t, "the error shows", func() bool { return u.banner.Text() != "" })
		if got := u.banner.Text(); got != errorText(errBrokerDown) || !strings.Contains(got, "broker.example.com") {
			t.Errorf("banner says %q", got)
		}
		if u.stripePage().connect.Disabled() || u.stripePage().waiting.Visible() {
			t.Error("Connect with Stripe should be usable again")
		}
	})

	t.Run("Cancel stops a sign-in in progress", func(t *testing.T) {
		src := &fakeSource{}
		conn := &fakeConnector{source: src, connect: func(ctx context.Context) (domain.Connection, error) {
			<-ctx.Done()
			return domain.Connection{}, domain.ErrCanceled
		}}
		u, loop := newTestUI(t, src, conn)
		u.Go(routeStripe)
		test.Tap(u.stripePage().connect)
		test.Tap(u.stripePage().cancel)
		loop.until(t, "the page stops waiting", func() bool { return !u.stripePage().waiting.Visible() })
		if got := u.banner.Text(); !strings.Contains(got, "canceled") {
			t.Errorf("banner says %q", got)
		}
	})

	t.Run("without a sign-in service the page says why instead of showing a dead button", func(t *testing.T) {
		u, _ := newTestUI(t, &fakeSource{}, &fakeConnector{noBroker: true})
		u.Go(routeStripe)
		if u.stripePage().unavailable == nil || !strings.Contains(u.stripePage().unavailable.Text, "LEDGERLINE_BROKER_URL") {
			t.Fatal("the page does not explain that no sign-in service is set up")
		}
		for _, o := range test.LaidOutObjects(u.stripePage().root) {
			if o == u.stripePage().connect {
				t.Error("the page still shows the Connect with Stripe button")
			}
		}
	})

	t.Run("a second tap while signing in starts nothing", func(t *testing.T) {
		release := make(chan struct{})
		src := &fakeSource{}
		conn := &fakeConnector{source: src, connect: func(context.Context) (domain.Connection, error) {
			<-release
			return newConn, nil
		}}
		u, loop := newTestUI(t, src, conn)
		u.Go(routeStripe)
		u.stripePage().start()
		u.stripePage().start()
		close(release)
		loop.until(t, "the sign-in ends", func() bool { return u.signIn.stop == nil })
		if conn.connects != 1 {
			t.Errorf("%d sign-ins started, want 1", conn.connects)
		}
	})
}

func TestConnectWithAnAPIKey(t *testing.T) {
	newConn := domain.Connection{ID: "conn_key", Provider: domain.ProviderStripe, Name: "Pop-up shop",
		AccountID: "acct_1PopUp000001", AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: fixedNow}

	t.Run("a good key connects and says so at the top", func(t *testing.T) {
		src := &fakeSource{}
		conn := &fakeConnector{source: src, newConn: newConn}
		u, loop := newTestUI(t, src, conn)
		u.Go(routeStripe)
		test.Tap(u.stripePage().useKey)
		d := u.stripePage().keyDialog
		test.Type(d.entry, "rk_test_good")
		test.Tap(d.submit)
		// The sign-in's end, not the list (a reload may list the new row
		// before the sign-in's result comes back).
		loop.until(t, "the sign-in ends", func() bool { return u.signIn.stop == nil && u.banner.Text() != "" })
		loop.until(t, "the table shows the new connection", func() bool { return len(u.rows) == 1 })
		if got := u.banner.Text(); !strings.HasPrefix(got, "Connection successful!") {
			t.Errorf("banner says %q", got)
		}
		if d.entry.Text != "" {
			t.Error("the key stays in the entry after use")
		}
	})

	t.Run("a refused key keeps the dialog open with the reason", func(t *testing.T) {
		src := &fakeSource{}
		u, loop := newTestUI(t, src, &fakeConnector{source: src, newConn: newConn})
		u.Go(routeStripe)
		test.Tap(u.stripePage().useKey)
		d := u.stripePage().keyDialog
		test.Type(d.entry, "pk_test_oops")
		test.Tap(d.submit)
		loop.until(t, "the reason shows", func() bool { return d.problem.Visible() })
		if d.problem.Text != errorText(errBadKey) || !strings.Contains(d.problem.Text, "publishable") || d.submit.Disabled() {
			t.Errorf("problem %q, submit disabled %v", d.problem.Text, d.submit.Disabled())
		}
		if u.current.Route() != routeStripe {
			t.Error("left the Stripe page after a refused key")
		}
	})

	t.Run("a secret key connects with a warning beside the success", func(t *testing.T) {
		src := &fakeSource{}
		u, loop := newTestUI(t, src, &fakeConnector{source: src, newConn: newConn})
		u.Go(routeStripe)
		test.Tap(u.stripePage().useKey)
		test.Type(u.stripePage().keyDialog.entry, "sk_test_good")
		test.Tap(u.stripePage().keyDialog.submit)
		loop.until(t, "the banner shows", func() bool { return u.banner.Text() != "" })
		if !strings.Contains(u.banner.Text(), "This is a secret key, which can change anything") {
			t.Errorf("banner says %q", u.banner.Text())
		}
	})

	t.Run("without a sign-in service the key route is still offered", func(t *testing.T) {
		u, _ := newTestUI(t, &fakeSource{}, &fakeConnector{noBroker: true})
		u.Go(routeStripe)
		found := false
		for _, o := range test.LaidOutObjects(u.stripePage().root) {
			found = found || o == u.stripePage().useKey
		}
		if !found {
			t.Error("Use an API key instead is not on the page")
		}
	})

	t.Run("re-authenticating an API-key connection asks for a new key", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[2], "") // the API-key connection
		d := u.current.(*detailsPage)
		test.Tap(d.reauth)
		if u.keyDialog == nil {
			t.Fatal("no key dialog")
		}
		test.Type(u.keyDialog.entry, "rk_test_good")
		test.Tap(u.keyDialog.submit)
		loop.until(t, "the success shows", func() bool { return strings.HasPrefix(u.banner.Text(), "Connection successful!") })
		if len(conn.reauths) != 1 || conn.reauths[0] != "conn_c" {
			t.Errorf("re-authenticated %v", conn.reauths)
		}
	})
}

func TestConnectionDetails(t *testing.T) {
	t.Run("selecting a connection shows its details and actions", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		u.connectionsPage().table.table.Select(widget.TableCellID{Row: 1, Col: 2})
		d, ok := u.current.(*detailsPage)
		if !ok {
			t.Fatalf("selecting a row opened %T", u.current)
		}
		markup := test.RenderObjectToMarkup(d.root)
		for _, want := range []string{"acct_1NzXyZwVu7Qa", "Test", "Read-only", "Connect with Stripe (OAuth)", "Needs re-authentication",
			"Stripe no longer accepts", "Last checked", "Re-authenticate", "Disconnect"} {
			if !strings.Contains(markup, want) {
				t.Errorf("details do not show %q", want)
			}
		}
		if d.reauth.Importance != widget.HighImportance {
			t.Error("Re-authenticate should stand out for a connection that needs it")
		}
	})

	t.Run("Re-authenticate runs the sign-in for that connection", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[1], "")
		test.Tap(u.current.(*detailsPage).reauth)
		loop.until(t, "re-authentication ends", func() bool { return strings.HasPrefix(u.banner.Text(), "Connection successful!") })
		if len(conn.reauths) != 1 || conn.reauths[0] != "conn_b" {
			t.Errorf("re-authenticated %v, want [conn_b]", conn.reauths)
		}
	})

	t.Run("Disconnect asks first and keeps the data unless told otherwise", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		test.Tap(d.disconnect)
		if len(conn.disconnects) != 0 {
			t.Fatal("disconnected without asking")
		}
		if d.confirm == nil {
			t.Fatal("no confirmation dialog")
		}
		test.Tap(d.confirm)
		loop.until(t, "back on Connections", func() bool { return u.current.Route() == routeConnections })
		if len(conn.disconnects) != 1 || conn.disconnects[0] != "conn_a" || conn.deletedData[0] {
			t.Errorf("disconnects %v deleteData %v", conn.disconnects, conn.deletedData)
		}
		if !strings.Contains(u.banner.Text(), "disconnected") {
			t.Errorf("banner says %q", u.banner.Text())
		}
	})

	t.Run("a failed disconnect says why and stays on the page", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src, disconnectEr: errBrokerDown}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		test.Tap(d.disconnect)
		d.deleteData.SetChecked(true)
		test.Tap(d.confirm)
		loop.until(t, "the error shows", func() bool { return u.banner.Text() != "" })
		if u.current != d || d.disconnect.Disabled() {
			t.Error("should stay on the details page with Disconnect usable")
		}
		if !conn.deletedData[0] {
			t.Error("the delete-data choice was not passed on")
		}
	})

	// Issue 12: a failed revocation must keep everything and offer to try again.
	t.Run("a failed disconnect offers to try again, and trying again finishes it", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src, disconnectEr: errBrokerDown}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		test.Tap(d.disconnect)
		d.deleteData.SetChecked(true)
		test.Tap(d.confirm)
		loop.until(t, "the retry offer shows", func() bool { return d.retry != nil })
		if !strings.Contains(u.banner.Text(), "sign-in service") {
			t.Errorf("the banner says %q, want why", u.banner.Text())
		}
		conn.setDisconnect("", nil)
		test.Tap(d.retry)
		loop.until(t, "back on Connections", func() bool { return u.current.Route() == routeConnections })
		if len(conn.disconnects) != 2 || !conn.deletedData[1] {
			t.Errorf("disconnects %v, deleteData %v: the retry must keep the choice", conn.disconnects, conn.deletedData)
		}
		if !strings.Contains(u.banner.Text(), "is disconnected.") {
			t.Errorf("banner says %q", u.banner.Text())
		}
	})

	t.Run("a disconnect Stripe could not confirm says so and where to check", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		conn := &fakeConnector{source: src, disconnectAs: domain.KindDisconnectedUnconfirmed}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		test.Tap(d.disconnect)
		test.Tap(d.confirm)
		loop.until(t, "back on Connections", func() bool { return u.current.Route() == routeConnections })
		if txt := u.banner.Text(); !strings.Contains(txt, "could not confirm") || !strings.Contains(txt, "Installed apps") {
			t.Errorf("banner says %q", txt)
		}
	})
}

// topObject is the first object in the window's border layout: what sits
// at the top of the window.
func topObject(u *UI) fyne.CanvasObject {
	padded := u.win.Content().(*fyne.Container)
	border := padded.Objects[0].(*fyne.Container)
	top := border.Objects[1] // NewBorder puts content first, then top
	return top
}
