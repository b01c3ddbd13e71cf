package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	statuspkg "github.com/ledgerline/ledgerline/internal/status"
)

// detailsPage shows one connection's record and its actions:
// Re-authenticate and Disconnect.
type detailsPage struct {
	ui         *UI
	conn       domain.Connection
	root       fyne.CanvasObject
	reauth     *widget.Button
	disconnect *widget.Button
	sync       *syncPanel // nil when the window has no sync service
	lastSync   *widget.Label
	overview   *overviewPanel // nil when the window has no reports
	confirm    *widget.Button // the dialog's Disconnect button, while it is open
	deleteData *widget.Check  // the dialog's "also delete the data" box
}

func newDetailsPage(u *UI, c domain.Connection) *detailsPage {
	p := &detailsPage{ui: u, conn: c}
	now := u.now()
	p.lastSync = widget.NewLabel(dateTime(c.LastSyncAt, now, "never"))
	detail := c.StatusDetail
	if detail == "" {
		detail = "—"
	}
	status := newChip()
	if u.offline[c.ID] {
		status.set(statuspkg.Describe(c, true, now), toneWarn)
	} else {
		status.set(c.Status.Label(), statusTone(c.Status))
	}
	rows := []fyne.CanvasObject{
		fieldName("Status"), status.root,
		fieldName("Status detail"), wrapped(detail),
		fieldName("Account ID"), widget.NewLabel(c.AccountID),
		fieldName("Mode"), widget.NewLabel(c.ModeLabel()),
		fieldName("Access"), widget.NewLabel(scopeLabel(c.Scope)),
		fieldName("Signed in with"), widget.NewLabel(authLabel(c.AuthMethod)),
		fieldName("Connected"), widget.NewLabel(dateTime(c.ConnectedAt, now, "—")),
		fieldName("Last checked"), widget.NewLabel(dateTime(c.StatusCheckedAt, now, "not checked yet")),
		fieldName("Last sync"), p.lastSync,
	}
	p.reauth = widget.NewButtonWithIcon("Re-authenticate", theme.ViewRefreshIcon(), p.runReauth)
	if c.NeedsReauth() {
		p.reauth.Importance = widget.HighImportance
	}
	p.disconnect = widget.NewButtonWithIcon("Disconnect", theme.DeleteIcon(), p.confirmDisconnect)
	p.disconnect.Importance = widget.DangerImportance
	if c.Status == domain.StatusDisconnected {
		p.disconnect.Disable()
	}
	body := container.NewVBox(
		breadcrumb(crumb{"Connections", u.showConnections}, crumb{c.Name, nil}),
		heading(c.Name),
		container.New(layout.NewFormLayout(), rows...),
		container.NewHBox(p.reauth, p.disconnect),
	)
	if u.p.Reports != nil {
		p.overview = newOverviewPanel()
		p.overview.load(u, c.ID)
		body.Add(widget.NewSeparator())
		body.Add(p.overview.root)
	}
	if u.p.Sync != nil && c.Status != domain.StatusDisconnected {
		p.sync = newSyncPanel(u, c)
		if pr, ok := u.progress[c.ID]; ok {
			p.sync.show(pr)
		}
		body.Add(widget.NewSeparator())
		body.Add(p.sync.root)
	}
	p.root = container.NewVScroll(body)
	return p
}

func fieldName(s string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *detailsPage) runReauth() {
	p.ui.reauthenticate(p.conn)
}

// confirmDisconnect asks before revoking, and whether to keep the data
// already copied to this computer (kept unless the person ticks the box).
func (p *detailsPage) confirmDisconnect() {
	p.deleteData = widget.NewCheck("Also delete the data already copied to this computer", nil)
	msg := wrapped("Ledgerline will stop reading " + p.conn.Name + " and remove its access from your keychain. " +
		"You can connect it again later.")
	d := dialog.NewCustomWithoutButtons("Disconnect "+p.conn.Name+"?", container.NewVBox(msg, p.deleteData), p.ui.win)
	keep := widget.NewButton("Keep connected", d.Hide)
	p.confirm = widget.NewButton("Disconnect", func() {
		d.Hide()
		p.runDisconnect(p.deleteData.Checked)
	})
	p.confirm.Importance = widget.DangerImportance
	d.SetButtons([]fyne.CanvasObject{keep, p.confirm})
	d.Resize(fyne.NewSize(480, 220))
	d.Show()
}

func (p *detailsPage) runDisconnect(deleteData bool) {
	p.disconnect.Disable()
	var err error
	p.ui.background(func() { err = p.ui.p.Connector.Disconnect(context.Background(), p.conn.ID, deleteData) }, func() {
		if err != nil && !errors.Is(err, domain.ErrCanceled) {
			p.disconnect.Enable()
			p.ui.showError(err)
			return
		}
		if p.ui.p.Sync != nil {
			p.ui.p.Sync.UpdateNow(p.conn.ID) // stops its sync
		}
		p.ui.showConnections()
		p.ui.banner.Show(bannerInfo, bold(p.conn.Name), plain(" is disconnected."))
	})
}
