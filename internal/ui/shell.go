package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/status"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// Params is everything the window needs from the rest of the app.
type Params struct {
	App fyne.App
	// Services are the app's parts the pages use (internal/app builds them).
	Services
	// Sandbox marks the local Stripe stand-in: the title and a footer on
	// every page say so (the title bar is not always visible).
	Sandbox bool
	// Now is the clock used for "3 minutes ago"; default time.Now.
	Now func() time.Time
	// RunOnUI runs fn on the UI goroutine; default fyne.Do.
	RunOnUI func(fn func())
	// Notify shows a desktop notification; default App.SendNotification.
	Notify func(title, body string)
	// Tray puts a menu in the system tray, where there is one; it is
	// called again with the menu in a new language. Nil: no tray.
	Tray func(menu *fyne.Menu)
	// StartupError, when set, is shown instead of the pages: the app could
	// not open its database, and the window says why.
	StartupError error
	// Listed, when set, is called once on the UI goroutine when the
	// connections are first listed on the page on show: the window is
	// usable (start-up benchmarks time it).
	Listed func()
}

// Services are the app's parts behind the pages, each a small interface
// the window declares. Nil ones hide what needs them.
type Services struct {
	Connections ConnectionSource
	Connector   Connector
	// Status checks the connections in the background.
	Status StatusChecker
	// Sync shows and steers each connection's sync.
	Sync SyncService
	// Reports computes a connection's overview; Money what it kept.
	Reports ReportsService
	Money   MoneyService
	// Subscriptions computes recurring revenue; AtRisk the money at risk.
	Subscriptions SubscriptionService
	AtRisk        AtRiskService
	// Payouts lists payouts and reconciles one.
	Payouts PayoutService
	// Browse reads the synced tables for the data tabs.
	Browse BrowseService
	// Database checks the local database on demand (Help › Check the
	// Database…) and after an unclean shutdown (CheckDatabase).
	Database DatabaseChecker
	// Backups backs the database up: File › Back Up the Database… and
	// File › Automatic Backups….
	Backups BackupService
}

// Shell is what the window hands its pages: navigation, the message area,
// background work that reports back on the UI goroutine, the connections'
// live state and the app's services. Its methods run on the UI goroutine,
// except OnUI and Background's work.
type Shell interface {
	// Go shows the page of a route (router.go), closing the one on show.
	Go(route string)
	// Remember records route as the page on show without rebuilding it
	// (a tab change), for the next run.
	Remember(route string)
	// Say puts a message at the top of the window; ShowError words err
	// from the catalog; ClearMessage removes the message.
	Say(kind bannerKind, parts ...widget.RichTextSegment)
	ShowError(err error)
	ClearMessage()
	// Background runs work on its own goroutine, then done on the UI
	// goroutine. OnUI runs fn on the UI goroutine, from any goroutine.
	Background(work, done func())
	OnUI(fn func())
	// Window is the main window, for dialogs, focus and the clipboard.
	Window() fyne.Window
	Now() time.Time
	// Offline reports whether the connection's last check could not
	// reach Stripe; SyncProgress is its last sync snapshot.
	Offline(id string) bool
	SyncProgress(id string) (syncer.Progress, bool)
	// ApplyProgress takes a sync snapshot from any goroutine.
	ApplyProgress(p syncer.Progress)
	// Reauthenticate restores a connection's access (browser or key);
	// Connected announces a new or restored connection and starts its sync;
	// CheckStatus asks for a status check of every connection now.
	Reauthenticate(c domain.Connection)
	Connected(c domain.Connection, warning string)
	CheckStatus()
	// Checking reports whether a status check asked for still runs.
	Checking() bool
	// Services are the app's parts.
	Services() Services
}

// UI is Ledgerline's main window: the shell around the pages. Its methods
// must be called on the UI goroutine, except those that say otherwise.
type UI struct {
	p      Params
	win    fyne.Window
	banner *banner
	page   *fyne.Container
	footer *fyne.Container
	// current is the page on show (nil before the first).
	current Page
	// rows are the connections as last listed; offline holds those whose
	// last check could not reach Stripe; progress their last snapshots.
	rows     []domain.Connection
	listed   bool
	offline  map[string]bool
	progress map[string]syncer.Progress
	checking bool
	// signIn is the Connect with Stripe run in progress, kept here so it
	// survives leaving and rebuilding the Stripe page.
	signIn signIn
	// keyDialog is the API-key dialog while it is open; reauthRunning is
	// set while a browser re-authentication runs (one at a time).
	keyDialog     *apiKeyDialog
	reauthRunning bool
	reauthName    string // the connection a running re-authentication is for
	// restoring is the route to reopen once the connections load (the
	// last page of the previous run), "" when done.
	restoring string
	menu      *menuState
	notices   notices
	// backupDialog is File › Automatic Backups… once opened.
	backupDialog dialog.Dialog
}

// New builds the window in the owner's language and appearance, showing
// the Connections page, and starts loading the connections.
func New(p Params) *UI {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.RunOnUI == nil {
		p.RunOnUI = fyne.Do
	}
	if p.Notify == nil {
		p.Notify = func(title, body string) { p.App.SendNotification(fyne.NewNotification(title, body)) }
	}
	u := &UI{p: p, banner: newBanner(), page: container.NewStack(), footer: container.NewStack(),
		offline: map[string]bool{}, progress: map[string]syncer.Progress{}}
	u.notices.init()
	// The language and theme are set once, before the window: the owner's
	// choices (also for the start-up error page).
	applyLanguage(savedLanguage(p.App))
	p.App.Settings().SetTheme(NewThemeFor(savedAppearance(p.App)))
	u.win = p.App.NewWindow(u.title())
	u.win.SetIcon(AppIcon)
	u.win.Resize(u.savedSize())
	u.win.SetCloseIntercept(func() {
		u.saveSize()
		u.win.Close()
	})
	var footer fyne.CanvasObject // none outside sandbox mode
	if p.Sandbox {
		u.buildFooter()
		footer = u.footer
	}
	u.win.SetContent(container.NewPadded(container.NewBorder(u.banner.root, footer, nil, nil, u.page)))
	if p.StartupError != nil {
		u.showStartupError(p.StartupError)
		return u
	}
	u.buildMenu()
	u.applyBackupPrefs()
	u.restoring = u.lastPage()
	u.Go(routeConnections)
	return u
}

// title is the window's title: "Ledgerline", or "Ledgerline — Sandbox".
func (u *UI) title() string {
	if u.p.Sandbox {
		return i18n.T("window.title.sandbox")
	}
	return i18n.T("window.title")
}

// buildFooter writes the sandbox note that sandbox mode shows under every
// page.
func (u *UI) buildFooter() {
	note := widget.NewLabel(i18n.T("window.sandbox_footer"))
	u.footer.Objects = []fyne.CanvasObject{container.NewHBox(widget.NewIcon(theme.InfoIcon()), note)}
	u.footer.Refresh()
}

// Go shows the page of route, closing the page on show, and reads the
// connections again. Moving to another page clears the message area; an
// action that navigates shows its message afterwards.
func (u *UI) Go(route string) {
	page := u.build(route)
	u.banner.Hide()
	if u.current != nil {
		u.current.Closed()
	}
	u.current = page
	u.page.Objects = []fyne.CanvasObject{withCrumbs(page.Crumbs(), page.Content(), u.Go)}
	u.page.Refresh()
	u.Remember(page.Route())
	page.Shown()
	if u.listed {
		page.Connections(u.rows, nil)
	}
	u.reload() // every page shows the connections' latest state
}

// Remember records route as the page on show, to reopen it next run.
func (u *UI) Remember(route string) {
	if u.restoring != "" && route == routeConnections {
		return // the start-up page, not a choice: keep what to restore
	}
	u.p.App.Preferences().SetString(prefLastPage, route)
}

// withCrumbs puts the breadcrumb "Connections › Add a Data Source ›
// Stripe" above content, every step but the last a link that goes to its
// route; one step or none shows no breadcrumb.
func withCrumbs(steps []Crumb, content fyne.CanvasObject, goTo func(route string)) fyne.CanvasObject {
	if len(steps) < 2 {
		return content
	}
	row := container.NewHBox()
	for i, s := range steps {
		if i > 0 {
			row.Add(widget.NewLabel("›"))
		}
		if s.Route == "" {
			row.Add(widget.NewLabel(s.Title))
			continue
		}
		route := s.Route
		link := widget.NewButton(s.Title, func() { goTo(route) })
		link.Importance = widget.LowImportance
		row.Add(link)
	}
	return container.NewBorder(row, nil, nil, nil, content)
}

// StartStatusChecks runs the background status checks until ctx ends: one
// right away (the window is already up; results arrive when they arrive),
// then every interval. It returns at once.
func (u *UI) StartStatusChecks(ctx context.Context, every time.Duration) {
	if u.p.Status == nil {
		return
	}
	go u.p.Status.Run(ctx, status.Schedule{Every: every, OnResults: func(rs []status.Result) {
		u.p.RunOnUI(func() { u.applyResults(rs) })
	}})
}

// applyResults records which connections are offline and reads the
// statuses the checks saved.
func (u *UI) applyResults(rs []status.Result) {
	for _, r := range rs {
		u.offline[r.ID] = r.Offline
	}
	u.checking = false
	u.reload()
}

// ApplyProgress takes a sync snapshot from any goroutine (the app's
// progress hub) and shows it where it belongs.
func (u *UI) ApplyProgress(p syncer.Progress) {
	u.p.RunOnUI(func() { u.applyProgress(p) })
}

func (u *UI) applyProgress(p syncer.Progress) {
	before := u.progress[p.ConnectionID]
	u.progress[p.ConnectionID] = p
	u.noticeProgress(before, p)
	if u.current != nil {
		u.current.Progress(p)
	}
	caughtUp := p.Stage != before.Stage && (p.Stage == syncer.StageDone || p.Stage == syncer.StageFollowing)
	if caughtUp || (before.Running && !p.Running) {
		u.reload() // the last sync time changed
	}
}

// syncing reports whether a snapshot shows a sync copying data now.
func syncing(p syncer.Progress) bool {
	return p.Running && p.Stage != syncer.StageFollowing && p.Stage != syncer.StageDone && p.Fraction() < 1
}

// CheckStatus asks the status checker for a run now.
func (u *UI) CheckStatus() {
	if u.p.Status == nil {
		return
	}
	u.checking = true
	if u.current != nil && u.listed {
		u.current.Connections(u.rows, nil)
	}
	u.p.Status.Trigger()
}

// Checking reports whether a status check asked for is still running.
func (u *UI) Checking() bool { return u.checking }

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Now is the window's clock.
func (u *UI) Now() time.Time { return u.p.Now() }

// Services are the app's parts.
func (u *UI) Services() Services { return u.p.Services }

// Offline reports whether the connection's last check was offline.
func (u *UI) Offline(id string) bool { return u.offline[id] }

// SyncProgress is the connection's last sync snapshot.
func (u *UI) SyncProgress(id string) (syncer.Progress, bool) {
	p, ok := u.progress[id]
	return p, ok
}

// Background runs work on its own goroutine, then done on the UI goroutine.
func (u *UI) Background(work, done func()) {
	go func() {
		work()
		u.p.RunOnUI(done)
	}()
}

// OnUI runs fn on the UI goroutine; safe from any goroutine.
func (u *UI) OnUI(fn func()) { u.p.RunOnUI(fn) }

// reload reads the connections off the UI goroutine and hands them to the
// page on show.
func (u *UI) reload() {
	var rows []domain.Connection
	var err error
	u.Background(func() { rows, err = u.p.Connections.ListConnections(context.Background()) }, func() {
		if err != nil {
			if u.current != nil {
				u.current.Connections(nil, err)
			}
			return
		}
		first := !u.listed
		u.rows, u.listed = rows, true
		u.noticeStatuses(rows)
		if u.current != nil {
			u.current.Connections(rows, nil)
		}
		u.restoreLastPage(rows)
		if first && u.p.Listed != nil {
			u.p.Listed()
		}
	})
}

// Say puts a message at the top of the window.
func (u *UI) Say(kind bannerKind, parts ...widget.RichTextSegment) { u.banner.Show(kind, parts...) }

// ClearMessage removes the message at the top of the window.
func (u *UI) ClearMessage() { u.banner.Hide() }

// Connected announces a new connection at the top of the window, with the
// connect service's warning (a code) worded after it when there is one, and
// starts its first sync.
func (u *UI) Connected(c domain.Connection, warning string) {
	parts := append([]widget.RichTextSegment{bold(i18n.T("banner.connected.title") + " ")}, withBoldName("banner.connected.body", c.Name)...)
	if u.p.Sync != nil {
		u.p.Sync.UpdateNow(c.ID) // start (or restart) its sync at once
		parts = append(parts, plain(" "+i18n.T("banner.connected.sync_started")))
	}
	if warning != "" { // the only one: a secret key (connect.WarningSecretKey)
		parts = append(parts, plain(" "+i18n.T("banner.warning.secret_key")))
	}
	u.banner.Show(bannerSuccess, parts...)
}

// ShowError puts err's catalog sentence in the message area.
func (u *UI) ShowError(err error) {
	u.banner.Show(bannerError, plain(errorText(err)))
}

func (u *UI) showStartupError(err error) {
	msg := wrapped(errorText(err))
	u.page.Objects = []fyne.CanvasObject{container.NewVBox(heading(i18n.T("startup.title")), msg)}
	u.page.Refresh()
}
