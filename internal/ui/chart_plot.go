package ui

import (
	"image"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// A chart is drawn by gonum/plot: axes, ticks and their labels, the grid
// and the lines, into an image at the widget's pixel size. One point of
// the plot is one Fyne unit, so text sizes and the data area are in the
// window's units and a pointer's position maps straight onto the months.

// chartStyle is what a render takes from the theme on show.
type chartStyle struct {
	text, axis, grid color.Color
	series           []color.Color // one per series, in order
	handler          text.Handler
	textSize         float64 // in points: the theme's caption size in units
	// drawable makes a label drawable in handler's font (chartFonts.drawable).
	drawable func(string) string
}

// barShare is how much of a month's width its bar takes.
const barShare = 0.6

// newPlot lays d out in style st: months 0…n−1 on x (each month a slot one
// wide, so month i spans i−½ to i+½), amounts on y with money labels, a
// horizontal grid, and the series.
func newPlot(d chartData, st chartStyle) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.Transparent
	p.TextHandler = st.handler
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Handler = st.handler
		a.Tick.Label.Font = font.Font{Typeface: chartTypeface, Size: vg.Length(st.textSize)}
		a.Label.TextStyle.Font = a.Tick.Label.Font // no axis titles: the chart's title says it
		a.Tick.Label.Color = st.text
		a.Label.TextStyle.Handler = st.handler
		a.LineStyle.Color = st.axis
		a.Tick.LineStyle.Color = st.axis
	}
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.X.Tick.Length = 3
	n := len(d.Months)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	months := monthTicks(d.Months)
	for i := range months {
		months[i].Label = st.drawable(months[i].Label)
	}
	p.X.Tick.Marker = months
	lo, hi := d.valueRange()
	p.Y.Min, p.Y.Max = yRange(lo, hi)
	p.Y.Tick.Marker = moneyTicks{cur: d.Currency, f: formatter(), drawable: st.drawable}

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = st.grid
	grid.Horizontal.Dashes = nil
	p.Add(grid)
	if d.Kind == chartStacked {
		p.Add(stackedBars{d: d, colours: st.series, zero: st.axis})
		return p
	}
	for i, s := range d.Series {
		xys := make(plotter.XYs, len(s.Values))
		for j, v := range s.Values {
			xys[j] = plotter.XY{X: float64(j), Y: float64(v)}
		}
		line, err := plotter.NewLine(xys)
		if err != nil { // NaN or infinite values: amounts are integers
			continue
		}
		line.Color, line.Width = st.series[i], vg.Points(2)
		p.Add(line, dots{xys: xys, colour: st.series[i]})
	}
	return p
}

// yRange is the amounts' axis: zero always on it, a little headroom above
// the highest value (and below the lowest, when below zero), and at least
// one major unit (100 minor) tall so an empty chart still has steps.
func yRange(lo, hi int64) (float64, float64) {
	span := float64(hi - lo)
	if span < 100 {
		span = 100
		if lo == 0 {
			hi = max(hi, 100)
		}
	}
	top, bottom := float64(hi), float64(lo)
	if hi > 0 {
		top += span * 0.08
	}
	if lo < 0 {
		bottom -= span * 0.08
	}
	return bottom, top
}

// chartCanvas is an image of the plot, w×h points at dpi.
func renderPlot(p *plot.Plot, w, h float64, dpi int) image.Image {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w), vg.Length(h)), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.Transparent))
	p.Draw(draw.New(c))
	return c.Image()
}

// dataArea is where p draws its data on a w×h canvas, in units from the
// top-left corner: what a pointer's position is measured against. It
// measures the labels with p's fonts but draws nothing.
func dataArea(p *plot.Plot, w, h float64) (left, top, right, bottom float64) {
	c := p.DataCanvas(draw.NewCanvas(&recorder.Canvas{}, vg.Length(w), vg.Length(h)))
	return float64(c.Min.X), h - float64(c.Max.Y), float64(c.Max.X), h - float64(c.Min.Y)
}

// monthTicks labels each month with its short name in the window's
// language, in the zone the month was counted in; the first month and
// every January also carry the year.
func monthTicks(months []time.Time) plot.ConstantTicks {
	ticks := make(plot.ConstantTicks, len(months))
	for i, m := range months {
		f := localefmt.New(i18n.FormatLocale(), localefmt.InZone(m.Location()))
		label := f.MonthShort(m)
		if i == 0 || m.Month() == time.January {
			label = f.MonthYear(m)
		}
		ticks[i] = plot.Tick{Value: float64(i), Label: label}
	}
	return ticks
}

// moneyTicks label the amounts' axis in cur every step (niceStep), zero
// included.
type moneyTicks struct {
	cur      string
	f        *localefmt.Formatter
	drawable func(string) string
}

func (t moneyTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep(hi - lo)
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: t.drawable(t.f.MoneyShort(int64(math.Round(v)), t.cur))})
	}
	return out
}

// niceStep divides span into about six steps of 1, 2, 2.5 or 5 times a
// power of ten, at least 1 (minor units are whole): round numbers in the
// major unit too, since it is a power of ten of the minor one.
func niceStep(span float64) float64 {
	raw := span / 6
	if raw <= 1 {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if raw <= m*pow {
			return m * pow
		}
	}
	return 10 * pow
}

// stackedBars draws each month's bar, positive values stacked up from zero
// and negative ones down from it, then the zero line over them.
type stackedBars struct {
	d       chartData
	colours []color.Color
	zero    color.Color
}

func (b stackedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range b.d.Months {
		var up, down float64
		left, right := trX(float64(i)-barShare/2), trX(float64(i)+barShare/2)
		for k, s := range b.d.Series {
			v := float64(s.Values[i])
			if v == 0 {
				continue
			}
			from := &up
			if v < 0 {
				from = &down
			}
			y0, y1 := trY(*from), trY(*from+v)
			*from += v
			c.SetColor(b.colours[k])
			c.Fill(rect(left, min(y0, y1), right, max(y0, y1)))
		}
	}
	c.StrokeLine2(draw.LineStyle{Color: b.zero, Width: vg.Points(1)}, c.Min.X, trY(0), c.Max.X, trY(0))
}

// dots marks a line's months, so a month with the same value as its
// neighbours still shows where it is.
type dots struct {
	xys    plotter.XYs
	colour color.Color
}

func (d dots) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.SetColor(d.colour)
	for _, xy := range d.xys {
		var path vg.Path
		x, y, r := trX(xy.X), trY(xy.Y), vg.Points(3)
		path.Move(vg.Point{X: x + r, Y: y})
		path.Arc(vg.Point{X: x, Y: y}, r, 0, 2*math.Pi)
		path.Close()
		c.Fill(path)
	}
}

func rect(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}
