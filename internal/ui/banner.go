package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// bannerKind is what a message at the top of the window reports.
type bannerKind int

const (
	bannerSuccess bannerKind = iota
	bannerError
	bannerInfo
)

// banner is the message area at the top of the window: one message at a
// time, coloured by kind, closed with its ✕ button or replaced by the next.
// Its methods must run on the UI goroutine.
type banner struct {
	root  *fyne.Container
	bg    *canvas.Rectangle
	icon  *widget.Icon
	text  *widget.RichText
	close *widget.Button
}

func newBanner() *banner {
	b := &banner{
		bg:   canvas.NewRectangle(color.Transparent),
		icon: widget.NewIcon(nil),
		text: widget.NewRichText(),
	}
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.bg.StrokeWidth = 1
	b.text.Wrapping = fyne.TextWrapWord
	b.close = widget.NewButtonWithIcon("", theme.CancelIcon(), b.Hide)
	b.close.Importance = widget.LowImportance
	row := container.NewBorder(nil, nil, b.icon, b.close, b.text)
	b.root = container.NewStack(b.bg, container.NewPadded(row))
	b.root.Hide()
	return b
}

// Show replaces the current message. Bold segments of the message are
// given as separate parts: show(kind, "Connection successful! ", bold("Acme"), " is connected.").
func (b *banner) Show(kind bannerKind, parts ...widget.RichTextSegment) {
	var fill, stroke color.Color
	switch kind {
	case bannerSuccess:
		fill, stroke = color.NRGBA{R: 0x1a, G: 0x7f, B: 0x37, A: 0x26}, color.NRGBA{R: 0x1a, G: 0x7f, B: 0x37, A: 0x80}
		b.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	case bannerError:
		fill, stroke = color.NRGBA{R: 0xcf, G: 0x22, B: 0x2e, A: 0x22}, color.NRGBA{R: 0xcf, G: 0x22, B: 0x2e, A: 0x80}
		b.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	default:
		fill, stroke = color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0x1c}, color.NRGBA{R: 0x63, G: 0x5b, B: 0xff, A: 0x70}
		b.icon.SetResource(theme.InfoIcon())
	}
	b.bg.FillColor, b.bg.StrokeColor = fill, stroke
	b.bg.Refresh()
	b.text.Segments = parts
	b.text.Refresh()
	b.root.Show()
}

// Hide removes the message.
func (b *banner) Hide() { b.root.Hide() }

// Text returns the message as plain text (for tests and accessibility).
func (b *banner) Text() string {
	if !b.root.Visible() {
		return ""
	}
	return b.text.String()
}

// withBoldName is the catalog message key with its {{.Name}} in bold:
// "**Acme** is disconnected." as banner parts, in any word order.
func withBoldName(key, name string, args ...i18n.Args) []widget.RichTextSegment {
	const mark = "\x00"
	data := i18n.Args{}
	if len(args) > 0 {
		for k, v := range args[0] {
			data[k] = v
		}
	}
	data["Name"] = mark
	var out []widget.RichTextSegment
	for i, part := range strings.Split(i18n.T(key, data), mark) {
		if i > 0 {
			out = append(out, bold(name))
		}
		if part != "" {
			out = append(out, plain(part))
		}
	}
	return out
}

// plain and bold make banner message parts.
func plain(s string) widget.RichTextSegment { return &widget.TextSegment{Text: s, Style: inlineStyle} }
func bold(s string) widget.RichTextSegment {
	st := inlineStyle
	st.TextStyle = fyne.TextStyle{Bold: true}
	return &widget.TextSegment{Text: s, Style: st}
}

var inlineStyle = widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameText}
