package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tile is a data-source card on the Add a Data Source page: a logo over a
// name. An enabled tile highlights under the mouse, takes keyboard focus
// and runs onTap on a click, Space or Return; a disabled one is greyed.
type tile struct {
	widget.DisableableWidget
	title   string
	logo    fyne.CanvasObject
	onTap   func()
	border  *canvas.Rectangle
	hovered bool
	focused bool
}

func newTile(title string, logo fyne.CanvasObject, onTap func()) *tile {
	t := &tile{title: title, logo: logo, onTap: onTap, border: canvas.NewRectangle(color.Transparent)}
	t.border.CornerRadius = theme.InputRadiusSize() * 2
	t.border.StrokeWidth = 1.5
	if onTap == nil {
		t.Disable()
	}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	label := widget.NewLabelWithStyle(t.title, fyne.TextAlignCenter, fyne.TextStyle{Bold: !t.Disabled()})
	body := container.NewVBox(container.NewCenter(t.logo), label)
	t.paintBorder()
	return widget.NewSimpleRenderer(container.NewStack(t.border, container.NewCenter(body)))
}

func (t *tile) MinSize() fyne.Size { return fyne.NewSize(160, 124) }

func (t *tile) paintBorder() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	switch {
	case t.Disabled():
		t.border.StrokeColor = theme.Current().Color(theme.ColorNameInputBorder, v)
		t.border.FillColor = theme.Current().Color(theme.ColorNameDisabledButton, v)
	case t.hovered || t.focused:
		t.border.StrokeColor = stripePurple
		t.border.FillColor = color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0x24}
	default:
		// The one source a person can pick stands out, as in the sketch.
		t.border.StrokeColor = stripePurple
		t.border.FillColor = color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0x0c}
	}
	t.border.Refresh()
}

// Tapped runs the tile's action.
func (t *tile) Tapped(*fyne.PointEvent) {
	if !t.Disabled() && t.onTap != nil {
		t.onTap()
	}
}

func (t *tile) MouseIn(*desktop.MouseEvent)    { t.hovered = true; t.paintBorder() }
func (t *tile) MouseMoved(*desktop.MouseEvent) {}
func (t *tile) MouseOut()                      { t.hovered = false; t.paintBorder() }

func (t *tile) FocusGained() { t.focused = true; t.paintBorder() }
func (t *tile) FocusLost()   { t.focused = false; t.paintBorder() }
func (t *tile) TypedRune(r rune) {
	if r == ' ' {
		t.Tapped(nil)
	}
}
func (t *tile) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
		t.Tapped(nil)
	}
}
