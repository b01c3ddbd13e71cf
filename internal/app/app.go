// Package app is the one place that builds Ledgerline's parts from a
// config.Config: the store, the keychain, the Stripe client, the sign-in
// flow, the connection service, status checks, the sync with its progress
// hub and auto-sync, reports and the tables' reader. The window and the
// command line both start here; it imports no UI toolkit.
package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/backups"
	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/connect"
	"github.com/ledgerline/ledgerline/internal/credentials"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/status"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Keychain service names: sandbox secrets never mix with real ones.
const (
	KeychainService        = "Ledgerline"
	SandboxKeychainService = "Ledgerline Sandbox"
)

// Options are the side effects the app is built with; tests swap them.
type Options struct {
	// OpenURL shows the sign-in page: the system browser in the window, a
	// printer or the platform opener on the command line.
	OpenURL func(url string) error
	// HTTPClient carries calls to the broker and Stripe; default has timeouts.
	HTTPClient *http.Client
	// KeychainBackend reaches the keychain; default the system's.
	KeychainBackend secrets.Backend
	// KeychainService overrides the service name (tests use their own).
	KeychainService string
	// SignInTimeout bounds a browser sign-in; default 5 minutes.
	SignInTimeout time.Duration
	// SignInPages words the pages the browser shows when a sign-in comes
	// back: the window's catalog; nil for English (the command line).
	SignInPages func(authflow.PageKind) authflow.PageWords
	// SyncProgress receives sync progress snapshots from the sync's own
	// goroutines, besides the listeners of App.Progress; optional.
	SyncProgress func(syncer.Progress)
	// SyncLimits overrides Stripe's rate limits (tests turn them off).
	SyncLimits syncer.Limits
	// Mode asks the broker for "test" or "live" access; "" for its default.
	Mode string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger gets diagnostics, never a secret; default discards.
	Logger *slog.Logger
	// DeferIntegrityCheck: after an unclean shutdown, open at once and
	// leave the database's integrity check to the caller (Store.NeedsCheck,
	// Store.Check) — the window runs it in the background. Without it Open
	// checks before it returns, as the commands do.
	DeferIntegrityCheck bool
}

// App is Ledgerline, built. Close it when done.
type App struct {
	Config   config.Config
	Store    *store.DB
	Keychain *secrets.Store
	Stripe   *stripeapi.Client
	Connect  *connect.Service
	// Keys hands out each connection's API key or a fresh access token.
	Keys *credentials.Source
	// Status checks whether each connection still works.
	Status *status.Checker
	// Warehouse holds the synced Stripe objects; Sync fills it, and
	// Progress tells its listeners how far each connection's sync is.
	Warehouse *warehouse.Warehouse
	Sync      *syncer.Engine
	Progress  *ProgressHub
	// AutoSync keeps every usable connection fresh while the window runs.
	AutoSync *AutoSync
	// Backups makes the automatic backups the window's preferences ask for.
	Backups *backups.Auto
	// Reports and Browse read the synced tables for the window.
	Reports *reports.Reports
	Browse  *browse.Browser
	// Sandbox is set in sandbox mode: the in-process Stripe stand-in.
	Sandbox *Sandbox

	closers []func() error
}

// OpenStore opens only the database: enough for the offline commands
// (`ledgerline connections`), which need no network and no keychain. After
// an unclean shutdown it reads the whole file to check it before returning.
func OpenStore(ctx context.Context, cfg config.Config, now func() time.Time) (*store.DB, error) {
	return store.Open(ctx, store.Options{Dir: cfg.DataDir, Now: now})
}

// OpenStoreUnchecked opens the database and leaves any integrity check an
// unclean shutdown calls for to the caller (`ledgerline check` runs one
// itself, so it doesn't read the file twice).
func OpenStoreUnchecked(ctx context.Context, cfg config.Config, now func() time.Time) (*store.DB, error) {
	return store.Open(ctx, store.Options{Dir: cfg.DataDir, Now: now, DeferCheck: true})
}

// Open builds every part. In sandbox mode it first starts the local Stripe
// sandbox and a broker on loopback and points the app at them.
func Open(ctx context.Context, cfg config.Config, o Options) (*App, error) {
	o = withDefaults(o)
	a := &App{Config: cfg, Progress: NewProgressHub()}
	if o.SyncProgress != nil {
		a.Progress.Subscribe(o.SyncProgress)
	}
	if cfg.Sandbox {
		sb, err := startSandbox(o.Logger)
		if err != nil {
			return nil, err
		}
		a.Sandbox = sb
		a.closers = append(a.closers, sb.Close)
		a.Config.BrokerURL, a.Config.StripeAPIBase = sb.BrokerURL, sb.APIBase
		if o.KeychainService == "" {
			o.KeychainService = SandboxKeychainService
		}
	}
	db, err := store.Open(ctx, store.Options{Dir: a.Config.DataDir, Now: o.Now, DeferCheck: o.DeferIntegrityCheck})
	if err != nil {
		_ = a.Close()
		return nil, err
	}
	a.Store = db
	a.closers = append(a.closers, db.Close, func() error {
		// Closers run last first: this runs before db.Close. Stale
		// statistics cost nothing but speed, so a failure is not Close's.
		_ = db.Optimize(context.Background())
		return nil
	})
	if o.KeychainService == "" {
		o.KeychainService = KeychainService
	}
	a.Keychain = secrets.New(secrets.Options{Service: o.KeychainService, Backend: o.KeychainBackend})
	a.Stripe = stripeapi.New(stripeapi.Options{APIBase: a.Config.StripeAPIBase, HTTPClient: o.HTTPClient})

	keys := credentials.Params{Keychain: a.Keychain, Now: o.Now, Logger: o.Logger}
	params := connect.Params{Records: db, Credentials: a.Keychain, Accounts: a.Stripe, Mode: o.Mode, Now: o.Now}
	if a.Config.BrokerURL != "" {
		flow, err := authflow.New(authflow.Config{
			BrokerURL:  a.Config.BrokerURL,
			HTTPClient: o.HTTPClient,
			OpenURL:    o.OpenURL,
			Timeout:    o.SignInTimeout,
			Pages:      o.SignInPages,
			Now:        o.Now,
			Logger:     o.Logger,
		})
		if err != nil {
			_ = a.Close()
			return nil, err
		}
		params.SignIn = flow
		keys.OAuth, keys.HTTPContext = flow.OAuth2Config(""), flow.OAuth2Context
	}
	a.Keys = credentials.New(keys)
	params.Forget = a.Keys.Forget
	a.Connect = connect.New(params)
	a.Status = status.New(status.Params{Records: db, Keys: a.Keys, Accounts: a.Stripe, Now: o.Now, Logger: o.Logger})
	if a.Warehouse, err = warehouse.New(warehouse.Options{DB: db, Now: o.Now}); err != nil {
		_ = a.Close()
		return nil, err
	}
	a.Sync, err = syncer.New(syncer.Params{
		Store: db, Warehouse: a.Warehouse, Keys: a.Keys, APIBase: a.Config.StripeAPIBase,
		HTTPClient: o.HTTPClient, Now: o.Now, LockDir: a.Config.DataDir, Logger: o.Logger,
		Limits: o.SyncLimits, Progress: a.Progress.Publish,
	})
	if err != nil {
		_ = a.Close()
		return nil, err
	}
	a.AutoSync = a.NewAutoSync(o.Logger)
	a.Reports = reports.New(db.Reader(), o.Now)
	a.Browse = browse.New(db.Reader())
	a.Backups = backups.New(db, o.Now)
	return a, nil
}

// Close stops everything Open started, last first.
func (a *App) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	a.closers = nil
	return errors.Join(errs...)
}

func withDefaults(o Options) Options {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.OpenURL == nil {
		o.OpenURL = func(string) error { return errors.New("no browser is available") }
	}
	return o
}
