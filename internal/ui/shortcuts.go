package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// shortcut is one keyboard shortcut of the window and what it does.
type shortcut struct {
	key  fyne.KeyName
	mod  fyne.KeyModifier
	help string
	run  func(u *UI)
}

// ctrl is Ctrl, or ⌘ on macOS.
const ctrl = fyne.KeyModifierShortcutDefault

// shortcuts are the window's keys for its main actions. Tab and Shift+Tab
// move between controls, Space or Enter presses the focused button, and
// the arrow keys move through a focused table (Space opens a row).
var shortcuts = []shortcut{
	{fyne.KeyN, ctrl, "Add a Data Source", func(u *UI) { u.showAddSource() }},
	{fyne.KeyLeft, fyne.KeyModifierAlt, "Back to Connections", func(u *UI) { u.showConnections() }},
	{fyne.KeyR, ctrl, "Update now (a connection's page) or Check status (Connections)", func(u *UI) { u.refreshShortcut() }},
	{fyne.KeyF, ctrl, "Search the table on show", func(u *UI) {
		if t := u.shownDataTab(); t != nil {
			u.win.Canvas().Focus(t.search)
		}
	}},
	{fyne.KeyE, ctrl, "Export the table on show to CSV", func(u *UI) {
		if t := u.shownDataTab(); t != nil {
			t.chooseExportFile()
		}
	}},
	{fyne.Key1, ctrl, "First tab of a connection's page", func(u *UI) { u.selectTab(0) }},
	{fyne.Key2, ctrl, "Second tab", func(u *UI) { u.selectTab(1) }},
	{fyne.Key3, ctrl, "Third tab", func(u *UI) { u.selectTab(2) }},
	{fyne.Key4, ctrl, "Fourth tab", func(u *UI) { u.selectTab(3) }},
	{fyne.Key5, ctrl, "Fifth tab", func(u *UI) { u.selectTab(4) }},
	{fyne.Key6, ctrl, "Sixth tab", func(u *UI) { u.selectTab(5) }},
	{fyne.Key7, ctrl, "Seventh tab", func(u *UI) { u.selectTab(6) }},
}

// addShortcuts binds the shortcuts to the window's canvas.
func (u *UI) addShortcuts() {
	for _, s := range shortcuts {
		key, mod := s.key, s.mod
		u.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) {
			u.runShortcut(key, mod)
		})
	}
}

// runShortcut does what key with mod is bound to; false when nothing is.
func (u *UI) runShortcut(key fyne.KeyName, mod fyne.KeyModifier) bool {
	if u.connections == nil {
		return false // the start-up error is on show
	}
	for _, s := range shortcuts {
		if s.key == key && s.mod == mod {
			s.run(u)
			return true
		}
	}
	return false
}

func (u *UI) refreshShortcut() {
	switch page := u.current.(type) {
	case *connectionsPage:
		u.checkNow()
	case *detailsPage:
		if u.p.Sync != nil && page.conn.Status != domain.StatusDisconnected {
			u.p.Sync.UpdateNow(page.conn.ID)
		}
	}
}

// shownDataTab is the data tab on show, nil on other pages and tabs.
func (u *UI) shownDataTab() *dataTab {
	page, ok := u.current.(*detailsPage)
	if !ok || page.tabs.Selected() == nil {
		return nil
	}
	for _, t := range page.data {
		if t.view.Title == page.tabs.Selected().Text {
			return t
		}
	}
	return nil
}

func (u *UI) selectTab(i int) {
	if page, ok := u.current.(*detailsPage); ok && i < len(page.tabs.Items) {
		page.showTab(page.tabs.Items[i].Text)
	}
}
