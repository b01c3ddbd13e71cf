package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// inEnglish makes the window speak English for the rest of the test and
// builds the page on show again in it (New built it in the system's
// language). The masters are drawn in English as written in en-US; on a
// computer whose region writes English otherwise (en-GB's "Sept") the test
// is skipped.
func inEnglish(t *testing.T, u *UI) {
	t.Helper()
	useLanguage(t, i18n.English)
	if l := i18n.FormatLocale(); l != "en-US" {
		t.Skipf("the masters are in en-US; this computer writes English as %s", l)
	}
	u.Go(u.current.Route())
}

// The render masters in testdata/ are the window's widget tree as Fyne's
// test driver draws it. After an intended change to the look, delete the
// master, run the test, check testdata/failed/… and move it into place.
func TestConnectionsPageRendersAsMastered(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{}, &fakeConnector{})
		inEnglish(t, u)
		loop.until(t, "the empty state shows", func() bool { return u.connectionsPage().body.Objects[0] == u.connectionsPage().empty })
		u.Window().Resize(fyne.NewSize(1100, 700))
		test.AssertRendersToMarkup(t, "connections_empty.xml", u.Window().Canvas())
	})
	t.Run("three connections of different statuses", func(t *testing.T) {
		u, loop := newTestUI(t, &fakeSource{rows: threeConnections()}, &fakeConnector{})
		inEnglish(t, u)
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
	inEnglish(t, u)
	u.p.Reports = &fakeReports{}
	u.p.Sync = &fakeSync{progress: halfway("conn_a")}
	u.openConnection(src.rows[0], "")
	d := u.current.(*detailsPage)
	loop.until(t, "the figures load", func() bool { return d.overview.cards[cardOpenInvoices].Text != "…" })
	u.Window().Resize(fyne.NewSize(1100, 700))
	test.AssertRendersToMarkup(t, "connection_overview.xml", u.Window().Canvas())
}
