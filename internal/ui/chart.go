package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// chart shows amounts by month (chartData) as lines or stacked bars drawn
// by gonum/plot in the theme's colours and font, with a legend under it
// and, under the pointer (or where a finger tapped), the month's values in
// a small box. Its methods run on the UI goroutine.
type chart struct {
	widget.BaseWidget
	data  chartData
	fonts chartFonts
	// hover is the month under the pointer, −1 for none.
	hover int
	// area caches the data area (units, from the plot's top-left) for the
	// plot size it was measured at.
	area     [4]float64
	areaSize fyne.Size
	// The hover's parts, drawn over the plot.
	band    *canvas.Rectangle
	tipBox  *canvas.Rectangle
	tipText []*canvas.Text
}

// chartMinSize is the smallest plot (legend apart) that still reads; tabs
// give their charts more (chartTabSize).
var chartMinSize = fyne.NewSize(320, 150)

// chartTabSize is the least a tab's chart gets, legend included.
var chartTabSize = fyne.NewSize(320, 250)

// tabChart is c at least chartTabSize.
func tabChart(c *chart) fyne.CanvasObject { return container.New(atLeast{chartTabSize}, c) }

func newChart(d chartData) *chart {
	c := &chart{data: d, hover: -1, band: canvas.NewRectangle(color.Transparent), tipBox: canvas.NewRectangle(color.Transparent)}
	c.band.Hide()
	c.tipBox.Hide()
	c.ExtendBaseWidget(c)
	return c
}

// SetData shows other figures.
func (c *chart) SetData(d chartData) {
	c.data = d
	c.areaSize = fyne.Size{}
	c.hover = -1
	c.Refresh()
}

func (c *chart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.raster = canvas.NewRaster(r.draw)
	r.rebuild()
	return r
}

// style is what a render takes from the theme on show.
func (c *chart) style() chartStyle {
	th := c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	st := chartStyle{
		text:     th.Color(theme.ColorNameForeground, v),
		axis:     th.Color(theme.ColorNameDisabled, v),
		grid:     faint(th.Color(theme.ColorNameForeground, v)),
		handler:  c.fonts.handler(th.Font(fyne.TextStyle{})),
		drawable: c.fonts.drawable,
		textSize: float64(th.Size(theme.SizeNameCaptionText)),
	}
	for _, s := range c.data.Series {
		st.series = append(st.series, s.Colour.in(th, v))
	}
	return st
}

// faint is c at a fifth of its opacity: grid lines that show on light
// and dark backgrounds without competing with the data.
func faint(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A /= 5
	return n
}

// plotSize is the part of the widget the plot takes: all but the legend.
func (c *chart) plotSize() fyne.Size {
	s := c.Size()
	return fyne.NewSize(s.Width, max(s.Height-c.legendHeight(), 0))
}

func (c *chart) legendHeight() float32 {
	th := c.Theme()
	return th.Size(theme.SizeNameText) + 2*th.Size(theme.SizeNameInnerPadding)
}

// dataArea is where the months are drawn: left, top, right, bottom in
// units from the widget's top-left corner.
func (c *chart) dataArea() [4]float64 {
	size := c.plotSize()
	if size != c.areaSize {
		l, t, r, b := dataArea(newPlot(c.data, c.style()), float64(size.Width), float64(size.Height))
		c.area, c.areaSize = [4]float64{l, t, r, b}, size
	}
	return c.area
}

// monthAt is the month whose slot holds x (units from the left), −1 when
// x is beside the data area or the chart has no months.
func (c *chart) monthAt(pos fyne.Position) int {
	n := len(c.data.Months)
	a := c.dataArea()
	x, y := float64(pos.X), float64(pos.Y)
	if n == 0 || x < a[0] || x >= a[2] || y < a[1] || y > a[3] {
		return -1
	}
	return int(math.Floor((x - a[0]) / (a[2] - a[0]) * float64(n)))
}

// tipLines are what the box under the pointer says of month i: the month
// and year, then each series' amount.
func (c *chart) tipLines(i int) []string {
	m := c.data.Months[i]
	lines := []string{localefmt.New(i18n.FormatLocale(), localefmt.InZone(m.Location())).MonthYear(m)}
	f := formatter()
	for _, s := range c.data.Series {
		lines = append(lines, i18n.T("charts.tooltip.value", i18n.Args{"Series": s.Name, "Value": f.Money(s.Values[i], c.data.Currency)}))
	}
	return lines
}

// MouseIn, MouseMoved and MouseOut follow the pointer (desktop.Hoverable).
func (c *chart) MouseIn(e *desktop.MouseEvent)    { c.pointAt(e.Position) }
func (c *chart) MouseMoved(e *desktop.MouseEvent) { c.pointAt(e.Position) }
func (c *chart) MouseOut()                        { c.pointAt(fyne.NewPos(-1, -1)) }

// Tapped shows the values where a finger (or a click) landed.
func (c *chart) Tapped(e *fyne.PointEvent) { c.pointAt(e.Position) }

var _ desktop.Hoverable = (*chart)(nil)
var _ fyne.Tappable = (*chart)(nil)

// pointAt shows the box for the month at pos, or hides it.
func (c *chart) pointAt(pos fyne.Position) {
	i := c.monthAt(pos)
	if i == c.hover && (i < 0 || c.tipBox.Visible()) {
		c.placeTip(pos)
		return
	}
	c.hover = i
	c.showHover(pos)
}

// showHover fills the box and the band for c.hover and places them.
func (c *chart) showHover(pos fyne.Position) {
	if c.hover < 0 {
		c.band.Hide()
		c.tipBox.Hide()
		for _, t := range c.tipText {
			t.Hide()
		}
		return
	}
	th, v := c.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	a := c.dataArea()
	slot := (a[2] - a[0]) / float64(len(c.data.Months))
	c.band.FillColor = th.Color(theme.ColorNameHover, v)
	c.band.Move(fyne.NewPos(float32(a[0]+slot*float64(c.hover)), float32(a[1])))
	c.band.Resize(fyne.NewSize(float32(slot), float32(a[3]-a[1])))
	c.band.Show()
	lines := c.tipLines(c.hover) // as many as c.tipText: the month and a line per series
	for i, t := range c.tipText {
		if i >= len(lines) {
			t.Text = ""
			t.Hide()
			continue
		}
		t.Text, t.Color = lines[i], th.Color(theme.ColorNameForeground, v)
		t.TextSize = th.Size(theme.SizeNameCaptionText)
		t.TextStyle = fyne.TextStyle{Bold: i == 0}
		t.Show()
	}
	c.tipBox.FillColor = th.Color(theme.ColorNameOverlayBackground, v)
	c.tipBox.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	c.tipBox.StrokeWidth = 1
	c.tipBox.CornerRadius = th.Size(theme.SizeNameInputRadius)
	c.tipBox.Show()
	c.placeTip(pos)
	canvas.Refresh(c.band)
}

// placeTip puts the box beside pos, inside the plot.
func (c *chart) placeTip(pos fyne.Position) {
	if c.hover < 0 {
		return
	}
	pad := c.Theme().Size(theme.SizeNameInnerPadding)
	var w, h float32
	for _, t := range c.tipText {
		if t.Visible() {
			s := t.MinSize()
			w, h = max(w, s.Width), h+s.Height
		}
	}
	box := fyne.NewSize(w+2*pad, h+2*pad)
	plot := c.plotSize()
	x := pos.X + 16
	if x+box.Width > plot.Width {
		x = pos.X - 16 - box.Width
	}
	y := min(max(pos.Y-box.Height/2, 0), max(plot.Height-box.Height, 0))
	c.tipBox.Move(fyne.NewPos(max(x, 0), y))
	c.tipBox.Resize(box)
	top := y + pad
	for _, t := range c.tipText {
		if t.Visible() {
			t.Move(fyne.NewPos(max(x, 0)+pad, top))
			t.Resize(t.MinSize())
			top += t.MinSize().Height
		}
	}
	canvas.Refresh(c.tipBox)
	for _, t := range c.tipText {
		canvas.Refresh(t)
	}
}

// chartRenderer draws the plot as a raster, the legend under it and the
// hover's parts over it.
type chartRenderer struct {
	c      *chart
	raster *canvas.Raster
	swatch []*canvas.Rectangle
	names  []*canvas.Text
}

// rebuild makes the legend for the series and colours on show.
func (r *chartRenderer) rebuild() {
	th, v := r.c.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.swatch, r.names = nil, nil
	for _, s := range r.c.data.Series {
		sw := canvas.NewRectangle(s.Colour.in(th, v))
		sw.CornerRadius = 2
		name := canvas.NewText(s.Name, th.Color(theme.ColorNameForeground, v))
		name.TextSize = th.Size(theme.SizeNameCaptionText)
		r.swatch, r.names = append(r.swatch, sw), append(r.names, name)
	}
	// The box under the pointer: the month, then a line per series.
	r.c.tipText = nil
	for range len(r.c.data.Series) + 1 {
		t := canvas.NewText("", color.Transparent)
		t.Hide()
		r.c.tipText = append(r.c.tipText, t)
	}
}

func (r *chartRenderer) draw(w, h int) image.Image {
	size := r.c.plotSize()
	if w < 2 || h < 2 || size.Width < 2 || size.Height < 2 {
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	}
	dpi := max(int(math.Round(72*float64(w)/float64(size.Width))), 1)
	return renderPlot(newPlot(r.c.data, r.c.style()), float64(w)*72/float64(dpi), float64(h)*72/float64(dpi), dpi)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	plot := r.c.plotSize()
	r.raster.Move(fyne.NewPos(0, 0))
	r.raster.Resize(plot)
	th := r.c.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	a := r.c.dataArea()
	x := float32(a[0])
	for i, sw := range r.swatch {
		name := r.names[i].MinSize()
		side := th.Size(theme.SizeNameCaptionText)
		sw.Resize(fyne.NewSize(side, side))
		sw.Move(fyne.NewPos(x, plot.Height+pad+(name.Height-side)/2))
		r.names[i].Move(fyne.NewPos(x+side+pad/2, plot.Height+pad))
		r.names[i].Resize(name)
		x += side + pad/2 + name.Width + 2*pad
	}
	if r.c.hover >= 0 && size != (fyne.Size{}) {
		r.c.showHover(r.c.band.Position().AddXY(r.c.band.Size().Width/2, r.c.band.Size().Height/2))
	}
}

func (r *chartRenderer) MinSize() fyne.Size {
	return fyne.NewSize(chartMinSize.Width, chartMinSize.Height+r.c.legendHeight())
}

func (r *chartRenderer) Refresh() {
	r.rebuild()
	r.c.areaSize = fyne.Size{}
	r.Layout(r.c.Size())
	r.raster.Refresh()
}

func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.raster, r.c.band}
	for i := range r.swatch {
		objs = append(objs, r.swatch[i], r.names[i])
	}
	objs = append(objs, r.c.tipBox)
	for _, t := range r.c.tipText {
		objs = append(objs, t)
	}
	return objs
}

func (r *chartRenderer) Destroy() {}
