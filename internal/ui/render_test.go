package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// The render masters in testdata/ are the window's widget tree as Fyne's
// test driver draws it. After an intended change to the look, delete the
// master, run the test, check testdata/failed/… and move it into place.
func TestConnectionsPageRendersAsMastered(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{}, &fakeConnector{})
		useLanguage(t, i18n.English)
		loop.until(t, "the empty state shows", func() bool { return u.connectionsPage().body.Objects[0] == u.connectionsPage().empty })
		u.Window().Resize(fyne.NewSize(1100, 700))
		test.AssertRendersToMarkup(t, "connections_empty.xml", u.Window().Canvas())
	})
	t.Run("three connections of different statuses", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{rows: threeConnections()}, &fakeConnector{})
		useLanguage(t, i18n.English)
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		u.Window().Resize(fyne.NewSize(1100, 700))
		test.AssertRendersToMarkup(t, "connections_three.xml", u.Window().Canvas())
	})
}

// The connection page opens on its overview: cards per figure and the
// revenue chart, under the connection's name, status and actions.
func TestConnectionOverviewRendersAsMastered(t *testing.T) {
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	useLanguage(t, i18n.English)
	u.p.Reports = &fakeReports{}
	u.p.Sync = &fakeSync{progress: halfway("conn_a")}
	u.openConnection(src.rows[0], "")
	d := u.current.(*detailsPage)
	loop.until(t, "the figures load", func() bool { return d.overview.cards[cardOpenInvoices].Text != "…" })
	u.Window().Resize(fyne.NewSize(1100, 700))
	test.AssertRendersToMarkup(t, "connection_overview.xml", u.Window().Canvas())
}
