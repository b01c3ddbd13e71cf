package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// ctrl is Ctrl, or ⌘ on macOS.
const ctrl = fyne.KeyModifierShortcutDefault

// menuState is the main menu and the items whose ticks change.
type menuState struct {
	main       *fyne.MainMenu
	themeItems map[Appearance]*fyne.MenuItem
	langItems  map[i18n.Language]*fyne.MenuItem
}

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

// buildMenu puts the main menu on the window (and the tray's): File (Add
// a Data Source, Export CSV), View (Connections, Update now, Search, the
// tabs, the appearance, the language) and Help (the keyboard shortcuts,
// About). Tab and Shift+Tab move between controls, Space presses the
// focused button, and the arrow keys move through a focused table (Space
// opens its row). It is built again when the language changes.
func (u *UI) buildMenu() {
	m := &menuState{themeItems: map[Appearance]*fyne.MenuItem{}, langItems: map[i18n.Language]*fyne.MenuItem{}}
	for _, a := range []Appearance{AppearanceSystem, AppearanceLight, AppearanceDark} {
		m.themeItems[a] = fyne.NewMenuItem(i18n.T("menu.appearance."+string(a)), func() { u.setAppearance(a) })
	}
	appearance := fyne.NewMenuItem(i18n.T("menu.appearance"), nil)
	appearance.ChildMenu = fyne.NewMenu("", m.themeItems[AppearanceSystem], m.themeItems[AppearanceLight], m.themeItems[AppearanceDark])

	languages := fyne.NewMenuItem(i18n.T("menu.language"), nil)
	languages.ChildMenu = fyne.NewMenu("")
	m.langItems[i18n.System] = fyne.NewMenuItem(i18n.T("menu.language.system"), func() { u.setLanguage(i18n.System) })
	languages.ChildMenu.Items = append(languages.ChildMenu.Items, m.langItems[i18n.System], fyne.NewMenuItemSeparator())
	for _, l := range i18n.Languages() {
		m.langItems[l] = fyne.NewMenuItem(l.Name(), func() { u.setLanguage(l) })
		languages.ChildMenu.Items = append(languages.ChildMenu.Items, m.langItems[l])
	}

	tabs := fyne.NewMenuItem(i18n.T("menu.go_to_tab"), nil)
	tabs.ChildMenu = fyne.NewMenu("")
	titles := tabTitles()
	for i, title := range titles {
		tabs.ChildMenu.Items = append(tabs.ChildMenu.Items, item(title, tabShortcut(i, len(titles)), u.pageAction(Action{Kind: ActionTab, Tab: i})))
	}
	tabs.ChildMenu.Items = append(tabs.ChildMenu.Items, fyne.NewMenuItemSeparator(),
		item(i18n.T("menu.next_tab"), keys(fyne.KeyPageDown, ctrl), u.pageAction(Action{Kind: ActionTabStep, Tab: 1})),
		item(i18n.T("menu.previous_tab"), keys(fyne.KeyPageUp, ctrl), u.pageAction(Action{Kind: ActionTabStep, Tab: -1})))

	m.main = fyne.NewMainMenu(
		u.fileMenu(),
		fyne.NewMenu(i18n.T("menu.view"),
			item(i18n.T("menu.connections"), keys(fyne.KeyLeft, fyne.KeyModifierAlt), u.guarded(func() { u.Go(routeConnections) })),
			item(i18n.T("menu.refresh"), keys(fyne.KeyR, ctrl), u.pageAction(Action{Kind: ActionRefresh})),
			item(i18n.T("menu.search"), keys(fyne.KeyF, ctrl), u.pageAction(Action{Kind: ActionSearch})),
			tabs,
			fyne.NewMenuItemSeparator(),
			appearance,
			languages,
		),
		u.helpMenu(),
	)
	u.menu = m
	u.win.SetMainMenu(m.main)
	u.markAppearance(savedAppearance(u.p.App))
	u.markLanguage(savedLanguage(u.p.App))
	if u.p.Tray != nil {
		u.p.Tray(fyne.NewMenu(i18n.T("window.title"),
			fyne.NewMenuItem(i18n.T("tray.update_all"), u.UpdateAll),
			fyne.NewMenuItem(i18n.T("tray.open"), u.ShowWindow),
		))
	}
}

// fileMenu is File: Add a Data Source, Export CSV and, when there is a
// database to back up, Back Up the Database… and Automatic Backups….
func (u *UI) fileMenu() *fyne.Menu {
	file := fyne.NewMenu(i18n.T("menu.file"),
		item(i18n.T("menu.add_source"), keys(fyne.KeyN, ctrl), u.guarded(func() { u.Go(routeAddSource) })),
		item(i18n.T("menu.export"), keys(fyne.KeyE, ctrl), u.pageAction(Action{Kind: ActionExport})),
	)
	if u.p.Backups != nil {
		file.Items = append(file.Items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(i18n.T("menu.backup"), u.guarded(u.chooseBackupFile)),
			fyne.NewMenuItem(i18n.T("menu.backup_auto"), u.guarded(u.showAutomaticBackups)))
	}
	return file
}

// helpMenu is Help: the keyboard shortcuts, Check the Database… (when
// there is one to check) and About.
func (u *UI) helpMenu() *fyne.Menu {
	help := fyne.NewMenu(i18n.T("menu.help"), fyne.NewMenuItem(i18n.T("menu.shortcuts"), u.showShortcuts))
	if u.p.Database != nil {
		help.Items = append(help.Items, fyne.NewMenuItem(i18n.T("menu.check_database"),
			u.guarded(func() { u.CheckDatabase(false, nil) })))
	}
	help.Items = append(help.Items, fyne.NewMenuItem(i18n.T("menu.about"), u.showAbout))
	return help
}

// tabShortcut is the shortcut of tab i of n: Ctrl+1 … Ctrl+9 for the
// first nine, Ctrl+0 for the last (Details); the tabs between have none
// and are reached with Ctrl+Page Down and Ctrl+Page Up, or the menu.
func tabShortcut(i, n int) fyne.Shortcut {
	switch {
	case i < 9:
		return keys(fyne.KeyName(string(rune('1'+i))), ctrl)
	case i == n-1:
		return keys(fyne.Key0, ctrl)
	}
	return nil
}

// tabTitles are a connection page's tab titles in order, for Ctrl+1….
func tabTitles() []string {
	names := connectionTabNames()
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = tabTitle(n)
	}
	return out
}

// guarded runs fn unless the start-up error is on show.
func (u *UI) guarded(fn func()) func() {
	return func() {
		if u.p.StartupError == nil {
			fn()
		}
	}
}

// pageAction hands a shortcut to the page on show.
func (u *UI) pageAction(a Action) func() {
	return u.guarded(func() {
		if u.current != nil {
			u.current.Shortcut(a)
		}
	})
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
	for _, m := range u.menu.main.Items {
		if find(m) {
			return true
		}
	}
	return false
}

// setAppearance applies and remembers light, dark or the system's choice.
func (u *UI) setAppearance(a Appearance) {
	if _, ok := u.menu.themeItems[a]; !ok {
		a = AppearanceSystem
	}
	u.p.App.Settings().SetTheme(NewThemeFor(a))
	u.p.App.Preferences().SetString(prefTheme, string(a))
	u.markAppearance(a)
}

// markAppearance ticks the menu's choice a.
func (u *UI) markAppearance(a Appearance) {
	for k, i := range u.menu.themeItems {
		i.Checked = k == a
	}
	u.menu.main.Refresh()
}

// markLanguage ticks the menu's choice l.
func (u *UI) markLanguage(l i18n.Language) {
	for k, i := range u.menu.langItems {
		i.Checked = k == l
	}
	u.menu.main.Refresh()
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
	for _, m := range u.menu.main.Items {
		walk(m)
	}
	more := wrapped(i18n.T("shortcuts.more"))
	dialog.ShowCustom(i18n.T("shortcuts.title"), i18n.T("dialog.close"), container.NewVBox(grid, more), u.win)
}

// shortcutText words a shortcut as "Ctrl+N" ("Alt+Vänsterpil" in Swedish).
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
	switch cs.KeyName {
	case fyne.KeyLeft:
		key = i18n.T("key.left")
	case fyne.KeyPageDown:
		key = i18n.T("key.page_down")
	case fyne.KeyPageUp:
		key = i18n.T("key.page_up")
	}
	return strings.Join(append(parts, key), "+")
}

func (u *UI) showAbout() {
	version := u.p.App.Metadata().Version
	if version == "" {
		version = i18n.T("about.development_build")
	}
	dialog.ShowInformation(i18n.T("about.title"), i18n.T("about.body", i18n.Args{"Version": version}), u.win)
}
