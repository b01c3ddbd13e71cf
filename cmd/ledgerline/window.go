package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/backups"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui"
)

// statusEvery is how often the window re-checks every connection;
// autoSyncEvery how often it looks for connections whose sync should start
// or stop (a connect, re-authentication or disconnect also asks at once).
const (
	statusEvery   = 5 * time.Minute
	autoSyncEvery = 10 * time.Second
	// backupCheckEvery: how often the window asks whether an automatic
	// backup is due (one a day when the owner turned them on).
	backupCheckEvery = time.Hour
)

// appID is Ledgerline's application id (preferences, notifications).
const appID = "io.ledgerline.desktop"

// runWindow builds the app and shows the window until it is closed. A
// database that can't be opened is explained in the window, not a crash.
func runWindow(ctx context.Context, cfg config.Config) error {
	fa := fyneapp.NewWithID(appID)
	fa.SetIcon(ui.AppIcon)
	// The sign-in's address is shown in the window too ("Browser didn't
	// open? Copy the link"), so a browser that does not start leaves the
	// person a way forward rather than an error. showLink is set once the
	// window exists, before any sign-in can start.
	var showLink func(string)
	openURL := func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		if showLink == nil {
			return fa.OpenURL(u)
		}
		showLink(raw)
		_ = fa.OpenURL(u) // if it fails, the link on show is the way forward
		return nil
	}
	// After an unclean shutdown the database is checked in the background
	// (window.start): the window is there at once, whatever the file's size.
	a, err := app.Open(ctx, cfg, app.Options{OpenURL: openURL, SignInPages: ui.SignInPage, DeferIntegrityCheck: true})
	if err == nil {
		defer a.Close()
		if a.Sandbox != nil {
			printSandbox(os.Stderr, a.Sandbox)
		}
	}
	w := newWindow(fa, cfg, a, err, nil, startTrace(fa))
	showLink = w.ui.SignInLink
	// Status checks and syncs run in the background; the window never
	// waits for them, and they stop when it closes.
	background, stop := context.WithCancel(ctx)
	defer stop()
	w.start(background)
	w.ui.Window().ShowAndRun()
	return nil
}

// startTrace is for start-up benchmarks (internal/tools/startbench): with
// LEDGERLINE_TRACE_START=1 the window writes "listed" on standard error
// once the Connections page shows the connections; with =quit it also
// quits then. Otherwise nil.
func startTrace(fa fyne.App) func() {
	mode := os.Getenv("LEDGERLINE_TRACE_START")
	if mode == "" {
		return nil
	}
	return func() {
		fmt.Fprintln(os.Stderr, "listed")
		if mode == "quit" {
			fa.Quit()
		}
	}
}

// window is the app adapted to Fyne: the UI and what it listens to.
type window struct {
	ui  *ui.UI
	app *app.App // nil when it could not be opened
}

// newWindow builds the window over a (or over openErr, which it shows
// instead of the pages), in fa: Fyne's real app, or its test app. runOnUI
// runs a function on the UI goroutine: nil for fyne.Do; tests pass their
// own loop, since Fyne's test driver runs fyne.Do on the caller.
func newWindow(fa fyne.App, cfg config.Config, a *app.App, openErr error, runOnUI func(func()), listed func()) *window {
	params := ui.Params{App: fa, Sandbox: cfg.Sandbox, StartupError: openErr, RunOnUI: runOnUI, Listed: listed}
	if desk, ok := fa.(desktop.App); ok {
		params.Tray = func(menu *fyne.Menu) {
			desk.SetSystemTrayMenu(menu)
			desk.SetSystemTrayIcon(ui.AppIcon)
		}
	}
	if a != nil {
		params.Services = ui.Services{
			Connections:   a.Store,
			Connector:     a.Connect,
			Status:        a.Status,
			Sync:          syncService{a.Sync, a.AutoSync},
			Reports:       a.Reports,
			Money:         a.Reports,
			Subscriptions: a.Reports,
			AtRisk:        a.Reports,
			Payouts:       a.Reports,
			Browse:        ui.NewBrowseService(a.Browse),
			Database:      a.Store,
			Backups:       backupService{a.Store, a.Backups},
		}
	}
	w := &window{ui: ui.New(params), app: a}
	if a != nil {
		a.Progress.Subscribe(w.ui.ApplyProgress)
	}
	return w
}

// start runs the status checks and the auto-sync until ctx ends. After an
// unclean shutdown they wait for the database's check, which runs in the
// background while the pages show; a damaged file stops them for good.
func (w *window) start(ctx context.Context) {
	run := func() {
		w.ui.StartStatusChecks(ctx, statusEvery)
		if w.app != nil {
			go w.app.AutoSync.Run(ctx, autoSyncEvery)
			go w.app.Backups.Run(ctx, backupCheckEvery, func(r backups.Result, err error) {
				w.ui.OnUI(func() { w.ui.AutomaticBackupDone(r, err) })
			})
		}
	}
	if w.app == nil || !w.app.Store.NeedsCheck() {
		run()
		return
	}
	w.ui.OnUI(func() { w.ui.CheckDatabase(true, run) })
}

// syncService is the window's view of the sync: the engine's progress and
// type choices, and the auto-sync's Update now.
type syncService struct {
	*syncer.Engine
	*app.AutoSync
}

// backupService is the window's view of backups: the database's Backup
// now, and the automatic ones' settings.
type backupService struct {
	*store.DB
	auto *backups.Auto
}

func (b backupService) SetAutomatic(s backups.Settings) { b.auto.Set(s) }

// printSandbox tells whoever started the demo where the sandbox runs and
// which made-up restricted keys "Use an API key instead" accepts. They are
// test-mode keys of a local stand-in, not secrets of any real account.
func printSandbox(w io.Writer, sb *app.Sandbox) {
	fmt.Fprintf(w, "Stripe sandbox: %s (test hooks under /_sandbox/, e.g. POST /_sandbox/revoke api_key=…)\n", sb.APIBase)
	for _, acct := range sb.Info.Accounts {
		fmt.Fprintf(w, "  %-24s %s  restricted key: %s\n", acct.Name, acct.ID, acct.APIKey)
	}
}
