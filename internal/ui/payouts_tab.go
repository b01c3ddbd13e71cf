package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// PayoutService lists payouts and reconciles one (reports.Reports.Payouts
// and Payout): the payouts arriving in a period, newest first, and a
// payout with the balance transactions it paid out. An unknown payout is
// domain.KindNotFound.
type PayoutService interface {
	Payouts(ctx context.Context, connIDs []string, p reports.Period) ([]reports.PayoutRow, error)
	Payout(ctx context.Context, connID, payoutID string) (reports.PayoutDetail, error)
}

// payoutsTab is a connection's Payouts tab: a period picker (the last 30
// days first) with the days' zone and what was paid out against the period
// before, the payouts arriving in it (arrival date, amount, status, type,
// the bank account's last four digits, and whether each reconciles, in
// words with an icon), and below them the selected payout's transactions
// (payout_detail.go) with Export reconciliation CSV… (payout_export.go).
type payoutsTab struct {
	sh      Shell
	connID  string
	root    fyne.CanvasObject
	period  *widget.Select
	zone    *widget.Label
	summary *widget.Label
	list    *reportTable
	note    *widget.Label // "No payouts arrive in this period." or the error
	detail  *payoutDetail
	gen     int // bumped on every period change: a late answer is dropped
	// rows are the payouts on show, in the list's order; loaded is set
	// once a list came back (for tests). chosen is the selected payout's
	// id, kept when the list is read again (a sync caught up, another
	// period) as long as the payout is still in it.
	rows   []reports.PayoutRow
	loaded bool
	chosen string
}

// The list's columns.
const (
	payoutColArrival = iota
	payoutColAmount
	payoutColStatus
	payoutColType
	payoutColBank
	payoutColMark
)

var payoutColumns = []reportColumn{
	{key: "payouts.column.arrival", width: 130},
	{key: "payouts.column.amount", width: 130, align: fyne.TextAlignTrailing},
	{key: "payouts.column.status", width: 110},
	{key: "payouts.column.type", width: 190},
	{key: "payouts.column.bank", width: 90},
	{key: "payouts.column.reconciliation", width: 330},
}

func newPayoutsTab(sh Shell, connID string) *payoutsTab {
	t := &payoutsTab{sh: sh, connID: connID}
	t.period = newPeriodSelect(t.load)
	t.zone = widget.NewLabel("")
	t.summary = widget.NewLabel("")
	t.summary.Wrapping = fyne.TextWrapWord
	t.note = widget.NewLabel("")
	t.note.Hide()
	t.list = newReportTable(payoutColumns, func() int { return len(t.rows) }, t.cell, t.selected)
	t.detail = newPayoutDetail(sh, connID)
	how := widget.NewButtonWithIcon(i18n.T("money.how"), theme.QuestionIcon(), func() { explainDialog(sh, "payouts.how_markdown") })
	how.Importance = widget.LowImportance
	bar := container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(container.New(fixedWidth{200}, t.period), t.zone), how),
		t.summary)
	list := container.NewBorder(t.note, nil, nil, nil, t.list.table)
	split := container.NewVSplit(list, t.detail.root)
	split.SetOffset(0.3) // a few payouts a month; a payout has many transactions
	t.root = container.NewBorder(bar, nil, nil, nil, split)
	return t
}

// open picks the last 30 days the first time (the last payout is in
// them), which reads the list.
func (t *payoutsTab) open() { chooseFirstTime(t.period, reports.PeriodLast30Days) }

// load reads the period's payouts and the period before's off the UI
// goroutine and shows them; the selected payout stays selected (and is
// read again) when it is still in the list.
func (t *payoutsTab) load() {
	t.gen++
	gen := t.gen
	p := chosenPeriod(t.period, t.sh.Now())
	f := formatter()
	t.zone.SetText(i18n.T("payouts.period_range", i18n.Args{"From": f.Date(p.From), "To": f.Date(p.To.AddDate(0, 0, -1)),
		"Zone": zoneName(p.From.Location(), p.From)}))
	svc, ids := t.sh.Services().Payouts, []string{t.connID}
	var rows, before []reports.PayoutRow
	var err error
	t.sh.Background(func() {
		if rows, err = svc.Payouts(context.Background(), ids, p); err == nil {
			before, err = svc.Payouts(context.Background(), ids, p.Previous())
		}
	}, func() {
		if gen != t.gen {
			return
		}
		if err != nil {
			t.list.table.UnselectAll()
			t.detail.clear()
			t.rows = nil
			t.summary.SetText("")
			t.note.SetText(i18n.T("payouts.error", i18n.Args{"Reason": errorText(err)}))
			t.note.Show()
			t.list.table.Refresh()
			return
		}
		t.show(rows, before)
	})
}

// show puts a period's payouts on the list, and what was paid out; the
// payout chosen before is selected again and read afresh, if it is there.
func (t *payoutsTab) show(rows, before []reports.PayoutRow) {
	t.rows, t.loaded = rows, true
	t.summary.SetText(paidOutText(rows, before))
	t.note.SetText(i18n.T("payouts.empty"))
	t.note.Hidden = len(rows) > 0
	t.note.Refresh()
	t.list.table.UnselectAll()
	t.list.table.Refresh()
	i := slices.IndexFunc(rows, func(p reports.PayoutRow) bool { return p.ID == t.chosen })
	if i < 0 {
		t.chosen = ""
		t.detail.clear()
		t.list.table.ScrollToTop()
		return
	}
	t.list.table.Select(widget.TableCellID{Row: i, Col: payoutColAmount}) // reads it again
}

// paidOut adds up the paid payouts' amounts per currency: what reached
// the bank (failed and canceled ones did not; pending and in-transit ones
// not yet).
func paidOut(rows []reports.PayoutRow) (reports.Money, int) {
	m, n := reports.Money{}, 0
	for _, p := range rows {
		if p.Status == "paid" {
			m[p.Currency] += p.Amount
			n++
		}
	}
	return m, n
}

// paidOutText is the summary line: "Paid out: $1,234.56 (3 payouts) ·
// the period before: $1,000.00 (2 payouts)", "nothing" for no payout.
func paidOutText(rows, before []reports.PayoutRow) string {
	now, n := paidOut(rows)
	was, m := paidOut(before)
	total := func(m reports.Money) string {
		curs := currenciesOf(m)
		if len(curs) == 0 {
			return i18n.T("payouts.nothing")
		}
		f := formatter()
		parts := make([]string, len(curs))
		for i, c := range curs {
			parts[i] = f.Money(m[c], c)
		}
		return strings.Join(parts, ", ")
	}
	return i18n.T("payouts.summary", i18n.Args{"Total": total(now), "Count": i18n.N("payouts.count", n),
		"BeforeTotal": total(was), "BeforeCount": i18n.N("payouts.count", m)})
}

// cell is one cell of the list.
func (t *payoutsTab) cell(row, col int) reportCell {
	return payoutCell(t.rows[row], col)
}

// payoutCell words column col of payout p.
func payoutCell(p reports.PayoutRow, col int) reportCell {
	f := formatter()
	switch col {
	case payoutColArrival:
		return reportCell{text: arrivalFormatter().Date(p.ArrivalDate)}
	case payoutColAmount:
		return reportCell{text: f.Money(p.Amount, p.Currency)}
	case payoutColStatus:
		return reportCell{text: payoutStatusText(p.Status)}
	case payoutColType:
		return reportCell{text: payoutKindText(p)}
	case payoutColBank:
		return reportCell{text: bankText(p.BankLast4)}
	case payoutColMark:
		return reconcileCell(f, p)
	}
	return reportCell{}
}

// selected reads the chosen payout's transactions.
func (t *payoutsTab) selected(row int) {
	t.chosen = t.rows[row].ID
	t.detail.load(t.rows[row])
}
