package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/ledgerline/ledgerline/internal/store"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

const syncUsage = `Usage: ledgerline sync [--connection ID] [--follow] [--json] [--wait]

Copy each connected Stripe account's payments, invoices, customers and more
into the local database, resuming where an earlier sync stopped, and bring
it up to date. Exits 0 once everything is current. With --follow it keeps
polling Stripe for changes until interrupted (Ctrl-C).

Progress goes to standard error: a bar on a terminal, otherwise a line per
step. With --json, one JSON object per step goes to standard output.

`

// runSync syncs one connection or every connected one. Progress goes to
// standard error, as a bar on a terminal and a line per step elsewhere;
// with --json, to standard output as one JSON object per step, ending with
// each connection's final state (syncReporter).
func runSync(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline sync", env, syncUsage)
	c.register(fs)
	only := fs.String("connection", "", "sync only this connection `ID`")
	follow := fs.Bool("follow", false, "keep polling for changes after catching up")
	asJSON := fs.Bool("json", false, "print progress as JSON lines on standard output")
	wait := fs.Bool("wait", false, "if another sync of a connection runs, wait for it instead of stopping")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: sync takes no arguments (use --connection ID)", errUsage)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	limits, err := limitsFromEnv(env.Getenv(EnvSyncLimits))
	if err != nil {
		return err
	}
	out := newSyncReporter(env, *asJSON)
	a, err := app.Open(ctx, cfg, app.Options{Now: env.Now, KeychainBackend: env.Keychain, SyncProgress: out.update, SyncLimits: limits})
	if err != nil {
		return err
	}
	defer a.Close()

	conns, err := connectionsToSync(ctx, a, *only)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	for i, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Where the sync starts from, so the steps can say what changed;
			// read before it runs (an unreadable state fails the sync itself).
			base, _ := a.Sync.Progress(ctx, conn.ID)
			out.begin(conn, base)
			err := a.Sync.Sync(ctx, conn.ID, syncer.Options{Follow: *follow, Wait: *wait})
			// A full disk stops a following sync only until there is room.
			for *follow && errors.Is(err, domain.KindDiskFull) && ctx.Err() == nil {
				fmt.Fprintf(env.Stderr, "ledgerline: %s: %s\n", conn.Name, message(err))
				if waitForSpace(ctx, filepath.Dir(a.Store.Path()), err) != nil {
					break
				}
				err = a.Sync.Sync(ctx, conn.ID, syncer.Options{Follow: true, Wait: *wait})
			}
			if err != nil {
				errs[i] = &labeled{label: fmt.Sprintf("%s (%s)", conn.Name, conn.ID), err: err}
			}
			// Read even when ctx ended: --follow ends that way.
			final, _ := a.Sync.Progress(context.WithoutCancel(ctx), conn.ID)
			out.end(conn, final, err)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "Up to date: %d connection(s).\n", len(conns))
	}
	return nil
}

// spaceCheckEvery is how often a following sync stopped by a full disk
// looks for room again.
var spaceCheckEvery = 5 * time.Second

// waitForSpace waits until dir's file system has the room a disk-full
// error asked for (FactNeededBytes, else 64 MB), or ctx ends.
func waitForSpace(ctx context.Context, dir string, diskFull error) error {
	_, facts := domain.KindOf(diskFull)
	need, err := strconv.ParseInt(facts[domain.FactNeededBytes], 10, 64)
	if err != nil || need <= 0 {
		need = 64 << 20
	}
	t := time.NewTicker(spaceCheckEvery)
	defer t.Stop()
	for {
		if free, err := store.FreeBytes(dir); err == nil && free >= need {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// EnvSyncLimits overrides the rate limits the sync keeps to, for tests and
// benchmarks against the sandbox: "live" (100 requests/s whatever the
// connection's mode), "test" (Stripe's own: by mode), "off".
const EnvSyncLimits = "LEDGERLINE_SYNC_LIMITS"

func limitsFromEnv(v string) (syncer.Limits, error) {
	switch v {
	case "", "test":
		return syncer.Limits{}, nil
	case "live":
		d := syncer.DefaultLimits()
		return syncer.Limits{Live: d.Live, Test: d.Live, PerEndpoint: d.PerEndpoint}, nil
	case "off":
		return syncer.Limits{Off: true}, nil
	}
	return syncer.Limits{}, fmt.Errorf("%s must be live, test or off, not %q", EnvSyncLimits, v)
}

// connectionsToSync is the one connection asked for, or every connection
// that is connected; it says why when there is nothing to sync.
func connectionsToSync(ctx context.Context, a *app.App, only string) ([]domain.Connection, error) {
	if only != "" {
		c, err := a.Store.GetConnection(ctx, only)
		if err != nil {
			return nil, fmt.Errorf("no connection %q (see ledgerline connections): %w", only, err)
		}
		return []domain.Connection{c}, nil
	}
	all, err := a.Store.ListConnections(ctx)
	if err != nil {
		return nil, err
	}
	var conns []domain.Connection
	for _, c := range all {
		if c.Status == domain.StatusConnected || c.Status == domain.StatusError {
			conns = append(conns, c)
		}
	}
	if len(conns) == 0 {
		return nil, errors.New("no connection to sync: connect one with `ledgerline connect stripe` (connections that need re-authentication are skipped)")
	}
	return conns, nil
}
