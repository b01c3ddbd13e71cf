package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

const syncUsage = `Usage: ledgerline sync [--connection ID] [--follow] [--json] [--wait]

Copy each connected Stripe account's payments, invoices, customers and more
into the local database, resuming where an earlier sync stopped, and bring
it up to date. Exits 0 once everything is current. With --follow it keeps
polling Stripe for changes until interrupted (Ctrl-C).

`

// runSync syncs one connection or every connected one. A progress bar goes
// to standard error; with --json, progress snapshots go to standard output
// as one JSON object a line, ending with each connection's final state.
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
	out.mu.Lock()
	for _, c := range conns {
		out.names[c.ID] = c.Name
	}
	out.mu.Unlock()
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	for i, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := a.Sync.Sync(ctx, conn.ID, syncer.Options{Follow: *follow, Wait: *wait})
			if err != nil {
				errs[i] = &labeled{label: fmt.Sprintf("%s (%s)", conn.Name, conn.ID), err: err}
			}
			out.final(ctx, a.Sync, conn.ID)
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

// syncReporter draws one progress bar per connection on standard error, or
// writes JSON lines to standard output. update is called from the sync's
// goroutines.
type syncReporter struct {
	env    Env
	asJSON bool
	mu     sync.Mutex
	bars   map[string]*progressbar.ProgressBar
	names  map[string]string // connection id → its name, for the bars
	enc    *json.Encoder
	last   map[string]time.Time
	stage  map[string]syncer.Stage
}

func newSyncReporter(env Env, asJSON bool) *syncReporter {
	return &syncReporter{env: env, asJSON: asJSON, bars: map[string]*progressbar.ProgressBar{}, names: map[string]string{},
		enc: json.NewEncoder(env.Stdout), last: map[string]time.Time{}, stage: map[string]syncer.Stage{}}
}

// progressJSON is one line of `sync --json`.
type progressJSON struct {
	Connection string         `json:"connection"`
	Stage      string         `json:"stage"`
	Fraction   float64        `json:"fraction"`
	Synced     int64          `json:"synced"`
	Estimated  int64          `json:"estimated"`
	Types      map[string]any `json:"types,omitempty"`
	Error      string         `json:"error,omitempty"`
}

func toProgressJSON(p syncer.Progress, withTypes bool) progressJSON {
	j := progressJSON{Connection: p.ConnectionID, Stage: string(p.Stage), Fraction: p.Fraction(), Error: p.Err}
	if withTypes {
		j.Types = map[string]any{}
	}
	for _, t := range p.Types {
		if !t.Enabled {
			continue
		}
		j.Synced += t.Synced
		j.Estimated += max(t.Estimated, t.Synced)
		if withTypes {
			j.Types[t.Type] = map[string]any{"phase": t.Phase, "synced": t.Synced, "estimated": t.Estimated, "last_error": t.LastError}
		}
	}
	return j
}

func (r *syncReporter) update(p syncer.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := toProgressJSON(p, false)
	if r.asJSON {
		// At most two lines a second, but every change of stage.
		if time.Since(r.last[p.ConnectionID]) < 500*time.Millisecond && p.Stage == r.stage[p.ConnectionID] {
			return
		}
		r.last[p.ConnectionID], r.stage[p.ConnectionID] = time.Now(), p.Stage
		_ = r.enc.Encode(j)
		return
	}
	bar, ok := r.bars[p.ConnectionID]
	if !ok {
		bar = progressbar.NewOptions64(max(j.Estimated, 1),
			progressbar.OptionSetWriter(r.env.Stderr),
			progressbar.OptionSetDescription(r.names[p.ConnectionID]),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("objects"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		r.bars[p.ConnectionID] = bar
	}
	bar.ChangeMax64(max(j.Estimated, j.Synced, 1))
	_ = bar.Set64(j.Synced)
	bar.Describe(fmt.Sprintf("%s %-11s", r.names[p.ConnectionID], p.Stage))
}

// final prints the connection's state once its sync ends.
func (r *syncReporter) final(ctx context.Context, e *syncer.Engine, connID string) {
	p, err := e.Progress(ctx, connID)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.asJSON {
		j := toProgressJSON(p, true)
		if j.Stage == "" && p.Err == "" {
			j.Stage = string(syncer.StageDone) // no sync runs any more: this one finished
		}
		_ = r.enc.Encode(j)
		return
	}
	if bar, ok := r.bars[connID]; ok {
		_ = bar.Finish()
		fmt.Fprintln(r.env.Stderr)
	}
}
