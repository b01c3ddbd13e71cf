package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// payoutDetail is the Payouts tab's lower half: the selected payout, its
// reconciliation in words with an icon, the transactions it paid out
// (type, created, customer, description, gross, fee, net; a row opens its
// balance transaction), their totals against the payout's amount with the
// difference when they don't add up, and Export reconciliation CSV….
type payoutDetail struct {
	sh       Shell
	connID   string
	root     fyne.CanvasObject
	title    *widget.Label
	markIcon *widget.Icon
	mark     *widget.Label
	export   *widget.Button
	table    *reportTable
	totals   *widget.Label
	gen      int
	// shown is the payout on show with its transactions, nil while none
	// is (or while it is read).
	shown *reports.PayoutDetail
}

// The transactions' columns.
const (
	txnColType = iota
	txnColCreated
	txnColCustomer
	txnColDescription
	txnColGross
	txnColFee
	txnColNet
)

var txnColumns = []reportColumn{
	{key: "payouts.txn.column.type", width: 140},
	{key: "payouts.txn.column.created", width: 170},
	{key: "payouts.txn.column.customer", width: 170},
	{key: "payouts.txn.column.description", width: 190},
	{key: "payouts.txn.column.gross", width: 110, align: fyne.TextAlignTrailing},
	{key: "payouts.txn.column.fee", width: 100, align: fyne.TextAlignTrailing},
	{key: "payouts.txn.column.net", width: 110, align: fyne.TextAlignTrailing},
}

func newPayoutDetail(sh Shell, connID string) *payoutDetail {
	d := &payoutDetail{sh: sh, connID: connID}
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.Wrapping = fyne.TextWrapWord
	d.markIcon = widget.NewIcon(nil)
	d.mark = widget.NewLabel("")
	d.mark.Wrapping = fyne.TextWrapWord
	d.export = widget.NewButtonWithIcon(i18n.T("payouts.export"), theme.DocumentSaveIcon(), d.chooseExportFile)
	d.totals = widget.NewLabel("")
	d.totals.Wrapping = fyne.TextWrapWord
	d.totals.TextStyle = fyne.TextStyle{Bold: true}
	d.table = newReportTable(txnColumns, d.rowCount, d.cell, d.opened)
	head := container.NewVBox(
		container.NewBorder(nil, nil, nil, d.export, d.title),
		container.NewBorder(nil, nil, container.NewCenter(d.markIcon), nil, d.mark))
	d.root = container.NewBorder(head, d.totals, nil, nil, d.table.table)
	d.clear()
	return d
}

// clear shows no payout: a hint to select one.
func (d *payoutDetail) clear() {
	d.gen++
	d.shown = nil
	d.title.SetText(i18n.T("payouts.detail.pick"))
	d.mark.SetText("")
	d.markIcon.Hide()
	d.export.Disable()
	d.totals.SetText("")
	d.table.table.Refresh()
}

// load reads payout p's transactions off the UI goroutine and shows them.
func (d *payoutDetail) load(p reports.PayoutRow) {
	d.clear()
	gen := d.gen
	d.title.SetText(payoutTitle(p))
	d.mark.SetText(i18n.T("payouts.detail.reading"))
	svc := d.sh.Services().Payouts
	var got reports.PayoutDetail
	var err error
	d.sh.Background(func() { got, err = svc.Payout(context.Background(), p.ConnectionID, p.ID) }, func() {
		if gen != d.gen {
			return
		}
		if err != nil {
			d.mark.SetText(i18n.T("payouts.detail.error", i18n.Args{"Reason": errorText(err)}))
			d.markIcon.SetResource(theme.ErrorIcon())
			d.markIcon.Show()
			return
		}
		d.show(got)
	})
}

// show lays a payout's reconciliation out.
func (d *payoutDetail) show(got reports.PayoutDetail) {
	d.shown = &got
	p := got.Payout
	f := formatter()
	d.title.SetText(payoutTitle(p))
	text, icon := reconcileSentence(f, p)
	d.mark.SetText(text)
	d.markIcon.SetResource(icon)
	d.markIcon.Show()
	if p.LinksSynced {
		d.export.Enable()
		d.totals.SetText(totalsText(got))
	}
	d.table.table.ScrollToTop()
	d.table.table.Refresh()
}

// payoutTitle is "Payout po_… · $125.05 · arrives Nov 10, 2026 · Paid ·
// Bank account, standard", then "· bank ••6789" when the data has them.
func payoutTitle(p reports.PayoutRow) string {
	args := i18n.Args{"ID": p.ID, "Amount": formatter().Money(p.Amount, p.Currency),
		"Arrival": arrivalFormatter().Date(p.ArrivalDate), "Status": payoutStatusText(p.Status),
		"Kind": payoutKindText(p), "Bank": bankText(p.BankLast4)}
	if p.BankLast4 == "" {
		return i18n.T("payouts.detail.title", args)
	}
	return i18n.T("payouts.detail.title_bank", args)
}

// txnTotals adds up a payout's transactions, as shown in its table.
func txnTotals(d reports.PayoutDetail) (gross, fee, net int64) {
	for _, t := range d.Transactions {
		gross, fee, net = gross+t.Gross, fee+t.Fee, net+t.Net
	}
	return gross, fee, net
}

// totalsText is the line under the transactions: their gross, fees and
// net beside the payout's amount, and the difference when the net falls
// short of it (or goes over).
func totalsText(d reports.PayoutDetail) string {
	f := formatter()
	cur := d.Payout.Currency
	gross, fee, net := txnTotals(d)
	args := i18n.Args{"Gross": f.Money(gross, cur), "Fee": f.Money(fee, cur), "Net": f.Money(net, cur),
		"Amount": f.Money(d.Payout.Amount, cur), "Difference": f.Money(d.Payout.Amount-net, cur)}
	if net == d.Payout.Amount {
		return i18n.T("payouts.detail.totals", args)
	}
	return i18n.T("payouts.detail.totals_off", args)
}

func (d *payoutDetail) rowCount() int {
	if d.shown == nil {
		return 0
	}
	return len(d.shown.Transactions)
}

func (d *payoutDetail) cell(row, col int) reportCell {
	return txnCell(d.shown.Transactions[row], col)
}

// txnCell words column col of transaction t.
func txnCell(t reports.PayoutTransaction, col int) reportCell {
	f := formatter()
	switch col {
	case txnColType:
		return reportCell{text: txnKindText(t)}
	case txnColCreated:
		if t.Created.IsZero() {
			return reportCell{text: "—"}
		}
		return reportCell{text: f.DateTime(t.Created)}
	case txnColCustomer:
		return reportCell{text: orDash(t.Customer)}
	case txnColDescription:
		return reportCell{text: orDash(t.Description)}
	case txnColGross:
		return reportCell{text: f.Money(t.Gross, t.Currency)}
	case txnColFee:
		return reportCell{text: f.Money(t.Fee, t.Currency)}
	case txnColNet:
		return reportCell{text: f.Money(t.Net, t.Currency)}
	}
	return reportCell{}
}

// opened shows every field of the selected row's balance transaction.
func (d *payoutDetail) opened(row int) {
	d.table.table.UnselectAll() // selecting the same row again opens it again
	if d.shown == nil || row >= len(d.shown.Transactions) {
		return
	}
	openObject(d.sh, browse.ObjectBalanceTransactions, d.shown.Payout.ConnectionID, d.shown.Transactions[row].ID)
}
