package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// AtRiskService finds a connection's money at risk (reports.AtRisk):
// failed payments created in [from, to) that nothing recovered, past_due
// subscriptions, overdue invoices and open disputes, as of now.
type AtRiskService interface {
	AtRisk(ctx context.Context, connID string, from, to time.Time) (reports.AtRisk, error)
}

// atRiskTab is a connection's "At risk" tab: a period for the failed
// payments (the last 30 days first), then four lists, each row's id
// opening the object: failed payments nothing recovered, past_due
// subscriptions and the MRR they carry, open invoices past their due date
// in age buckets, and open disputes with their evidence due dates.
type atRiskTab struct {
	sh     Shell
	connID string
	root   fyne.CanvasObject
	period *widget.Select
	body   *fyne.Container
	gen    int
	shown  *reports.AtRisk // for tests
}

func newAtRiskTab(sh Shell, connID string) *atRiskTab {
	t := &atRiskTab{sh: sh, connID: connID, body: container.NewVBox()}
	t.period = newPeriodSelect(t.load)
	how := widget.NewButtonWithIcon(i18n.T("money.how"), theme.QuestionIcon(), func() { explainDialog(sh, "risk.how_markdown") })
	how.Importance = widget.LowImportance
	bar := container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel(i18n.T("risk.failed_in")), container.New(fixedWidth{200}, t.period)), how)
	t.root = container.NewBorder(bar, nil, nil, nil, container.NewVScroll(t.body))
	return t
}

// open picks the last 30 days the first time, which reads the figures.
func (t *atRiskTab) open() { chooseFirstTime(t.period, reports.PeriodLast30Days) }

func (t *atRiskTab) load() {
	t.gen++
	gen := t.gen
	p := chosenPeriod(t.period, t.sh.Now())
	svc := t.sh.Services().AtRisk
	var a reports.AtRisk
	var err error
	t.sh.Background(func() { a, err = svc.AtRisk(context.Background(), t.connID, p.From, p.To) }, func() {
		if gen != t.gen {
			return
		}
		if err != nil {
			t.body.Objects = []fyne.CanvasObject{wrapped(i18n.T("money.error", i18n.Args{"Reason": errorText(err)}))}
			t.body.Refresh()
			return
		}
		t.show(a)
	})
}

func (t *atRiskTab) show(a reports.AtRisk) {
	t.shown = &a
	f := formatter()
	sh, conn := t.sh, t.connID
	totals := func(m reports.Money) string {
		curs := currenciesOf(m)
		if len(curs) == 0 {
			return "—"
		}
		parts := make([]string, len(curs))
		for i, c := range curs {
			parts[i] = f.Money(m[c], c)
		}
		return strings.Join(parts, ", ")
	}
	objs := withCoverage(nil, a.FailedCoverage)

	objs = append(objs, sectionTitle(i18n.T("risk.failed", i18n.Args{"Total": totals(a.FailedTotal)})))
	if len(a.Failed) == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("risk.none")))
	} else {
		grid := container.NewGridWithColumns(4, header("risk.column.payment"), header("risk.column.date"), header("risk.column.amount"), header("risk.column.reason"))
		for _, r := range a.Failed {
			grid.Add(objectLink(sh, "payments", conn, r.ID))
			grid.Add(widget.NewLabel(f.DateTime(r.Created)))
			grid.Add(widget.NewLabel(f.Money(r.Amount, r.Currency)))
			grid.Add(widget.NewLabel(failureText(r.FailureCode)))
		}
		objs = append(objs, grid)
	}

	objs = append(objs, sectionTitle(i18n.T("risk.past_due", i18n.Args{"Total": totals(a.PastDueMRR)})))
	if len(a.PastDue) == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("risk.none")))
	} else {
		grid := container.NewGridWithColumns(3, header("risk.column.subscription"), header("risk.column.customer"), header("risk.column.mrr"))
		for _, r := range a.PastDue {
			grid.Add(objectLink(sh, "subscriptions", conn, r.ID))
			grid.Add(widget.NewLabel(r.Customer))
			grid.Add(widget.NewLabel(f.Money(r.MRR, r.Currency)))
		}
		objs = append(objs, grid)
	}

	objs = append(objs, sectionTitle(i18n.T("risk.overdue", i18n.Args{"Total": totals(a.OverdueTotal)})))
	buckets := container.NewGridWithColumns(len(reports.Buckets))
	for _, b := range reports.Buckets {
		buckets.Add(moneyCard("risk.bucket."+b, totals(a.OverdueByBucket[b])))
	}
	objs = append(objs, buckets)
	if len(a.Overdue) > 0 {
		grid := container.NewGridWithColumns(4, header("risk.column.invoice"), header("risk.column.due"), header("risk.column.days"), header("risk.column.remaining"))
		for _, r := range a.Overdue {
			grid.Add(objectLink(sh, "invoices", conn, r.ID))
			grid.Add(widget.NewLabel(f.Date(r.DueDate)))
			grid.Add(widget.NewLabel(f.Number(int64(r.DaysOverdue))))
			grid.Add(widget.NewLabel(f.Money(r.AmountRemaining, r.Currency)))
		}
		objs = append(objs, grid)
	}

	objs = append(objs, sectionTitle(i18n.T("risk.disputes", i18n.Args{"Total": totals(a.DisputedTotal)})))
	if len(a.Disputes) == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("risk.none")))
	} else {
		grid := container.NewGridWithColumns(4, header("risk.column.payment"), header("risk.column.amount"), header("risk.column.status"), header("risk.column.evidence_due"))
		for _, r := range a.Disputes {
			grid.Add(objectLink(sh, "payments", conn, r.Charge)) // the disputed payment
			grid.Add(widget.NewLabel(f.Money(r.Amount, r.Currency)))
			grid.Add(widget.NewLabel(statusText(r.Status)))
			due := "—"
			if !r.EvidenceDueBy.IsZero() {
				due = f.DateTime(r.EvidenceDueBy)
			}
			grid.Add(widget.NewLabel(due))
		}
		objs = append(objs, grid)
	}
	t.body.Objects = objs
	t.body.Refresh()
}

// header is a column heading of an insight table.
func header(key string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(i18n.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// failureText words a payment's failure code from the catalog (Stripe's
// code itself when the catalog doesn't name it).
func failureText(code string) string {
	if code == "" {
		return "—"
	}
	key := "data.failure." + code
	if w := i18n.T(key); w != key {
		return w
	}
	return code
}
