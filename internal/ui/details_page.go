package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// detailsPage is a connection's page: its name, status and actions
// (Re-authenticate, Disconnect) above tabs: Overview (cards and the revenue
// chart), the insights (Net and fees, Payouts, Recurring revenue, At
// risk), a table per kind of data (Payments, Invoices, Customers,
// Subscriptions), Sync (what is copied, how far) and Details (the record).
type detailsPage struct {
	basePage
	sh         Shell
	conn       domain.Connection
	root       fyne.CanvasObject
	tabs       *container.AppTabs
	tabNames   []string // each tab's stable name, in order
	reauth     *widget.Button
	disconnect *widget.Button
	sync       *syncPanel // nil when the window has no sync service
	lastSync   *widget.Label
	overview   *overviewPanel // nil when the window has no reports
	money      *moneyTab      // nil when the window has no money reports
	payouts    *payoutsTab    // nil when the window has no payouts report
	subs       *subscriptionsTab
	risk       *atRiskTab
	data       []*dataTab     // empty when the window has no browse service
	confirm    *widget.Button // the dialog's Disconnect button, while it is open
	deleteData *widget.Check  // the dialog's "also delete the data" box
	retry      *widget.Button // the failure dialog's Try again button, while it is open
	// lastProgress is the last sync snapshot shown; poll is the reading
	// of the sync's progress while the page is open, pollStop ends it.
	lastProgress syncer.Progress
	poll         context.Context
	pollStop     context.CancelFunc
	copying      copyRefresh // paces reading figures again while they copy
}

// Tab names: stable, in routes and the remembered last page.
const (
	tabOverview = "overview"
	tabMoney    = "money"
	tabPayouts  = "payouts"
	tabSubs     = "subscriptions_mrr"
	tabRisk     = "at_risk"
	tabSync     = "sync"
	tabDetails  = "details"
)

// connectionTabNames are the tabs a connection's page can have, in order.
func connectionTabNames() []string {
	out := []string{tabOverview, tabMoney, tabPayouts, tabSubs, tabRisk}
	for _, v := range browse.Views() {
		out = append(out, v.Name)
	}
	return append(out, tabSync, tabDetails)
}

// tabTitle is a tab's name as the window shows it.
func tabTitle(name string) string { return i18n.T("tab." + name) }

func newDetailsPage(sh Shell, c domain.Connection, tab string) *detailsPage {
	p := &detailsPage{sh: sh, conn: c}
	svc := sh.Services()
	now := sh.Now()
	p.lastSync = widget.NewLabel(dateTime(c.LastSyncAt, now, i18n.T("time.never")))
	status := newChip()
	if sh.Offline(c.ID) {
		status.set(offlineText(c, now), toneWarn)
	} else {
		status.set(statusLabel(c.Status), statusTone(c.Status))
	}
	detail := statusReasonText(c)
	if detail == "" {
		detail = "—"
	}
	rows := []fyne.CanvasObject{
		fieldName(i18n.T("details.status")), widget.NewLabel(statusLabel(c.Status)),
		fieldName(i18n.T("details.status_detail")), wrapped(detail),
		fieldName(i18n.T("details.account_id")), widget.NewLabel(c.AccountID),
		fieldName(i18n.T("details.mode")), widget.NewLabel(modeLabel(c)),
		fieldName(i18n.T("details.access")), widget.NewLabel(scopeLabel(c.Scope)),
		fieldName(i18n.T("details.signed_in_with")), widget.NewLabel(authLabel(c.AuthMethod)),
		fieldName(i18n.T("details.connected")), widget.NewLabel(dateTime(c.ConnectedAt, now, "—")),
		fieldName(i18n.T("details.last_checked")), widget.NewLabel(dateTime(c.StatusCheckedAt, now, i18n.T("time.not_checked"))),
		fieldName(i18n.T("details.last_sync")), p.lastSync,
	}
	p.reauth = widget.NewButtonWithIcon(i18n.T("details.reauthenticate"), theme.ViewRefreshIcon(), func() { sh.Reauthenticate(p.conn) })
	if c.NeedsReauth() {
		p.reauth.Importance = widget.HighImportance
	}
	p.disconnect = widget.NewButtonWithIcon(i18n.T("details.disconnect"), theme.DeleteIcon(), p.confirmDisconnect)
	p.disconnect.Importance = widget.DangerImportance
	if c.Status == domain.StatusDisconnected {
		p.disconnect.Disable()
	}
	header := container.NewBorder(nil, nil, container.NewHBox(heading(c.Name), container.NewCenter(status.root)),
		container.NewHBox(p.reauth, p.disconnect))

	p.tabs = container.NewAppTabs()
	add := func(name string, icon fyne.Resource, content fyne.CanvasObject) {
		p.tabNames = append(p.tabNames, name)
		p.tabs.Append(container.NewTabItemWithIcon(tabTitle(name), icon, content))
	}
	if svc.Reports != nil {
		p.overview = newOverviewPanel()
		p.overview.load(sh, c.ID)
		add(tabOverview, theme.HomeIcon(), p.overview.view)
	}
	if svc.Money != nil {
		p.money = newMoneyTab(sh, func() []string { return []string{c.ID} })
		add(tabMoney, theme.GridIcon(), p.money.root)
	}
	if svc.Payouts != nil {
		p.payouts = newPayoutsTab(sh, c.ID)
		add(tabPayouts, theme.UploadIcon(), p.payouts.root)
	}
	if svc.Subscriptions != nil {
		p.subs = newSubscriptionsTab(sh, c.ID)
		add(tabSubs, theme.HistoryIcon(), p.subs.root)
	}
	if svc.AtRisk != nil {
		p.risk = newAtRiskTab(sh, c.ID)
		add(tabRisk, theme.WarningIcon(), p.risk.root)
	}
	if svc.Browse != nil {
		for _, v := range browse.Views() {
			t := newDataTab(sh, v, c.ID)
			p.data = append(p.data, t)
			add(v.Name, theme.ListIcon(), t.root)
		}
	}
	if svc.Sync != nil && c.Status != domain.StatusDisconnected {
		p.sync = newSyncPanel(sh, c)
		if pr, ok := sh.SyncProgress(c.ID); ok {
			p.sync.show(pr)
		}
		add(tabSync, theme.ViewRefreshIcon(), container.NewVScroll(p.sync.root))
	}
	add(tabDetails, theme.InfoIcon(), container.NewVScroll(container.NewVBox(container.New(layout.NewFormLayout(), rows...))))
	p.selectTab(tab)
	p.tabs.OnSelected = func(*container.TabItem) { p.tabShown() }
	p.root = container.NewBorder(header, nil, nil, nil, p.tabs)
	return p
}

// Route is "connection/<id>/<tab on show>".
func (p *detailsPage) Route() string { return routeConnection(p.conn.ID, p.selectedTab()) }

func (p *detailsPage) Content() fyne.CanvasObject { return p.root }

func (p *detailsPage) Crumbs() []Crumb {
	return []Crumb{{i18n.T("connections.title"), routeConnections}, {p.conn.Name, ""}}
}

// Shown starts the tab on show (a data tab's first read) and, while the
// page is open, reads the sync's progress every second.
func (p *detailsPage) Shown() {
	p.tabShown()
	if p.sync != nil {
		p.poll, p.pollStop = context.WithCancel(context.Background())
		go pollProgress(p.poll, p.sh, p.conn.ID)
	}
}

// Closed stops the page's background reads.
func (p *detailsPage) Closed() {
	if p.pollStop != nil {
		p.pollStop()
	}
	for _, t := range p.data {
		t.close()
	}
}

// Progress shows the connection's sync snapshots; once the sync has
// caught up, the figures and open tables are read again.
func (p *detailsPage) Progress(pr syncer.Progress) {
	if pr.ConnectionID != p.conn.ID {
		return
	}
	before := p.lastProgress
	p.lastProgress = pr
	if p.sync != nil {
		p.sync.show(pr)
	}
	if last := pr.LastCompleteAt(); !last.IsZero() {
		p.lastSync.SetText(dateTime(last, p.sh.Now(), i18n.T("time.never")))
	}
	if pr.Stage != before.Stage && (pr.Stage == syncer.StageFollowing || pr.Stage == syncer.StageDone) {
		p.caughtUp()
	} else {
		p.refreshWhileCopying(pr)
	}
}

// Shortcut: Ctrl+R updates now, Ctrl+F searches the table on show, Ctrl+E
// exports it (on Payouts: the selected payout's reconciliation), Ctrl+1…
// select a tab and Ctrl+Page Down/Up the next or previous one.
func (p *detailsPage) Shortcut(a Action) bool {
	switch a.Kind {
	case ActionRefresh:
		if sync := p.sh.Services().Sync; sync != nil && p.conn.Status != domain.StatusDisconnected {
			sync.UpdateNow(p.conn.ID)
			return true
		}
	case ActionTab:
		names := connectionTabNames()
		if a.Tab >= 0 && a.Tab < len(names) {
			return p.selectTab(names[a.Tab])
		}
	case ActionTabStep:
		if n := len(p.tabNames); n > 0 {
			i := max(p.tabs.SelectedIndex(), 0)
			return p.selectTab(p.tabNames[((i+a.Tab)%n+n)%n])
		}
	case ActionSearch:
		if t := p.shownDataTab(); t != nil {
			p.sh.Window().Canvas().Focus(t.search)
			return true
		}
	case ActionExport:
		if t := p.shownDataTab(); t != nil {
			t.chooseExportFile()
			return true
		}
		if p.payouts != nil && p.selectedTab() == tabPayouts && !p.payouts.detail.export.Disabled() {
			p.payouts.detail.chooseExportFile()
			return true
		}
	}
	return false
}

// selectTab selects the tab with this name, if the page has it.
func (p *detailsPage) selectTab(name string) bool {
	for i, n := range p.tabNames {
		if n == name {
			if p.tabs.SelectedIndex() != i {
				p.tabs.SelectIndex(i)
			}
			return true
		}
	}
	return false
}

// selectedTab is the name of the tab on show.
func (p *detailsPage) selectedTab() string {
	if i := p.tabs.SelectedIndex(); i >= 0 && i < len(p.tabNames) {
		return p.tabNames[i]
	}
	return ""
}

// tabShown starts a data tab's first read when it comes into view, and
// remembers the tab.
func (p *detailsPage) tabShown() {
	if t := p.shownDataTab(); t != nil {
		t.open()
	}
	switch tab := p.selectedTab(); {
	case p.money != nil && tab == tabMoney:
		p.money.open()
	case p.payouts != nil && tab == tabPayouts:
		p.payouts.open()
	case p.subs != nil && tab == tabSubs:
		p.subs.open()
	case p.risk != nil && tab == tabRisk:
		p.risk.open()
	}
	p.sh.Remember(p.Route())
}

// shownDataTab is the data tab on show, nil on other tabs.
func (p *detailsPage) shownDataTab() *dataTab {
	return p.dataTab(p.selectedTab())
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

func fieldName(s string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// confirmDisconnect asks before revoking, and whether to keep the data
// already copied to this computer (kept unless the person ticks the box).
func (p *detailsPage) confirmDisconnect() {
	args := i18n.Args{"Name": p.conn.Name}
	p.deleteData = widget.NewCheck(i18n.T("disconnect.delete_data"), nil)
	msg := wrapped(i18n.T("disconnect.body", args))
	d := dialog.NewCustomWithoutButtons(i18n.T("disconnect.title", args), container.NewVBox(msg, p.deleteData), p.sh.Window())
	keep := widget.NewButton(i18n.T("disconnect.keep"), d.Hide)
	p.confirm = widget.NewButton(i18n.T("disconnect.confirm"), func() {
		d.Hide()
		p.runDisconnect(p.deleteData.Checked)
	})
	p.confirm.Importance = widget.DangerImportance
	d.SetButtons([]fyne.CanvasObject{keep, p.confirm})
	d.Resize(fyne.NewSize(480, 220))
	d.Show()
}

// caughtUp reads the overview and the open tables again: the sync has
// copied everything there was.
func (p *detailsPage) caughtUp() {
	if p.overview != nil {
		p.overview.load(p.sh, p.conn.ID)
	}
	if p.money != nil && p.money.period.SelectedIndex() >= 0 {
		p.money.load()
	}
	if p.payouts != nil && p.payouts.period.SelectedIndex() >= 0 {
		p.payouts.load()
	}
	if p.subs != nil && p.subs.loaded {
		p.subs.load()
	}
	if p.risk != nil && p.risk.period.SelectedIndex() >= 0 {
		p.risk.load()
	}
	for _, t := range p.data {
		if t.opened {
			t.reload()
		}
	}
}

// pollProgress reads a connection's sync progress from SQLite every second
// until ctx ends, and hands it to the shell: that shows a sync another
// process runs, too.
func pollProgress(ctx context.Context, sh Shell, connID string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	sync := sh.Services().Sync
	for {
		if p, err := sync.Progress(ctx, connID); err == nil && ctx.Err() == nil {
			sh.ApplyProgress(p)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
