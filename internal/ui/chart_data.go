package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// chartKind is how a chart draws its series.
type chartKind int

const (
	// chartLine draws each series as a line through its months.
	chartLine chartKind = iota
	// chartStacked draws each month as a bar: positive values stacked up
	// from zero, negative ones down from it, in the series' order. One
	// series makes a plain bar chart.
	chartStacked
)

// chartColour names a series' colour; the theme on show says what it is
// (chartColour.in), so light and dark each get their own.
type chartColour int

const (
	colourPrimary chartColour = iota
	colourSuccess
	colourWarning
	colourError
	colourBlue
)

// in is the colour c in theme th and variant v.
func (c chartColour) in(th fyne.Theme, v fyne.ThemeVariant) color.Color {
	switch c {
	case colourSuccess:
		return th.Color(theme.ColorNameSuccess, v)
	case colourWarning:
		return th.Color(theme.ColorNameWarning, v)
	case colourError:
		return th.Color(theme.ColorNameError, v)
	case colourBlue:
		// Fyne's themes name no fifth colour; its blue accent reads on
		// light and dark backgrounds alike.
		return theme.PrimaryColorNamed(theme.ColorBlue)
	}
	return th.Color(theme.ColorNamePrimary, v)
}

// chartSeries is one named row of amounts, one per month, in the chart's
// currency's minor unit.
type chartSeries struct {
	Name   string // from the catalog
	Colour chartColour
	Values []int64
}

// chartData is what a chart shows: amounts in one currency by month.
type chartData struct {
	Kind     chartKind
	Currency string      // lowercase ISO 4217, as reports give it
	Months   []time.Time // each month's first instant, named in its own zone
	Series   []chartSeries
}

// empty reports whether the chart has nothing to draw.
func (d chartData) empty() bool {
	for _, s := range d.Series {
		for _, v := range s.Values {
			if v != 0 {
				return false
			}
		}
	}
	return true
}

// valueRange is the lowest and highest value the chart draws, zero
// included: the lines' extremes, or the bars' stacked ends.
func (d chartData) valueRange() (lo, hi int64) {
	for i := range d.Months {
		var up, down int64
		for _, s := range d.Series {
			v := s.Values[i]
			if d.Kind == chartLine {
				lo, hi = min(lo, v), max(hi, v)
				continue
			}
			if v >= 0 {
				up += v
			} else {
				down += v
			}
		}
		lo, hi = min(lo, down), max(hi, up)
	}
	return lo, hi
}

// revenueChart is gross volume by month in cur, as bars.
func revenueChart(months []reports.MonthRevenue, cur string) chartData {
	d := chartData{Kind: chartStacked, Currency: cur}
	s := chartSeries{Name: i18n.T("charts.series.gross"), Colour: colourPrimary}
	for _, m := range months {
		d.Months = append(d.Months, m.Month)
		s.Values = append(s.Values, m.Gross[cur])
	}
	d.Series = []chartSeries{s}
	return d
}

// mrrChart is MRR at each month's end in cur, as a line.
func mrrChart(months []reports.MonthMRR, cur string) chartData {
	d := chartData{Kind: chartLine, Currency: cur}
	s := chartSeries{Name: i18n.T("charts.series.mrr"), Colour: colourPrimary}
	for _, m := range months {
		d.Months = append(d.Months, m.Month)
		s.Values = append(s.Values, m.MRR[cur])
	}
	d.Series = []chartSeries{s}
	return d
}

// movementsChart is what moved MRR each month in cur, as stacked bars:
// new, expansion and reactivation above zero, contraction and churn (which
// lowered it) below.
func movementsChart(months []reports.MonthMRR, cur string) chartData {
	d := chartData{Kind: chartStacked, Currency: cur}
	type part struct {
		key    string
		colour chartColour
		sign   int64
		of     func(reports.MonthMRR) reports.Money
	}
	parts := []part{
		{"new", colourSuccess, 1, func(m reports.MonthMRR) reports.Money { return m.New }},
		{"expansion", colourPrimary, 1, func(m reports.MonthMRR) reports.Money { return m.Expansion }},
		{"reactivation", colourBlue, 1, func(m reports.MonthMRR) reports.Money { return m.Reactivation }},
		{"contraction", colourWarning, -1, func(m reports.MonthMRR) reports.Money { return m.Contraction }},
		{"churn", colourError, -1, func(m reports.MonthMRR) reports.Money { return m.Churn }},
	}
	for _, m := range months {
		d.Months = append(d.Months, m.Month)
	}
	for _, p := range parts {
		s := chartSeries{Name: i18n.T("charts.series." + p.key), Colour: p.colour}
		for _, m := range months {
			s.Values = append(s.Values, p.sign*p.of(m)[cur])
		}
		d.Series = append(d.Series, s)
	}
	return d
}

// grossNetChart is gross volume against net volume by month in the
// settlement currency cur, as two lines.
func grossNetChart(months []reports.MonthMoney, cur string) chartData {
	d := chartData{Kind: chartLine, Currency: cur}
	gross := chartSeries{Name: i18n.T("charts.series.gross"), Colour: colourPrimary}
	net := chartSeries{Name: i18n.T("charts.series.net"), Colour: colourSuccess}
	for _, m := range months {
		d.Months = append(d.Months, m.Month)
		s := m.Settlement[cur]
		gross.Values = append(gross.Values, s.Gross)
		net.Values = append(net.Values, s.Net)
	}
	d.Series = []chartSeries{gross, net}
	return d
}

// settlementCurrencies are the currencies with figures in any month,
// sorted.
func settlementCurrencies(months []reports.MonthMoney) []string {
	set := reports.Money{}
	for _, m := range months {
		for c := range m.Settlement {
			set[c] = 0
		}
	}
	return currenciesOf(set)
}

// upper is a currency code as the window shows it in titles ("SEK").
func upper(cur string) string { return strings.ToUpper(cur) }
