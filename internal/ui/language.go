package ui

import (
	"fyne.io/fyne/v2"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// savedLanguage is the owner's choice of language: the system's unless
// they picked one in View › Language.
func savedLanguage(a fyne.App) i18n.Language {
	return i18n.Parse(a.Preferences().String(prefLanguage))
}

// applyLanguage makes the catalog answer in l. The catalog is embedded,
// so it can only fail on a broken build, which the i18n tests catch.
func applyLanguage(l i18n.Language) {
	if err := i18n.Use(l); err != nil {
		fyne.LogError("applying the language", err)
	}
}

// setLanguage switches the window to l at once and remembers it: the
// title, footer, menu and tray are made again in l, and the page on show is
// rebuilt from its route, so the owner stays where they were.
func (u *UI) setLanguage(l i18n.Language) {
	u.p.App.Preferences().SetString(prefLanguage, string(l))
	applyLanguage(l)
	u.relabel()
}

// relabel builds every word on screen again in the catalog's language:
// the title, footer, menu and tray, and the page on show (from its route).
func (u *UI) relabel() {
	u.win.SetTitle(u.title())
	if u.p.Sandbox {
		u.buildFooter()
	}
	if u.p.StartupError != nil {
		u.showStartupError(u.p.StartupError)
		return
	}
	u.buildMenu()
	if u.current != nil {
		u.Go(u.current.Route())
	}
}
