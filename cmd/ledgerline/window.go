package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui"
)

// statusEvery is how often the window re-checks every connection;
// autoSyncEvery how often it looks for connections whose sync should start
// or stop (a connect, re-authentication or disconnect also asks at once).
const (
	statusEvery   = 5 * time.Minute
	autoSyncEvery = 10 * time.Second
)

// syncService is the window's view of the sync: the engine's progress and
// type choices, and the auto-sync's Update now.
type syncService struct {
	*syncer.Engine
	*app.AutoSync
}

// appID is Ledgerline's application id (preferences, notifications).
const appID = "io.ledgerline.desktop"

// runWindow builds the app and shows the window until it is closed. A
// database that can't be opened is explained in the window, not a crash.
func runWindow(ctx context.Context, cfg config.Config) error {
	fa := fyneapp.NewWithID(appID)
	fa.SetIcon(ui.AppIcon)

	openURL := func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		return fa.OpenURL(u)
	}
	// The sync reports progress from its goroutines; the window exists only
	// after the app is open, so progress goes through this pointer.
	var window atomic.Pointer[ui.UI]
	progress := func(p syncer.Progress) {
		if u := window.Load(); u != nil {
			u.ApplyProgress(p)
		}
	}
	a, err := app.Open(ctx, cfg, app.Options{OpenURL: openURL, SyncProgress: progress})
	params := ui.Params{App: fa, Title: "Ledgerline", Sandbox: cfg.Sandbox}
	if cfg.Sandbox {
		params.Title = "Ledgerline — Sandbox"
	}
	if err != nil {
		params.StartupError = err
	} else {
		if a.Sandbox != nil {
			printSandbox(os.Stderr, a.Sandbox)
		}
		defer a.Close()
		params.Connections = a.Store
		params.Connector = a.Connect
		params.Status = a.Status
	}
	var auto *app.AutoSync
	if a != nil {
		auto = a.NewAutoSync(nil)
		params.Sync = syncService{a.Sync, auto}
		params.Reports = reports.New(a.Store.Reader(), nil)
		params.Browse = ui.NewBrowseService(browse.New(a.Store.Reader()))
	}
	u := ui.New(params)
	window.Store(u)
	addTrayMenu(fa, u)
	// Status checks and syncs run in the background; the window never
	// waits for them, and they stop when it closes.
	background, stop := context.WithCancel(ctx)
	defer stop()
	u.StartStatusChecks(background, statusEvery)
	if auto != nil {
		go auto.Run(background, autoSyncEvery)
	}
	u.Window().ShowAndRun()
	return nil
}

// addTrayMenu puts Ledgerline in the system tray where the platform has
// one: Update all, Open Ledgerline, and the Quit Fyne adds itself.
func addTrayMenu(fa fyne.App, u *ui.UI) {
	desk, ok := fa.(desktop.App)
	if !ok {
		return
	}
	desk.SetSystemTrayMenu(fyne.NewMenu("Ledgerline",
		fyne.NewMenuItem("Update all", u.UpdateAll),
		fyne.NewMenuItem("Open Ledgerline", u.ShowWindow),
	))
	desk.SetSystemTrayIcon(ui.AppIcon)
}

// printSandbox tells whoever started the demo where the sandbox runs and
// which made-up restricted keys "Use an API key instead" accepts. They are
// test-mode keys of a local stand-in, not secrets of any real account.
func printSandbox(w io.Writer, sb *app.Sandbox) {
	fmt.Fprintf(w, "Stripe sandbox: %s (test hooks under /_sandbox/, e.g. POST /_sandbox/revoke api_key=…)\n", sb.APIBase)
	for _, acct := range sb.Info.Accounts {
		fmt.Fprintf(w, "  %-24s %s  restricted key: %s\n", acct.Name, acct.ID, acct.APIKey)
	}
}
