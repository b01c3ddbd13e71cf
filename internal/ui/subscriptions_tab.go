package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// SubscriptionService computes a connection's recurring revenue
// (internal/reports: MRR now, MRR by month with its movements, churn).
type SubscriptionService interface {
	MRRNow(ctx context.Context, connID string) (reports.MRRNow, error)
	MRRByMonth(ctx context.Context, connID string, n int) ([]reports.MonthMRR, error)
	ChurnBetween(ctx context.Context, connID string, from, to time.Time) (reports.Churn, error)
}

// mrrMonths is how far back MRR's history goes.
const mrrMonths = 12

// subscriptionsTab is a connection's "Recurring revenue" tab: MRR now, ARR,
// active subscribers and ARPU per currency; last month's subscriber and
// revenue churn and the lifetime value; and MRR by month for a year with
// its movements (new, expansion, contraction, churn, reactivation).
type subscriptionsTab struct {
	sh     Shell
	connID string
	root   fyne.CanvasObject
	body   *fyne.Container
	loaded bool
	// shown holds what is on screen, for tests.
	shown *subscriptionFigures
}

// subscriptionFigures are the tab's three answers.
type subscriptionFigures struct {
	now    reports.MRRNow
	months []reports.MonthMRR
	churn  reports.Churn
}

func newSubscriptionsTab(sh Shell, connID string) *subscriptionsTab {
	t := &subscriptionsTab{sh: sh, connID: connID, body: container.NewVBox(widget.NewLabel(i18n.T("subs.loading")))}
	how := widget.NewButtonWithIcon(i18n.T("money.how"), theme.QuestionIcon(), func() { explainDialog(sh, "subs.how_markdown") })
	how.Importance = widget.LowImportance
	t.root = container.NewBorder(container.NewBorder(nil, nil, nil, how), nil, nil, nil, container.NewVScroll(t.body))
	return t
}

// open reads the figures the first time the tab is shown.
func (t *subscriptionsTab) open() {
	if !t.loaded {
		t.load()
	}
}

// lastMonth is the last complete calendar month before now, in the
// computer's zone: the period churn is measured over.
func lastMonth(now time.Time) reports.Period {
	p, _ := reports.PresetPeriod(reports.PeriodLastMonth, now, now.Location())
	return p
}

func (t *subscriptionsTab) load() {
	t.loaded = true
	svc := t.sh.Services().Subscriptions
	month := lastMonth(t.sh.Now())
	var f subscriptionFigures
	var err error
	t.sh.Background(func() {
		ctx := context.Background()
		if f.now, err = svc.MRRNow(ctx, t.connID); err != nil {
			return
		}
		if f.months, err = svc.MRRByMonth(ctx, t.connID, mrrMonths); err != nil {
			return
		}
		f.churn, err = svc.ChurnBetween(ctx, t.connID, month.From, month.To)
	}, func() {
		if err != nil {
			t.body.Objects = []fyne.CanvasObject{wrapped(i18n.T("money.error", i18n.Args{"Reason": errorText(err)}))}
			t.body.Refresh()
			return
		}
		t.show(f, month)
	})
}

func (t *subscriptionsTab) show(s subscriptionFigures, month reports.Period) {
	t.shown = &s
	f := formatter()
	objs := withCoverage([]fyne.CanvasObject{widget.NewLabel(i18n.T("subs.as_of", i18n.Args{"Time": f.DateTime(s.now.AsOf)}))}, subsCoverage(s))
	curs := currenciesOf(s.now.MRR)
	if len(curs) == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("subs.none")))
	}
	for _, c := range curs {
		objs = append(objs, sectionTitle(i18n.T("subs.in_currency", i18n.Args{"Currency": strings.ToUpper(c)})))
		subscribers := s.now.Subscribers[c]
		churnRate, hasChurn := s.churn.SubscriberRate[c]
		ltv := i18n.T("subs.ltv_undefined")
		if hasChurn && churnRate > 0 {
			ltv = f.Money(int64(float64(s.now.ARPU[c])/churnRate+0.5), c)
		}
		objs = append(objs, container.NewGridWithColumns(3,
			moneyCard("subs.mrr", moneyOrDash(s.now.MRR, c)),
			moneyCard("subs.arr", moneyOrDash(s.now.ARR, c)),
			moneyCard("subs.subscribers", f.Number(int64(subscribers))),
			moneyCard("subs.arpu", moneyOrDash(s.now.ARPU, c)),
			moneyCard("subs.churn", churnText(s.churn, c)),
			moneyCard("subs.ltv", ltv),
		))
		objs = append(objs, t.monthsTable(s.months, c))
	}
	if s.now.UnpricedItems > 0 {
		note := wrapped(i18n.N("subs.unpriced", s.now.UnpricedItems))
		note.Importance = widget.LowImportance
		objs = append(objs, note)
	}
	t.body.Objects = objs
	t.body.Refresh()
}

// churnText is last month's subscriber and revenue churn in one currency.
func churnText(c reports.Churn, cur string) string {
	f := formatter()
	subs, okS := c.SubscriberRate[cur]
	rev, okR := c.RevenueRate[cur]
	if !okS && !okR {
		return i18n.T("subs.churn_none")
	}
	pct := func(v float64, ok bool) string {
		if !ok {
			return "—"
		}
		return f.Percent(v, 1)
	}
	return i18n.T("subs.churn_rates", i18n.Args{"Subscribers": pct(subs, okS), "Revenue": pct(rev, okR),
		"Month": f.MonthYear(c.From)})
}

// monthsTable is MRR by month in one currency with its movements.
func (t *subscriptionsTab) monthsTable(months []reports.MonthMRR, cur string) fyne.CanvasObject {
	// Months are UTC calendar months (reports.MonthMRR): named in UTC, so
	// a computer west of UTC doesn't call November October.
	utc := localefmt.New(i18n.FormatLocale(), localefmt.InZone(time.UTC))
	cols := []string{"month", "mrr", "new", "expansion", "contraction", "churn", "reactivation"}
	grid := container.NewGridWithColumns(len(cols))
	for _, c := range cols {
		grid.Add(widget.NewLabelWithStyle(i18n.T("subs.column."+c), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, m := range months {
		grid.Add(widget.NewLabel(utc.MonthYear(m.Month)))
		for _, v := range []reports.Money{m.MRR, m.New, m.Expansion, m.Contraction, m.Churn, m.Reactivation} {
			grid.Add(widget.NewLabel(moneyOrDash(v, cur)))
		}
	}
	return container.NewVBox(sectionTitle(i18n.T("subs.by_month")), grid)
}
