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

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	statuspkg "github.com/ledgerline/ledgerline/internal/status"
)

// detailsPage is a connection's page: its name, status and actions
// (Re-authenticate, Disconnect) above tabs: Overview (cards and the revenue
// chart), a table per kind of data (Payments, Invoices, Customers,
// Subscriptions), Sync (what is copied, how far) and Details (the record).
type detailsPage struct {
	ui         *UI
	conn       domain.Connection
	root       fyne.CanvasObject
	tabs       *container.AppTabs
	reauth     *widget.Button
	disconnect *widget.Button
	sync       *syncPanel // nil when the window has no sync service
	lastSync   *widget.Label
	overview   *overviewPanel // nil when the window has no reports
	data       []*dataTab     // empty when the window has no browse service
	confirm    *widget.Button // the dialog's Disconnect button, while it is open
	deleteData *widget.Check  // the dialog's "also delete the data" box
}

// Tab names, also the values remembered as the last page.
const (
	tabOverview = "Overview"
	tabSync     = "Sync"
	tabDetails  = "Details"
)

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
		fieldName("Status"), widget.NewLabel(c.Status.Label()),
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
	header := container.NewVBox(
		breadcrumb(crumb{"Connections", u.showConnections}, crumb{c.Name, nil}),
		container.NewBorder(nil, nil, container.NewHBox(heading(c.Name), container.NewCenter(status.root)),
			container.NewHBox(p.reauth, p.disconnect)),
	)

	p.tabs = container.NewAppTabs()
	if u.p.Reports != nil {
		p.overview = newOverviewPanel()
		p.overview.load(u, c.ID)
		p.tabs.Append(container.NewTabItemWithIcon(tabOverview, theme.HomeIcon(), p.overview.view))
	}
	if u.p.Browse != nil {
		for _, v := range browse.Views() {
			t := newDataTab(u, v, c.ID)
			p.data = append(p.data, t)
			p.tabs.Append(container.NewTabItemWithIcon(v.Title, theme.ListIcon(), t.root))
		}
	}
	if u.p.Sync != nil && c.Status != domain.StatusDisconnected {
		p.sync = newSyncPanel(u, c)
		if pr, ok := u.progress[c.ID]; ok {
			p.sync.show(pr)
		}
		p.tabs.Append(container.NewTabItemWithIcon(tabSync, theme.ViewRefreshIcon(), container.NewVScroll(p.sync.root)))
	}
	p.tabs.Append(container.NewTabItemWithIcon(tabDetails, theme.InfoIcon(),
		container.NewVScroll(container.NewVBox(container.New(layout.NewFormLayout(), rows...)))))
	p.tabs.OnSelected = func(ti *container.TabItem) { p.tabShown(ti.Text) }
	p.root = container.NewBorder(header, nil, nil, nil, p.tabs)
	return p
}

// showTab selects the tab with this title, if the page has it.
func (p *detailsPage) showTab(title string) bool {
	for _, ti := range p.tabs.Items {
		if ti.Text == title {
			p.tabs.Select(ti)
			p.tabShown(title)
			return true
		}
	}
	return false
}

// tabShown starts a data tab's first read when it comes into view.
func (p *detailsPage) tabShown(title string) {
	for _, t := range p.data {
		if t.view.Title == title {
			t.open()
		}
	}
	p.ui.remember(pageConnection(p.conn.ID, title))
}

// dataTab returns the data tab of a view ("payments"), nil when absent.
func (p *detailsPage) dataTab(view string) *dataTab {
	for _, t := range p.data {
		if t.view.Name == view {
			return t
		}
	}
	return nil
}

// close stops the page's background reads.
func (p *detailsPage) close() {
	for _, t := range p.data {
		t.close()
	}
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

// caughtUp reads the overview and the open tables again: the sync has
// copied everything there was.
func (p *detailsPage) caughtUp() {
	if p.overview != nil {
		p.overview.load(p.ui, p.conn.ID)
	}
	for _, t := range p.data {
		if t.opened {
			t.reload()
		}
	}
}
