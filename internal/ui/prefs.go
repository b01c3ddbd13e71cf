package ui

import (
	"fyne.io/fyne/v2"
)

// Preference keys. The window keeps only layout and language choices
// there: never a secret, never an account's data.
const (
	prefLastPage     = "lastPage"
	prefWindowWidth  = "windowWidth"
	prefWindowHeight = "windowHeight"
	prefTheme        = "theme"
	prefLanguage     = "language"
)

// defaultSize is the window's size on the first run.
var defaultSize = fyne.NewSize(1100, 700)

func (u *UI) lastPage() string {
	return u.p.App.Preferences().String(prefLastPage)
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

// savedAppearance is the owner's last choice, the system's by default.
func savedAppearance(a fyne.App) Appearance {
	switch ap := Appearance(a.Preferences().StringWithFallback(prefTheme, string(AppearanceSystem))); ap {
	case AppearanceLight, AppearanceDark:
		return ap
	}
	return AppearanceSystem
}
