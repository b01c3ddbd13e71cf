package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/status"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// Params is everything the window needs from the rest of the app.
type Params struct {
	App         fyne.App
	Connections ConnectionSource
	Connector   Connector
	// Title is the window title: "Ledgerline", or "Ledgerline — Sandbox".
	Title string
	// Now is the clock used for "3 minutes ago"; default time.Now.
	Now func() time.Time
	// RunOnUI runs fn on the UI goroutine; default fyne.Do.
	RunOnUI func(fn func())
	// Status checks the connections in the background; nil disables it.
	Status StatusChecker
	// Sync shows and steers each connection's sync; nil hides it.
	Sync SyncService
	// Reports computes a connection's overview; nil hides it.
	Reports ReportsService
	// Browse reads the synced tables for the data tabs; nil hides them.
	Browse BrowseService
	// Notify shows a desktop notification; default App.SendNotification.
	Notify func(title, body string)
	// Sandbox marks the local Stripe stand-in: a footer says so on every
	// page (the title bar is not always visible).
	Sandbox bool
	// StartupError, when set, is shown instead of the pages: the app could
	// not open its database, and the window says why.
	StartupError error
}

// UI is Ledgerline's main window and its pages. Its methods must be called
// on the UI goroutine.
type UI struct {
	p           Params
	win         fyne.Window
	banner      *banner
	page        *fyne.Container
	connections *connectionsPage
	stripe      *stripePage
	current     any // the page on show, for tests
	// offline holds the connections whose last check could not reach
	// Stripe: they keep their last status and are shown as offline.
	offline map[string]bool
	// keyDialog is the API-key dialog while it is open; reauthRunning is
	// set while a browser re-authentication runs (one at a time).
	keyDialog     *apiKeyDialog
	reauthRunning bool
	// progress is the last sync snapshot per connection; pageStop ends
	// the work of the page on show (a details page's progress polling).
	progress map[string]syncer.Progress
	pageStop context.CancelFunc
	// restoring is the page to reopen once the connections load (the
	// last page of the previous run), "" when done.
	restoring string
	// menu is the main menu (and its shortcuts); themeItems its
	// appearance choices.
	menu       *fyne.MainMenu
	themeItems map[Appearance]*fyne.MenuItem
	// statuses is each connection's status as last listed, to notice
	// the ones that come to need re-authentication.
	statuses map[string]domain.Status
	// copying holds the connections seen copying data, to say when
	// they are done.
	copying map[string]bool
}

// New builds the window, showing the Connections page, and starts loading
// the connections in the background.
func New(p Params) *UI {
	if p.Title == "" {
		p.Title = "Ledgerline"
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.RunOnUI == nil {
		p.RunOnUI = fyne.Do
	}
	if p.Notify == nil {
		p.Notify = func(title, body string) { p.App.SendNotification(fyne.NewNotification(title, body)) }
	}
	u := &UI{p: p, banner: newBanner(), page: container.NewStack(), offline: map[string]bool{}, copying: map[string]bool{}, progress: map[string]syncer.Progress{}}
	// The theme is set once, before the window: the owner's appearance
	// (also for the start-up error page).
	p.App.Settings().SetTheme(NewThemeFor(savedAppearance(p.App)))
	u.win = p.App.NewWindow(p.Title)
	u.win.SetIcon(AppIcon)
	u.win.Resize(u.savedSize())
	u.win.SetCloseIntercept(func() {
		u.saveSize()
		u.win.Close()
	})
	var footer fyne.CanvasObject
	if p.Sandbox {
		note := widget.NewLabel("Sandbox: a local stand-in for Stripe. The accounts and data here are made up, and nothing reaches Stripe.")
		footer = container.NewHBox(widget.NewIcon(theme.InfoIcon()), note)
	}
	u.win.SetContent(container.NewPadded(container.NewBorder(u.banner.root, footer, nil, nil, u.page)))
	if p.StartupError != nil {
		u.showStartupError(p.StartupError)
		return u
	}
	u.connections = newConnectionsPage(u)
	u.buildMenu()
	u.restoring = u.lastPage()
	u.showConnections()
	return u
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

// applyResults records which connections are offline and shows the
// statuses the checks saved.
func (u *UI) applyResults(rs []status.Result) {
	for _, r := range rs {
		u.offline[r.ID] = r.Offline
	}
	if u.connections != nil {
		u.connections.checking(false)
		if u.current == u.connections {
			u.reload()
		}
	}
}

// ApplyProgress takes a sync snapshot from any goroutine (the app's sync
// progress callback) and shows it where it belongs.
func (u *UI) ApplyProgress(p syncer.Progress) {
	u.p.RunOnUI(func() { u.applyProgress(p) })
}

func (u *UI) applyProgress(p syncer.Progress) {
	before := u.progress[p.ConnectionID]
	u.progress[p.ConnectionID] = p
	u.noticeProgress(before, p)
	switch page := u.current.(type) {
	case *detailsPage:
		if page.conn.ID != p.ConnectionID {
			break
		}
		if page.sync != nil {
			page.sync.show(p)
		}
		if last := p.LastCompleteAt(); !last.IsZero() {
			page.lastSync.SetText(dateTime(last, u.now(), "never"))
		}
		if p.Stage != before.Stage && (p.Stage == syncer.StageFollowing || p.Stage == syncer.StageDone) {
			page.caughtUp() // the figures and tables are complete now
		}
	case *connectionsPage:
		if syncing(before) != syncing(p) || syncing(p) {
			u.connections.table.table.Refresh()
		}
		if p.Stage != before.Stage && (p.Stage == syncer.StageDone || p.Stage == syncer.StageFollowing) || (before.Running && !p.Running) {
			u.reload() // caught up: the last sync time changed
		}
	}
}

// syncing reports whether a snapshot shows a sync copying data now.
func syncing(p syncer.Progress) bool {
	return p.Running && p.Stage != syncer.StageFollowing && p.Stage != syncer.StageDone && p.Fraction() < 1
}

// checkNow asks the status checker for a run now.
func (u *UI) checkNow() {
	if u.p.Status == nil {
		return
	}
	u.connections.checking(true)
	u.p.Status.Trigger()
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

func (u *UI) now() time.Time { return u.p.Now() }

// background runs work on its own goroutine, then done on the UI goroutine.
func (u *UI) background(work, done func()) {
	go func() {
		work()
		u.p.RunOnUI(done)
	}()
}

// show puts a page's content on screen. Moving to another page clears the
// message area; an action that navigates shows its message afterwards.
func (u *UI) show(page any, content fyne.CanvasObject) {
	u.banner.Hide()
	if d, ok := u.current.(*detailsPage); ok && d != page {
		d.close()
	}
	if u.pageStop != nil {
		u.pageStop()
		u.pageStop = nil
	}
	u.current = page
	u.page.Objects = []fyne.CanvasObject{content}
	u.page.Refresh()
}

// showConnections shows the Connections page and reloads its table.
func (u *UI) showConnections() {
	u.show(u.connections, u.connections.root)
	u.remember(pageConnections)
	u.reload()
}

// reload reads the connections off the UI goroutine and shows them.
func (u *UI) reload() {
	var rows []domain.Connection
	var err error
	u.background(func() { rows, err = u.p.Connections.ListConnections(context.Background()) }, func() {
		if err != nil {
			u.connections.setLoadError(err)
			return
		}
		u.connections.setConnections(rows)
		u.noticeStatuses(rows)
		u.restoreLastPage(rows)
	})
}

func (u *UI) showAddSource() {
	p := newAddSourcePage(u)
	u.show(p, p.root)
}

func (u *UI) showStripe() {
	// Keep one Stripe page so a sign-in in progress survives navigation.
	if u.stripe == nil {
		u.stripe = newStripePage(u)
	}
	u.show(u.stripe, u.stripe.root)
}

func (u *UI) showDetails(c domain.Connection) {
	p := newDetailsPage(u, c)
	u.show(p, p.root)
	if sel := p.tabs.Selected(); sel != nil {
		p.tabShown(sel.Text)
	}
	if p.sync != nil {
		ctx, stop := context.WithCancel(context.Background())
		u.pageStop = stop
		go u.pollProgress(ctx, c.ID)
	}
}

// pollProgress reads a connection's sync progress from SQLite every second
// while its page is open: that shows a sync another process runs, too.
func (u *UI) pollProgress(ctx context.Context, connID string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if p, err := u.p.Sync.Progress(ctx, connID); err == nil {
			u.p.RunOnUI(func() {
				if ctx.Err() == nil {
					u.applyProgress(p)
				}
			})
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// showConnected announces a new connection at the top of the window, with
// a warning sentence after it when there is one.
func (u *UI) showConnected(c domain.Connection, warning string) {
	parts := []widget.RichTextSegment{bold("Connection successful! "), bold(c.Name), plain(" is connected.")}
	if u.p.Sync != nil {
		u.p.Sync.UpdateNow(c.ID) // start (or restart) its sync at once
		parts = append(parts, plain(" The first sync has started."))
	}
	if warning != "" {
		parts = append(parts, plain(" "+warning))
	}
	u.banner.Show(bannerSuccess, parts...)
}

// showError puts err's sentence in the message area. Lower layers word
// their errors for a person, so the text is shown as it is.
func (u *UI) showError(err error) {
	u.banner.Show(bannerError, plain(err.Error()))
}

func (u *UI) showStartupError(err error) {
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	u.show(nil, container.NewVBox(heading("Ledgerline can't open its data"), msg))
}
