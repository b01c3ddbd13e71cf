package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
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
	face  *opentype.Font
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
		f.name, f.face = name, parseOrSans(res)
		f.cache = font.NewCache(font.Collection{{Font: font.Font{Typeface: chartTypeface}, Face: f.face}})
	}
	return text.Plain{Fonts: f.cache}
}

// standIns are what a label's character is drawn as when the font has no
// glyph for it: gonum draws nothing for a missing glyph, and Fyne's own
// font has no U+2212 MINUS SIGN, which Swedish amounts begin with.
var standIns = map[rune]rune{'\u2212': '-', '\u00a0': ' ', '\u202f': ' ', '\u2009': ' '}

// drawable is s with every character the font set by handler has no glyph
// for replaced by its stand-in (standIns), when it has one.
func (f *chartFonts) drawable(s string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.face == nil {
		return s
	}
	var buf sfnt.Buffer
	return strings.Map(func(r rune) rune {
		if alt, ok := standIns[r]; ok {
			if g, err := f.face.GlyphIndex(&buf, r); err != nil || g == 0 {
				return alt
			}
		}
		return r
	}, s)
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
