package ui

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font/sfnt"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// month2026 is the first instant of a 2026 month, UTC.
func month2026(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }

// Three months of a hand-worked SEK account: in September one subscriber
// starts at 299 kr; in October a second starts at 1 000 kr and the first
// upgrades to 399 kr (+100 kr); in November the first leaves (−399 kr), the
// second downgrades to 800 kr (−200 kr) and a third comes back at 150 kr.
func handWorkedMRR() []reports.MonthMRR {
	return []reports.MonthMRR{
		{Month: month2026(time.September), MRR: reports.Money{"sek": 29900}, New: reports.Money{"sek": 29900}},
		{Month: month2026(time.October), MRR: reports.Money{"sek": 139900}, New: reports.Money{"sek": 100000},
			Expansion: reports.Money{"sek": 10000}},
		{Month: month2026(time.November), MRR: reports.Money{"sek": 95000}, Churn: reports.Money{"sek": 39900},
			Contraction: reports.Money{"sek": 20000}, Reactivation: reports.Money{"sek": 15000}},
	}
}

func TestChartsCarryTheReportsFigures(t *testing.T) {
	useLanguage(t, i18n.English)
	t.Run("MRR as a line, its movements as bars with churn and contraction below zero", func(t *testing.T) {
		months := handWorkedMRR()
		mrr := mrrChart(months, "sek")
		if mrr.Kind != chartLine || len(mrr.Series) != 1 || !slices.Equal(mrr.Series[0].Values, []int64{29900, 139900, 95000}) {
			t.Errorf("MRR chart %+v", mrr)
		}
		moves := movementsChart(months, "sek")
		want := map[string][]int64{
			"New": {29900, 100000, 0}, "Expansion": {0, 10000, 0}, "Reactivation": {0, 0, 15000},
			"Contraction": {0, 0, -20000}, "Churn": {0, 0, -39900},
		}
		if moves.Kind != chartStacked || len(moves.Series) != len(want) {
			t.Fatalf("movements chart %+v", moves)
		}
		for _, s := range moves.Series {
			if !slices.Equal(s.Values, want[s.Name]) {
				t.Errorf("%s: %v, want %v", s.Name, s.Values, want[s.Name])
			}
		}
		// Each month's movements add up to MRR's change: 29 900 from
		// nothing, +110 000, then 150 − 200 − 399 = −449 kr.
		prev := int64(0)
		for i, m := range months {
			var sum int64
			for _, s := range moves.Series {
				sum += s.Values[i]
			}
			if sum != m.MRR["sek"]-prev {
				t.Errorf("%s: movements add up to %d, MRR moved %d", m.Month.Format("Jan"), sum, m.MRR["sek"]-prev)
			}
			prev = m.MRR["sek"]
		}
		// The bars reach from −599 kr (November's churn and contraction) up
		// to 1 100 kr (October's new and expansion).
		if lo, hi := moves.valueRange(); lo != -59900 || hi != 110000 {
			t.Errorf("range %d…%d", lo, hi)
		}
	})
	t.Run("gross against net in the settlement currency", func(t *testing.T) {
		months := []reports.MonthMoney{
			{Month: month2026(time.October), Settlement: map[string]reports.MonthSettlement{"usd": {Gross: 20000, Fees: 610, Net: 19390}}},
			{Month: month2026(time.November), Settlement: map[string]reports.MonthSettlement{
				"usd": {Gross: 29900, Refunds: 6400, Disputes: 7000, Fees: 3545, Net: 12955}, "gbp": {Gross: 3000, Fees: 100, Net: 2900}}},
		}
		if got := settlementCurrencies(months); !slices.Equal(got, []string{"gbp", "usd"}) {
			t.Errorf("currencies %v", got)
		}
		d := grossNetChart(months, "usd")
		if d.Kind != chartLine || d.Series[0].Name != "Gross volume" || d.Series[1].Name != "Net volume" ||
			!slices.Equal(d.Series[0].Values, []int64{20000, 29900}) || !slices.Equal(d.Series[1].Values, []int64{19390, 12955}) {
			t.Errorf("gross and net %+v", d)
		}
		if gbp := grossNetChart(months, "gbp"); !slices.Equal(gbp.Series[1].Values, []int64{0, 2900}) {
			t.Errorf("gbp %+v", gbp)
		}
	})
	t.Run("the axis counts in round amounts", func(t *testing.T) {
		for _, c := range []struct {
			span float64
			want float64
		}{{600, 100}, {1500, 250}, {110000 + 59900, 50000}, {3, 1}, {1_000_000, 200_000}} {
			if got := niceStep(c.span); got != c.want {
				t.Errorf("niceStep(%v) = %v, want %v", c.span, got, c.want)
			}
		}
		ticks := moneyTicks{cur: "sek", f: formatter(), drawable: func(s string) string { return s }}.Ticks(-64692, 118800)
		var labels []string
		for _, tk := range ticks {
			labels = append(labels, tk.Label)
		}
		if got := strings.Join(labels, " | "); got != "-SEK\u00a0500 | SEK\u00a00 | SEK\u00a0500 | SEK\u00a01,000" {
			t.Errorf("the amounts' axis reads %q", got)
		}
	})
}

// chartInWindow shows d alone in a w×h window in appearance a.
func chartInWindow(t *testing.T, d chartData, a Appearance, w, h float32) *chart {
	t.Helper()
	app := test.NewTempApp(t)
	app.Settings().SetTheme(NewThemeFor(a))
	c := newChart(d)
	win := test.NewWindow(c)
	t.Cleanup(win.Close)
	win.Resize(fyne.NewSize(w, h))
	c.Resize(fyne.NewSize(w, h))
	return c
}

// plotImage draws c's plot as the window's raster would at scale 1.
func plotImage(c *chart) image.Image {
	size := c.plotSize()
	return c.CreateRenderer().(*chartRenderer).draw(int(size.Width), int(size.Height))
}

// nrgba is a pixel without premultiplied alpha.
func nrgba(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// near reports whether two colours' channels differ by at most d each.
func near(a, b color.NRGBA, d int) bool {
	diff := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return diff(a.R, b.R) <= d && diff(a.G, b.G) <= d && diff(a.B, b.B) <= d
}

// The pointer's month is found by where the bar was really drawn: the
// columns of the image in the bar's colour.
func TestTheValueUnderThePointer(t *testing.T) {
	useLanguage(t, i18n.English)
	// Four months of revenue, only October's: 1 299 kr.
	months := []reports.MonthRevenue{{Month: month2026(time.August), Gross: reports.Money{}},
		{Month: month2026(time.September), Gross: reports.Money{}},
		{Month: month2026(time.October), Gross: reports.Money{"sek": 129900}},
		{Month: month2026(time.November), Gross: reports.Money{}}}
	c := chartInWindow(t, revenueChart(months, "sek"), AppearanceLight, 800, 300)
	img := plotImage(c)
	purple := color.NRGBAModel.Convert(stripePurple).(color.NRGBA)
	left, right, rows := -1, -1, 0
	for x := 0; x < img.Bounds().Dx(); x++ {
		for y := 0; y < img.Bounds().Dy(); y++ {
			if p := nrgba(img, x, y); p.A == 0xff && near(p, purple, 2) {
				if left < 0 {
					left = x
				}
				right = x
				rows++
			}
		}
	}
	if left < 0 || rows < 100 {
		t.Fatalf("no bar in the image (%d pixels)", rows)
	}
	// The bar is 60 % of its month's slot: the four slots span about
	// 4 × width ÷ 0.6 pixels, so the bar stands in the third quarter of it.
	slot := float32(right-left+1) / barShare
	bar := fyne.NewPos(float32(left+right)/2, c.plotSize().Height/2)
	c.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: bar}})
	if got := tipText(c); got != "Oct 2026 | Gross volume: SEK\u00a01,299.00" {
		t.Errorf("over the bar the box reads %q", got)
	}
	if !c.band.Visible() || c.band.Position().X > bar.X || c.band.Position().X+c.band.Size().Width < bar.X {
		t.Errorf("the band at %v, %v does not cover the bar at x %v", c.band.Position(), c.band.Size(), bar.X)
	}
	c.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: bar.SubtractXY(slot, 0)}})
	if got := tipText(c); got != "Sep 2026 | Gross volume: SEK\u00a00.00" {
		t.Errorf("a month to the left the box reads %q", got)
	}
	c.Tapped(&fyne.PointEvent{Position: bar.AddXY(slot, 0)})
	if got := tipText(c); got != "Nov 2026 | Gross volume: SEK\u00a00.00" {
		t.Errorf("a tap a month to the right shows %q", got)
	}
	c.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(2, 2)}})
	if c.tipBox.Visible() || c.band.Visible() {
		t.Error("left of the months, the box still shows")
	}
	c.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: bar}})
	c.MouseOut()
	if c.tipBox.Visible() || tipText(c) != "" {
		t.Error("the box stays after the pointer left")
	}
	// The box stays inside the chart near its right edge.
	c.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(c.Size().Width-5, 50)}})
	if c.tipBox.Position().X+c.tipBox.Size().Width > c.Size().Width || c.tipBox.Position().X < 0 {
		t.Errorf("the box at %v, %v leaves the chart of width %v", c.tipBox.Position(), c.tipBox.Size(), c.Size().Width)
	}
}

// tipText is the box's lines on show, joined with " | ".
func tipText(c *chart) string {
	var lines []string
	for _, t := range c.tipText {
		if t.Visible() {
			lines = append(lines, t.Text)
		}
	}
	return strings.Join(lines, " | ")
}

func TestChartsInLightAndDark(t *testing.T) {
	useLanguage(t, i18n.English)
	d := movementsChart(handWorkedMRR(), "sek")
	colours := map[Appearance]map[color.NRGBA]int{}
	fg := map[Appearance]color.NRGBA{}
	for _, a := range []Appearance{AppearanceLight, AppearanceDark} {
		c := chartInWindow(t, d, a, 700, 280)
		img := plotImage(c)
		variant := theme.VariantLight
		if a == AppearanceDark {
			variant = theme.VariantDark
		}
		fg[a] = color.NRGBAModel.Convert(NewThemeFor(a).Color(theme.ColorNameForeground, variant)).(color.NRGBA)
		seen := map[color.NRGBA]int{}
		for x := 0; x < img.Bounds().Dx(); x++ {
			for y := 0; y < img.Bounds().Dy(); y++ {
				if p := nrgba(img, x, y); p.A >= 0xc0 {
					p.A = 0xff
					seen[p]++
				}
			}
		}
		colours[a] = seen
		if len(seen) < 5 {
			t.Errorf("%s: the chart is blank (%d colours)", a, len(seen))
		}
		// Every series' colour is drawn (each has a bar somewhere).
		for _, s := range d.Series {
			want := color.NRGBAModel.Convert(s.Colour.in(NewThemeFor(a), variant)).(color.NRGBA)
			if countNear(seen, want, 2) < 20 {
				t.Errorf("%s: %s's colour %v is not drawn", a, s.Name, want)
			}
		}
	}
	if fg[AppearanceLight] == fg[AppearanceDark] {
		t.Fatalf("the themes share their text colour %v", fg[AppearanceLight])
	}
	// The labels are in each theme's own text colour, never the other's:
	// dark text on the light theme, light text on the dark one.
	for a, other := range map[Appearance]Appearance{AppearanceLight: AppearanceDark, AppearanceDark: AppearanceLight} {
		if n := countNear(colours[a], fg[a], 6); n < 30 {
			t.Errorf("%s: %d pixels of its text colour %v", a, n, fg[a])
		}
		if n := countNear(colours[a], fg[other], 6); n > 0 {
			t.Errorf("%s: %d pixels of the %s theme's text colour", a, n, other)
		}
	}
}

// countNear counts the pixels within d of c.
func countNear(seen map[color.NRGBA]int, c color.NRGBA, d int) int {
	n := 0
	for p, k := range seen {
		if near(p, c, d) {
			n += k
		}
	}
	return n
}

// BenchmarkChartRender draws the 12-month movements chart at the size the
// Recurring revenue tab gives it in the 1100×700 window, as the window's
// raster does after a resize or a theme change (on the UI goroutine).
func BenchmarkChartRender(b *testing.B) {
	app := test.NewTempApp(b)
	app.Settings().SetTheme(NewThemeFor(AppearanceLight))
	var months []reports.MonthMRR
	for i := range 12 {
		months = append(months, reports.MonthMRR{Month: time.Date(2025, 12+time.Month(i), 1, 0, 0, 0, 0, time.UTC),
			New: reports.Money{"sek": int64(20000 + 1000*i)}, Expansion: reports.Money{"sek": 5000},
			Contraction: reports.Money{"sek": 2000}, Churn: reports.Money{"sek": int64(3000 * (i % 4))}})
	}
	c := newChart(movementsChart(months, "sek"))
	win := test.NewWindow(c)
	defer win.Close()
	win.Resize(fyne.NewSize(1084, 260))
	r := c.CreateRenderer().(*chartRenderer)
	size := c.plotSize()
	for b.Loop() {
		if img := r.draw(int(size.Width), int(size.Height)); img.Bounds().Dx() < 1000 {
			b.Fatalf("drew %v", img.Bounds())
		}
	}
}

// Switching the appearance while a chart is on show draws it again in the
// new theme's colours: the raster's next image reads the theme then.
func TestAChartFollowsAThemeSwitch(t *testing.T) {
	useLanguage(t, i18n.English)
	c := chartInWindow(t, mrrChart(handWorkedMRR(), "sek"), AppearanceLight, 600, 260)
	textIn := func(a Appearance, v fyne.ThemeVariant) int {
		fg := color.NRGBAModel.Convert(NewThemeFor(a).Color(theme.ColorNameForeground, v)).(color.NRGBA)
		img, seen := plotImage(c), map[color.NRGBA]int{}
		for x := 0; x < img.Bounds().Dx(); x++ {
			for y := 0; y < img.Bounds().Dy(); y++ {
				if p := nrgba(img, x, y); p.A >= 0xc0 {
					p.A = 0xff
					seen[p]++
				}
			}
		}
		return countNear(seen, fg, 6)
	}
	if n := textIn(AppearanceLight, theme.VariantLight); n < 30 {
		t.Fatalf("light: %d pixels of light text", n)
	}
	fyne.CurrentApp().Settings().SetTheme(NewThemeFor(AppearanceDark))
	if n := textIn(AppearanceDark, theme.VariantDark); n < 30 {
		t.Errorf("after the switch to dark: %d pixels of dark-theme text", n)
	}
	if n := textIn(AppearanceLight, theme.VariantLight); n > 0 {
		t.Errorf("after the switch to dark: %d pixels still in the light theme's text colour", n)
	}
}

// Swedish amounts begin with U+2212 MINUS SIGN, which the window's font
// has no glyph for in gonum's drawing (Fyne's own text falls back to other
// fonts): the axis draws a hyphen-minus instead of nothing, and keeps every
// character the font has.
func TestAxisLabelsAreDrawableInTheWindowsFont(t *testing.T) {
	var f chartFonts
	f.handler(theme.DefaultTextFont())
	var buf sfnt.Buffer
	has := func(r rune) bool { g, err := f.face.GlyphIndex(&buf, r); return err == nil && g != 0 }
	label := "\u2212500\u00a0kr"
	got := f.drawable(label)
	for _, r := range got {
		if !has(r) {
			t.Errorf("%q keeps %U, which the font cannot draw", got, r)
		}
	}
	want := "-500\u00a0kr" // Fyne 2.8's Noto Sans has no U+2212, but has U+00A0
	if has('\u2212') {
		want = label
	}
	if got != want {
		t.Errorf("drawable(%q) = %q, want %q", label, got, want)
	}
	if got := f.drawable("maj 2026"); got != "maj 2026" {
		t.Errorf("a month's name changed: %q", got)
	}
}
