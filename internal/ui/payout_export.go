package ui

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/ledgerline/ledgerline/internal/csvsafe"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// chooseExportFile asks where to save the shown payout's reconciliation.
// The file is reports.WritePayoutCSV's, the same bytes as
// `ledgerline report payout PO_ID --csv`: English column keys in every
// language.
func (d *payoutDetail) chooseExportFile() {
	if d.shown == nil || !d.shown.Payout.LinksSynced {
		return
	}
	detail := *d.shown
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			d.sh.Say(bannerError, plain(i18n.T("payouts.export.open_error", i18n.Args{"Reason": errorText(err)})))
			return
		}
		if w == nil {
			return // the person canceled
		}
		d.exportTo(w, w.URI().Name(), detail)
	}, d.sh.Window())
	fd.SetFileName(payoutFileName(detail.Payout.ID))
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	fd.Show()
	fd.Resize(fyne.NewSize(860, 560)) // only once shown: a file dialog builds itself in Show
}

// payoutFileName is the name the dialog suggests: "payout-po_1AbC.csv".
func payoutFileName(id string) string { return fmt.Sprintf("payout-%s.csv", id) }

// exportTo writes payout's reconciliation to w in the background, readable
// by its owner alone (0600, a new file or one written over), closes it, and
// says how it went at the top of the window.
func (d *payoutDetail) exportTo(w fyne.URIWriteCloser, name string, payout reports.PayoutDetail) {
	d.export.Disable()
	var err error
	d.sh.Background(func() {
		if err = ownerOnly(w); err == nil {
			err = reports.WritePayoutCSV(w, payout, false)
		}
		if cerr := w.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}, func() {
		if d.shown != nil && d.shown.Payout.LinksSynced {
			d.export.Enable()
		}
		if err != nil {
			d.sh.Say(bannerError, withBoldName("payouts.export.failed", name, i18n.Args{"Reason": errorText(err)})...)
			return
		}
		n := len(payout.Transactions)
		d.sh.Say(bannerSuccess, withBoldNameN("payouts.export.done", n, formatter().Number(int64(n)), name)...)
	})
}

// ownerOnly makes the file behind w readable and writable by its owner
// alone, whether the dialog made it or it was there before: a payout's
// customers and amounts are the store's business. It changes the open
// file itself (fchmod) when it can, else a local file by its path; other
// places (none on desktops) are left as they are.
func ownerOnly(w fyne.URIWriteCloser) error {
	if f, ok := w.(interface{ Chmod(os.FileMode) error }); ok {
		return f.Chmod(csvsafe.FileMode)
	}
	if w.URI().Scheme() == "file" {
		return os.Chmod(w.URI().Path(), csvsafe.FileMode)
	}
	return nil
}
