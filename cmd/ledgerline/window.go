package main

import (
	"context"
	"net/url"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/ui"
)

// appID is Ledgerline's application id (preferences, notifications).
const appID = "io.ledgerline.desktop"

// runWindow builds the app and shows the window until it is closed. A
// database that can't be opened is explained in the window, not a crash.
func runWindow(ctx context.Context, cfg config.Config) error {
	fa := fyneapp.NewWithID(appID)
	fa.SetIcon(ui.AppIcon)
	fa.Settings().SetTheme(ui.NewTheme())

	openURL := func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		return fa.OpenURL(u)
	}
	a, err := app.Open(ctx, cfg, app.Options{OpenURL: openURL})
	params := ui.Params{App: fa, Title: "Ledgerline", Sandbox: cfg.Sandbox}
	if cfg.Sandbox {
		params.Title = "Ledgerline — Sandbox"
	}
	if err != nil {
		params.StartupError = err
	} else {
		defer a.Close()
		params.Connections = a.Store
		params.Connector = a.Connect
	}
	ui.New(params).Window().ShowAndRun()
	return nil
}
