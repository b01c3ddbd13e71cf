package ui

import (
	"strings"

	"fyne.io/fyne/v2"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Preference keys. The window keeps only layout choices there: never a
// secret, never an account's data.
const (
	prefLastPage     = "lastPage"
	prefWindowWidth  = "windowWidth"
	prefWindowHeight = "windowHeight"
)

// pageConnections is the Connections page's name in the preferences; a
// connection's page is "connection/<id>/<tab>".
const pageConnections = "connections"

// defaultSize is the window's size on the first run.
var defaultSize = fyne.NewSize(1100, 700)

func pageConnection(id, tab string) string { return "connection/" + id + "/" + tab }

// remember records the page on show, to reopen it on the next run.
func (u *UI) remember(page string) {
	if u.restoring != "" && page == pageConnections {
		return // the start-up page, not a choice: keep what to restore
	}
	u.p.App.Preferences().SetString(prefLastPage, page)
}

func (u *UI) lastPage() string {
	return u.p.App.Preferences().String(prefLastPage)
}

// restoreLastPage reopens the connection page the previous run ended on,
// once, if that connection still exists and nobody has moved on already.
func (u *UI) restoreLastPage(rows []domain.Connection) {
	page := u.restoring
	u.restoring = ""
	rest, ok := strings.CutPrefix(page, "connection/")
	if !ok || u.current != u.connections {
		return
	}
	id, tab, _ := strings.Cut(rest, "/")
	for _, c := range rows {
		if c.ID == id {
			u.showDetails(c)
			if d, ok := u.current.(*detailsPage); ok && tab != "" {
				d.showTab(tab)
			}
			return
		}
	}
}

// savedSize is the window size of the last run, or the default.
func (u *UI) savedSize() fyne.Size {
	prefs := u.p.App.Preferences()
	w := float32(prefs.FloatWithFallback(prefWindowWidth, float64(defaultSize.Width)))
	h := float32(prefs.FloatWithFallback(prefWindowHeight, float64(defaultSize.Height)))
	if w < 640 || h < 420 {
		return defaultSize
	}
	return fyne.NewSize(w, h)
}

// saveSize records the window's size as it closes.
func (u *UI) saveSize() {
	s := u.win.Canvas().Size()
	if s.Width < 640 || s.Height < 420 {
		return
	}
	prefs := u.p.App.Preferences()
	prefs.SetFloat(prefWindowWidth, float64(s.Width))
	prefs.SetFloat(prefWindowHeight, float64(s.Height))
}
