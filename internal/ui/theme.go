package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// stripePurple is Stripe's brand colour ("blurple"), used for primary
// buttons so Connect with Stripe looks the way owners know it.
var stripePurple = color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0xff}

// Appearance is the owner's choice of light or dark; the default follows
// the system.
type Appearance string

const (
	AppearanceSystem Appearance = "system"
	AppearanceLight  Appearance = "light"
	AppearanceDark   Appearance = "dark"
)

// ledgerTheme is Fyne's default theme with Stripe's purple as the primary
// colour, in the system's light or dark variant unless the owner chose one.
type ledgerTheme struct {
	fyne.Theme
	appearance Appearance
}

// NewTheme returns the theme the app uses, following the system.
func NewTheme() fyne.Theme { return NewThemeFor(AppearanceSystem) }

// NewThemeFor returns the theme in the chosen appearance.
func NewThemeFor(a Appearance) fyne.Theme { return ledgerTheme{theme.DefaultTheme(), a} }

func (t ledgerTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.appearance {
	case AppearanceLight:
		v = theme.VariantLight
	case AppearanceDark:
		v = theme.VariantDark
	}
	switch name {
	case theme.ColorNamePrimary:
		return stripePurple
	case theme.ColorNameFocus:
		return color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0x60}
	case theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return color.NRGBA{R: 0xa5, G: 0xa0, B: 0xff, A: 0xff}
		}
		return stripePurple
	}
	return t.Theme.Color(name, v)
}
