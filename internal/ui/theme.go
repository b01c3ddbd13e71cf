package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// stripePurple is Stripe's brand colour ("blurple"), used for primary
// buttons so Connect with Stripe looks the way owners know it.
var stripePurple = color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0xff}

// ledgerTheme is Fyne's default theme, following the system's light or
// dark variant, with Stripe's purple as the primary colour.
type ledgerTheme struct{ fyne.Theme }

// NewTheme returns the theme the app uses.
func NewTheme() fyne.Theme { return ledgerTheme{theme.DefaultTheme()} }

func (t ledgerTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
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
