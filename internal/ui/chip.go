package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// chip is a small rounded label: a connection's status or its mode.
type chip struct {
	root *fyne.Container
	bg   *canvas.Rectangle
	text *canvas.Text
}

func newChip() *chip {
	c := &chip{bg: canvas.NewRectangle(color.Transparent), text: canvas.NewText("", color.Black)}
	c.bg.CornerRadius = 9
	c.text.TextSize = theme.CaptionTextSize() + 1
	c.text.TextStyle = fyne.TextStyle{Bold: true}
	pill := container.NewStack(c.bg, container.New(layout.NewCustomPaddedLayout(2, 2, 8, 8), c.text))
	// Centre vertically but keep the pill's own width.
	c.root = container.NewVBox(layout.NewSpacer(), container.NewHBox(pill), layout.NewSpacer())
	return c
}

// set shows text in the given tone.
func (c *chip) set(text string, t tone) {
	fg, bg := t.colors()
	c.text.Text, c.text.Color = text, fg
	c.bg.FillColor = bg
	c.text.Refresh()
	c.bg.Refresh()
}

// tone is a chip's colour family.
type tone int

const (
	toneGood tone = iota
	toneWarn
	toneBad
	toneMuted
)

func (t tone) colors() (fg, bg color.Color) {
	switch t {
	case toneGood:
		return color.NRGBA{R: 0x1a, G: 0x7f, B: 0x37, A: 0xff}, color.NRGBA{R: 0x1a, G: 0x7f, B: 0x37, A: 0x22}
	case toneWarn:
		return color.NRGBA{R: 0x9a, G: 0x67, B: 0x00, A: 0xff}, color.NRGBA{R: 0xd4, G: 0xa7, B: 0x2c, A: 0x30}
	case toneBad:
		return color.NRGBA{R: 0xcf, G: 0x22, B: 0x2e, A: 0xff}, color.NRGBA{R: 0xcf, G: 0x22, B: 0x2e, A: 0x22}
	default:
		return color.NRGBA{R: 0x6e, G: 0x77, B: 0x81, A: 0xff}, color.NRGBA{R: 0x6e, G: 0x77, B: 0x81, A: 0x22}
	}
}

// statusTone picks the chip colour a person expects for each status: green
// works, amber needs their action, red is broken, grey is switched off.
func statusTone(s domain.Status) tone {
	switch s {
	case domain.StatusConnected:
		return toneGood
	case domain.StatusNeedsReauth:
		return toneWarn
	case domain.StatusError:
		return toneBad
	default:
		return toneMuted
	}
}
