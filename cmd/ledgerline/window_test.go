package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// The window over the real wiring: internal/app opens the sandbox, the
// store, the keychain (in memory here), the sync with its progress hub,
// reports and the tables' reader, and newWindow adapts them to Fyne's
// test driver exactly as the desktop app does.
func TestTheWindowRunsOnTheRealWiring(t *testing.T) {
	ctx := context.Background()
	fa := test.NewTempApp(t)
	cfg := config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Sandbox: true}
	a, err := app.Open(ctx, cfg, app.Options{KeychainBackend: secrets.NewMemoryBackend(), KeychainService: "Ledgerline-test",
		SyncLimits: syncer.Limits{Off: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	// The test goroutine is the UI goroutine: it runs what the window
	// posts, and reads the window, and nothing else touches widgets.
	loop := make(chan func(), 64)
	w := newWindow(fa, cfg, a, nil, func(fn func()) { loop <- fn }, nil)
	t.Cleanup(w.ui.Window().Close)
	markup := func() string { return test.RenderToMarkup(w.ui.Window().Canvas()) }
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for !cond() {
			select {
			case fn := <-loop:
				fn()
			case <-deadline:
				t.Fatalf("timed out waiting until %s; the window shows:\n%s", what, markup())
			}
		}
	}
	eventually("the empty Connections page shows", func() bool { return strings.Contains(markup(), "No data sources yet") })
	if !strings.Contains(markup(), "Sandbox: a local stand-in for Stripe") {
		t.Error("the sandbox footer is missing")
	}

	acct := a.Sandbox.Info.Accounts[0]
	conn, _, err := a.Connect.ConnectWithAPIKey(ctx, acct.APIKey)
	if err != nil {
		t.Fatal(err)
	}
	var snapshots atomic.Int64
	a.Progress.Subscribe(func(p syncer.Progress) {
		if p.ConnectionID == conn.ID {
			snapshots.Add(1)
		}
	})
	synced := make(chan error, 1)
	go func() { synced <- a.Sync.Sync(ctx, conn.ID, syncer.Options{}) }()
	var syncErr error
	eventually("the sync ends", func() bool {
		select {
		case syncErr = <-synced:
			return true
		default:
			return false
		}
	})
	if syncErr != nil {
		t.Fatal(syncErr)
	}
	if snapshots.Load() == 0 {
		t.Error("the progress hub passed on no snapshot of the sync")
	}
	// The sync's last snapshot reached the window through the hub, which
	// read the connections again: the new account is in the table.
	eventually("the table lists the synced account", func() bool { return strings.Contains(markup(), acct.Name) })
}
