package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// runDisconnect revokes and forgets the connection in the background. On
// success it goes back to Connections and says what happened, with the
// owner's next step when the removal at Stripe is not confirmed (an API
// key, or a sign-in Stripe no longer renews). On failure nothing was
// forgotten: it says why and offers to try again.
func (p *detailsPage) runDisconnect(deleteData bool) {
	p.disconnect.Disable()
	sh, conn := p.sh, p.conn
	var (
		reason domain.Kind
		err    error
	)
	sh.Background(func() { reason, err = sh.Services().Connector.Disconnect(context.Background(), conn.ID, deleteData) }, func() {
		if err != nil && !errors.Is(err, domain.ErrCanceled) {
			p.disconnect.Enable()
			sh.ShowError(err)
			p.offerRetry(err, deleteData)
			return
		}
		if sync := sh.Services().Sync; sync != nil {
			sync.UpdateNow(conn.ID) // stops its sync
		}
		sh.Go(routeConnections)
		parts := withBoldName("disconnect.done", conn.Name)
		switch reason {
		case domain.KindDisconnectedUnconfirmed:
			parts = append(parts, plain(" "+i18n.T("disconnect.done.unconfirmed")))
		case domain.KindDisconnectedKey:
			parts = append(parts, plain(" "+i18n.T("disconnect.done.api_key")))
		}
		sh.Say(bannerInfo, parts...)
	})
}

// offerRetry shows why the disconnect failed, that Ledgerline still holds
// its access, and a Try again button that runs it again with the same
// choice about the data.
func (p *detailsPage) offerRetry(err error, deleteData bool) {
	args := i18n.Args{"Name": p.conn.Name}
	body := container.NewVBox(wrapped(errorText(err)), wrapped(i18n.T("disconnect.failed.kept", args)))
	d := dialog.NewCustomWithoutButtons(i18n.T("disconnect.failed.title", args), body, p.sh.Window())
	closeBtn := widget.NewButton(i18n.T("dialog.close"), func() {
		p.retry = nil
		d.Hide()
	})
	p.retry = widget.NewButton(i18n.T("disconnect.failed.retry"), func() {
		p.retry = nil
		d.Hide()
		p.runDisconnect(deleteData)
	})
	p.retry.Importance = widget.DangerImportance
	d.SetButtons([]fyne.CanvasObject{closeBtn, p.retry})
	d.Resize(fyne.NewSize(480, 240))
	d.Show()
}
