package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
)

// ctrl is Ctrl, or ⌘ on macOS.
const ctrl = fyne.KeyModifierShortcutDefault

// prefTheme keeps the owner's choice of appearance.
const prefTheme = "theme"

func keys(key fyne.KeyName, mod fyne.KeyModifier) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: mod}
}

// item is a menu item with an action and, when sc is set, its keyboard
// shortcut. Shortcuts live in the main menu because the window gives the
// menu first go at every key, before a focused search box takes it.
func item(label string, sc fyne.Shortcut, action func()) *fyne.MenuItem {
	i := fyne.NewMenuItem(label, action)
	i.Shortcut = sc
	return i
}

// buildMenu puts the main menu on the window: File (Add a Data Source,
// Export CSV, Quit), View (Connections, Update now, Search, the tabs, the
// appearance) and Help (the keyboard shortcuts, About). Tab and Shift+Tab
// move between controls, Space presses the focused button, and the arrow
// keys move through a focused table (Space opens its row).
func (u *UI) buildMenu() {
	u.themeItems = map[Appearance]*fyne.MenuItem{
		AppearanceSystem: fyne.NewMenuItem("Follow the system", func() { u.setAppearance(AppearanceSystem) }),
		AppearanceLight:  fyne.NewMenuItem("Light", func() { u.setAppearance(AppearanceLight) }),
		AppearanceDark:   fyne.NewMenuItem("Dark", func() { u.setAppearance(AppearanceDark) }),
	}
	appearance := fyne.NewMenuItem("Appearance", nil)
	appearance.ChildMenu = fyne.NewMenu("", u.themeItems[AppearanceSystem], u.themeItems[AppearanceLight], u.themeItems[AppearanceDark])

	tabs := fyne.NewMenuItem("Go to tab", nil)
	tabs.ChildMenu = fyne.NewMenu("")
	for i, title := range tabTitles() {
		tabs.ChildMenu.Items = append(tabs.ChildMenu.Items, item(title, keys(fyne.KeyName(fmt.Sprint(i+1)), ctrl), func() { u.selectTab(title) }))
	}

	u.menu = fyne.NewMainMenu(
		fyne.NewMenu("File",
			item("Add a Data Source…", keys(fyne.KeyN, ctrl), u.guarded(u.showAddSource)),
			item("Export CSV…", keys(fyne.KeyE, ctrl), u.guarded(func() {
				if t := u.shownDataTab(); t != nil {
					t.chooseExportFile()
				}
			})),
		),
		fyne.NewMenu("View",
			item("Connections", keys(fyne.KeyLeft, fyne.KeyModifierAlt), u.guarded(u.showConnections)),
			item("Update now / Check status", keys(fyne.KeyR, ctrl), u.guarded(u.refreshShortcut)),
			item("Search", keys(fyne.KeyF, ctrl), u.guarded(func() {
				if t := u.shownDataTab(); t != nil {
					u.win.Canvas().Focus(t.search)
				}
			})),
			tabs,
			fyne.NewMenuItemSeparator(),
			appearance,
		),
		fyne.NewMenu("Help",
			fyne.NewMenuItem("Keyboard shortcuts", u.showShortcuts),
			fyne.NewMenuItem("About Ledgerline", u.showAbout),
		),
	)
	u.win.SetMainMenu(u.menu)
	u.markAppearance(savedAppearance(u.p.App))
}

// savedAppearance is the owner's last choice, the system's by default.
func savedAppearance(a fyne.App) Appearance {
	switch ap := Appearance(a.Preferences().StringWithFallback(prefTheme, string(AppearanceSystem))); ap {
	case AppearanceLight, AppearanceDark:
		return ap
	}
	return AppearanceSystem
}

// tabTitles are a connection page's tabs in order, for Ctrl+1…7.
func tabTitles() []string {
	out := []string{tabOverview}
	for _, v := range browse.Views() {
		out = append(out, v.Title)
	}
	return append(out, tabSync, tabDetails)
}

// guarded runs fn unless the start-up error is on show.
func (u *UI) guarded(fn func()) func() {
	return func() {
		if u.connections != nil {
			fn()
		}
	}
}

// runShortcut does what the menu binds key with mod to, as the window
// does with a key press; false when nothing is bound to it.
func (u *UI) runShortcut(key fyne.KeyName, mod fyne.KeyModifier) bool {
	name := keys(key, mod).ShortcutName()
	var find func(m *fyne.Menu) bool
	find = func(m *fyne.Menu) bool {
		for _, i := range m.Items {
			if i.Shortcut != nil && i.Shortcut.ShortcutName() == name && i.Action != nil {
				i.Action()
				return true
			}
			if i.ChildMenu != nil && find(i.ChildMenu) {
				return true
			}
		}
		return false
	}
	for _, m := range u.menu.Items {
		if find(m) {
			return true
		}
	}
	return false
}

// setAppearance applies and remembers light, dark or the system's choice.
func (u *UI) setAppearance(a Appearance) {
	if _, ok := u.themeItems[a]; !ok {
		a = AppearanceSystem
	}
	u.p.App.Settings().SetTheme(NewThemeFor(a))
	u.p.App.Preferences().SetString(prefTheme, string(a))
	u.markAppearance(a)
}

// markAppearance ticks the menu's choice a.
func (u *UI) markAppearance(a Appearance) {
	for k, i := range u.themeItems {
		i.Checked = k == a
	}
	u.menu.Refresh()
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

func (u *UI) selectTab(title string) {
	if page, ok := u.current.(*detailsPage); ok {
		page.showTab(title)
	}
}

// showShortcuts lists the keyboard shortcuts the menu binds.
func (u *UI) showShortcuts() {
	grid := container.New(layoutForm())
	var walk func(m *fyne.Menu)
	walk = func(m *fyne.Menu) {
		for _, i := range m.Items {
			if i.Shortcut != nil {
				grid.Add(widget.NewLabelWithStyle(shortcutText(i.Shortcut), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
				grid.Add(widget.NewLabel(i.Label))
			}
			if i.ChildMenu != nil {
				walk(i.ChildMenu)
			}
		}
	}
	for _, m := range u.menu.Items {
		walk(m)
	}
	more := wrapped("Tab and Shift+Tab move between controls; Space presses the focused button; " +
		"the arrow keys move through a focused table, and Space opens the row.")
	dialog.ShowCustom("Keyboard shortcuts", "Close", container.NewVBox(grid, more), u.win)
}

// shortcutText words a shortcut as "Ctrl+N".
func shortcutText(s fyne.Shortcut) string {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return s.ShortcutName()
	}
	var parts []string
	if cs.Modifier&fyne.KeyModifierShortcutDefault != 0 {
		parts = append(parts, modifierName())
	}
	if cs.Modifier&fyne.KeyModifierAlt != 0 {
		parts = append(parts, "Alt")
	}
	key := string(cs.KeyName)
	if cs.KeyName == fyne.KeyLeft {
		key = "Left"
	}
	return strings.Join(append(parts, key), "+")
}

func (u *UI) showAbout() {
	meta := u.p.App.Metadata()
	version := meta.Version
	if version == "" {
		version = "development build"
	}
	dialog.ShowInformation("About Ledgerline",
		"Ledgerline "+version+"\nYour Stripe payments and invoices, kept on your own computer.", u.win)
}
