package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// ReportsService computes a connection's overview from the synced tables.
type ReportsService interface {
	Overview(ctx context.Context, connID string) (reports.Overview, error)
	RevenueByMonth(ctx context.Context, connID string, months int) ([]reports.MonthRevenue, error)
}

// chartMonths is how far back the revenue chart goes.
const chartMonths = 12

// overviewPanel shows a connection's headline figures as cards and its
// revenue by month as a bar chart (the currency with the most revenue),
// with its amounts under the pointer.
type overviewPanel struct {
	root  *fyne.Container
	view  *container.Scroll        // root in a scroll, the Overview tab's content
	cards map[string]*widget.Label // by card name (cardGrossThisMonth, …)
	chart *fyne.Container          // holds graph when there is revenue to draw
	graph *chart
	title *widget.Label
}

// The cards, by stable name; each one's title is "overview.card.<name>".
const (
	cardGrossThisMonth   = "gross_this_month"
	cardGrossLastMonth   = "gross_last_month"
	cardRefundsThisMonth = "refunds_this_month"
	cardFailedThisMonth  = "failed_this_month"
	cardOpenInvoices     = "open_invoices"
	cardOverdueInvoices  = "overdue_invoices"
)

// cardNames are the cards in the order they are shown, three to a row.
var cardNames = []string{cardGrossThisMonth, cardGrossLastMonth, cardRefundsThisMonth,
	cardFailedThisMonth, cardOpenInvoices, cardOverdueInvoices}

func newOverviewPanel() *overviewPanel {
	p := &overviewPanel{cards: map[string]*widget.Label{}, chart: container.NewStack(), title: widget.NewLabel("")}
	var cards []fyne.CanvasObject
	for _, name := range cardNames {
		value := widget.NewLabelWithStyle("…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p.cards[name] = value
		cards = append(cards, widget.NewCard("", i18n.T("overview.card."+name), value))
	}
	p.root = container.NewVBox(
		container.NewGridWithColumns(3, cards...),
		p.title,
		container.New(atLeast{fyne.NewSize(560, 180)}, p.chart),
	)
	p.view = container.NewVScroll(p.root)
	return p
}

// load reads the figures off the UI goroutine and shows them.
func (p *overviewPanel) load(sh Shell, connID string) {
	var o reports.Overview
	var months []reports.MonthRevenue
	var err error
	svc := sh.Services().Reports
	sh.Background(func() {
		ctx := context.Background()
		if o, err = svc.Overview(ctx, connID); err == nil {
			months, err = svc.RevenueByMonth(ctx, connID, chartMonths)
		}
	}, func() {
		if err != nil {
			p.title.SetText(i18n.T("overview.error", i18n.Args{"Reason": errorText(err)}))
			return
		}
		p.show(o, months)
	})
}

func (p *overviewPanel) show(o reports.Overview, months []reports.MonthRevenue) {
	failed := moneyLines(o.FailedThisMonth)
	if o.FailedCount > 0 {
		n := o.FailedCount
		failed = i18n.N("overview.failed_count", n, i18n.Args{"Count": formatter().Number(int64(n))}) + "\n" + failed
	}
	for name, text := range map[string]string{
		cardGrossThisMonth: moneyLines(o.GrossThisMonth), cardGrossLastMonth: moneyLines(o.GrossLastMonth),
		cardRefundsThisMonth: moneyLines(o.RefundsThisMonth), cardFailedThisMonth: failed,
		cardOpenInvoices: moneyLines(o.OpenInvoices), cardOverdueInvoices: moneyLines(o.OverdueInvoices),
	} {
		p.cards[name].SetText(text)
	}
	cur := topCurrency(months)
	if cur == "" {
		p.title.SetText(i18n.N("overview.chart.empty", len(months), i18n.Args{"Count": formatter().Number(int64(len(months)))}))
		p.chart.Objects = nil
		p.chart.Refresh()
		p.view.Refresh()
		return
	}
	p.title.SetText(i18n.N("overview.chart.title", len(months),
		i18n.Args{"Count": formatter().Number(int64(len(months))), "Currency": strings.ToUpper(cur)}))
	if p.graph == nil {
		p.graph = newChart(revenueChart(months, cur))
	} else {
		p.graph.SetData(revenueChart(months, cur))
	}
	p.chart.Objects = []fyne.CanvasObject{p.graph}
	p.chart.Refresh()
	p.view.Refresh() // cards with more currencies are taller now
}

// topCurrency is the currency with the most revenue over the months.
func topCurrency(months []reports.MonthRevenue) string {
	totals := reports.Money{}
	for _, m := range months {
		for c, v := range m.Gross {
			totals[c] += v
		}
	}
	best := ""
	for c, v := range totals {
		if best == "" || v > totals[best] || (v == totals[best] && c < best) {
			best = c
		}
	}
	return best
}
