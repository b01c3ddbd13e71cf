package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
)

// chartTypeface names the window's text font in the charts' font cache.
const chartTypeface font.Typeface = "Window"

// chartFonts keeps a chart's gonum font cache of the theme's text font, so
// its axis labels are drawn in the font the rest of the window uses. It is
// parsed again only when the theme's font changes.
type chartFonts struct {
	mu    sync.Mutex
	name  string
	cache *font.Cache
}

// handler is a text handler drawing chartTypeface in res, the theme's text
// font; when res can't be parsed as a TrueType or OpenType font, in
// gonum's Liberation Sans instead, so a chart still has labels.
func (f *chartFonts) handler(res fyne.Resource) text.Handler {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := ""
	if res != nil {
		name = res.Name()
	}
	if f.cache == nil || f.name != name {
		f.name = name
		f.cache = font.NewCache(font.Collection{{Font: font.Font{Typeface: chartTypeface}, Face: parseOrSans(res)}})
	}
	return text.Plain{Fonts: f.cache}
}

// parseOrSans is res parsed, or Liberation Sans.
func parseOrSans(res fyne.Resource) *opentype.Font {
	if res != nil {
		if face, err := opentype.Parse(res.Content()); err == nil {
			return face
		}
	}
	for _, f := range liberation.Collection() {
		if f.Font.Variant == "Sans" && f.Font.Style == xfont.StyleNormal && f.Font.Weight == xfont.WeightNormal {
			return f.Face
		}
	}
	return liberation.Collection()[0].Face
}
