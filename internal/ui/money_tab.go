package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// MoneyService computes what came in and what was kept in a period
// (reports.Reports.MoneyReport): every figure beside the period before.
type MoneyService interface {
	MoneyReport(ctx context.Context, connIDs []string, p reports.Period) (reports.MoneyReport, error)
}

// moneyTab is a connection's "Net and fees" tab: a period picker, then
// per settlement currency gross, refunds, disputes, Stripe's fees, net and
// the effective fee rate; per currency customers paid in the gross,
// refunds, payments, average payment and refund rate; the payments, new
// customers and the dispute rate with its warning. Every figure shows the
// change against the period before, and "How is this calculated?" gives
// the formulas (docs/metrics.md has them with their sources).
type moneyTab struct {
	sh Shell
	// connIDs are the connections whose money is added up: one for a
	// connection's tab, those the filter keeps on All stores.
	connIDs func() []string
	root    fyne.CanvasObject
	period  *widget.Select
	zone    *widget.Label
	body    *fyne.Container
	kinds   []reports.PeriodKind
	gen     int // bumped on every period change: a late answer is dropped
	// shown is the last report on screen, for tests.
	shown *reports.MoneyReport
}

func newMoneyTab(sh Shell, connIDs func() []string) *moneyTab {
	t := &moneyTab{sh: sh, connIDs: connIDs, body: container.NewVBox()}
	t.period = newPeriodSelect(t.load)
	t.zone = widget.NewLabel("")
	how := widget.NewButtonWithIcon(i18n.T("money.how"), theme.QuestionIcon(), t.explain)
	how.Importance = widget.LowImportance
	bar := container.NewBorder(nil, nil, container.NewHBox(container.New(fixedWidth{200}, t.period), t.zone), how)
	t.root = container.NewBorder(bar, nil, nil, nil, container.NewVScroll(t.body))
	return t
}

// open selects last month (what a store owner asks first: what did we
// keep last month) and reads the figures.
func (t *moneyTab) open() { chooseFirstTime(t.period, reports.PeriodLastMonth) }

// load reads the report off the UI goroutine and shows it.
func (t *moneyTab) load() {
	t.gen++
	gen := t.gen
	p := chosenPeriod(t.period, t.sh.Now())
	loc := p.From.Location()
	f := formatter()
	last := p.To.AddDate(0, 0, -1)
	t.zone.SetText(i18n.T("money.period_range", i18n.Args{"From": f.Date(p.From), "To": f.Date(last),
		"Zone": zoneName(loc, p.From)}))
	svc, ids := t.sh.Services().Money, t.connIDs()
	var m reports.MoneyReport
	var err error
	t.sh.Background(func() { m, err = svc.MoneyReport(context.Background(), ids, p) }, func() {
		if gen != t.gen {
			return
		}
		if err != nil {
			t.body.Objects = []fyne.CanvasObject{wrapped(i18n.T("money.error", i18n.Args{"Reason": errorText(err)}))}
			t.body.Refresh()
			return
		}
		t.show(m, p.Complete(t.sh.Now()))
	})
}

// show lays the report out.
func (t *moneyTab) show(m reports.MoneyReport, complete bool) {
	t.shown = &m
	f := formatter()
	objs := withCoverage(nil, m.Coverage)
	if !complete {
		note := widget.NewLabel(i18n.T("money.incomplete"))
		note.Importance = widget.LowImportance
		objs = append(objs, note)
	}
	if len(m.Settlement) == 0 && len(m.Currencies) == 0 {
		objs = append(objs, widget.NewLabel(i18n.T("money.empty")))
	}
	for _, s := range m.Settlement {
		objs = append(objs, widget.NewLabelWithStyle(i18n.T("money.settlement", i18n.Args{"Currency": strings.ToUpper(s.Currency)}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		cards := []fyne.CanvasObject{
			moneyCard("money.gross", moneyValue(f, s.Gross, s.Currency)),
			moneyCard("money.refunds", moneyValue(f, s.Refunds, s.Currency)),
			moneyCard("money.disputes", moneyValue(f, s.Disputes, s.Currency)),
			moneyCard("money.fees", moneyValue(f, s.Fees, s.Currency)),
			moneyCard("money.net", moneyValue(f, s.Net, s.Currency)),
			moneyCard("money.fee_rate", rateValue(f, s.EffectiveFeeRate)),
		}
		objs = append(objs, container.NewGridWithColumns(3, cards...))
	}
	if len(m.Currencies) > 0 {
		objs = append(objs, widget.NewLabelWithStyle(i18n.T("money.by_currency"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		note := widget.NewLabel(i18n.T("money.table_changes"))
		note.Importance = widget.LowImportance
		objs = append(objs, note)
		grid := container.NewGridWithColumns(6)
		for _, h := range []string{"currency", "gross", "refunds", "payments", "average", "refund_rate"} {
			grid.Add(widget.NewLabelWithStyle(i18n.T("money.column."+h), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		for _, c := range m.Currencies {
			grid.Add(widget.NewLabel(strings.ToUpper(c.Currency)))
			grid.Add(widget.NewLabel(compactMoney(f, c.Gross, c.Currency)))
			grid.Add(widget.NewLabel(compactMoney(f, c.Refunds, c.Currency)))
			grid.Add(widget.NewLabel(compactCount(f, c.Payments)))
			grid.Add(widget.NewLabel(compactMoney(f, c.AveragePayment, c.Currency)))
			grid.Add(widget.NewLabel(compactRate(f, c.RefundRate)))
		}
		objs = append(objs, grid)
	}
	dispute := moneyCard("money.dispute_rate", rateValue(f, m.Disputes.Rate)+"\n"+
		i18n.T("money.dispute_level."+string(m.Disputes.Level)))
	objs = append(objs, container.NewGridWithColumns(3,
		moneyCard("money.payments", countValue(f, m.Payments)),
		moneyCard("money.new_customers", countValue(f, m.NewCustomers)),
		dispute))
	t.body.Objects = objs
	t.body.Refresh()
}

// moneyCard is a figure's card: its title over its value and change.
func moneyCard(key, text string) fyne.CanvasObject {
	value := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	value.Wrapping = fyne.TextWrapWord
	return widget.NewCard("", i18n.T(key), value)
}

// moneyValue is an amount with its change against the period before:
// "€1,234.50" over "+€100.00 (+8.8 %) vs the period before".
func moneyValue(f *localefmt.Formatter, a reports.Amount, cur string) string {
	return f.Money(a.Value, cur) + "\n" + change(f.Money(a.Change, cur), a.Change, a.ChangePct, f)
}

// countValue is a count with its change.
func countValue(f *localefmt.Formatter, a reports.Amount) string {
	return f.Number(a.Value) + "\n" + change(f.Number(a.Change), a.Change, a.ChangePct, f)
}

// rateValue is a rate (percent) with its change in percentage points;
// "—" when there was nothing to divide by.
func rateValue(f *localefmt.Formatter, r reports.Rate) string {
	if r.Value == nil {
		return "—"
	}
	s := f.Percent(*r.Value, 2)
	if r.Change == nil {
		return s + "\n" + i18n.T("money.no_previous")
	}
	sign := ""
	if *r.Change > 0 {
		sign = "+"
	}
	return s + "\n" + i18n.T("money.change_points", i18n.Args{"Change": sign + f.Decimal(*r.Change*100, 2)})
}

// compactMoney, compactCount and compactRate are a table cell's value
// over its change, without the words the cards spell out ("vs the period
// before" heads the table instead).
func compactMoney(f *localefmt.Formatter, a reports.Amount, cur string) string {
	return f.Money(a.Value, cur) + "\n" + compactChange(f.Money(a.Change, cur), a.Change, a.ChangePct, f)
}

func compactCount(f *localefmt.Formatter, a reports.Amount) string {
	return f.Number(a.Value) + "\n" + compactChange(f.Number(a.Change), a.Change, a.ChangePct, f)
}

func compactRate(f *localefmt.Formatter, r reports.Rate) string {
	if r.Value == nil {
		return "—"
	}
	if r.Change == nil {
		return f.Percent(*r.Value, 2)
	}
	sign := ""
	if *r.Change > 0 {
		sign = "+"
	}
	return f.Percent(*r.Value, 2) + "\n" + i18n.T("money.points_short", i18n.Args{"Change": sign + f.Decimal(*r.Change*100, 2)})
}

func compactChange(amount string, delta int64, pct *float64, f *localefmt.Formatter) string {
	if delta > 0 {
		amount = "+" + amount
	}
	if pct == nil {
		return amount
	}
	p := f.Percent(*pct, 1)
	if *pct > 0 {
		p = "+" + p
	}
	return amount + " (" + p + ")"
}

// change words a change and its percentage against the period before.
func change(amount string, delta int64, pct *float64, f *localefmt.Formatter) string {
	if delta > 0 {
		amount = "+" + amount
	}
	if pct == nil {
		return i18n.T("money.change_no_pct", i18n.Args{"Change": amount})
	}
	p := f.Percent(*pct, 1)
	if *pct > 0 {
		p = "+" + p
	}
	return i18n.T("money.change", i18n.Args{"Change": amount, "Percent": p})
}

// explain shows every formula of the tab.
func (t *moneyTab) explain() {
	body := widget.NewRichTextFromMarkdown(i18n.T("money.how_markdown"))
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(i18n.T("money.how"), i18n.T("dialog.close"), container.NewVScroll(body), t.sh.Window())
	d.Resize(fyne.NewSize(640, 520))
	d.Show()
}

// zoneName names the time zone days are counted in: its IANA name when Go
// knows it (not for the computer's own zone, "Local"), then its
// abbreviation and offset at t: "Europe/Stockholm (CET, UTC+01:00)",
// "CET (UTC+01:00)".
func zoneName(loc *time.Location, t time.Time) string {
	abbr, offset := t.In(loc).Zone()
	sign := "+"
	if offset < 0 {
		sign, offset = "−", -offset
	}
	utc := fmt.Sprintf("UTC%s%02d:%02d", sign, offset/3600, offset%3600/60)
	if name := loc.String(); name != "Local" && name != "UTC" && name != abbr {
		return name + " (" + abbr + ", " + utc + ")"
	}
	if abbr == "UTC" {
		return "UTC"
	}
	return abbr + " (" + utc + ")"
}
