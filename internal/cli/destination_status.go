package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ledgerline/ledgerline/internal/destination"
)

// destinationJSON is one element of `destination list --json` and
// `destination status --json`; the field names are a contract for scripts.
// Times are RFC 3339 in UTC, or null.
type destinationJSON struct {
	ID           string     `json:"id"`
	Kind         string     `json:"kind"`
	URL          string     `json:"url"` // without the password
	Schema       string     `json:"schema"`
	ConnectionID string     `json:"connection_id"` // "" for all connections
	CreatedAt    *time.Time `json:"created_at"`
	AppliedSeq   int64      `json:"applied_seq"`
	AppliedAt    *time.Time `json:"applied_at"`
	// RowsBehind is the number of local changes not yet in the destination;
	// SecondsBehind how long the oldest of them has waited (0 when none).
	RowsBehind    *int64   `json:"rows_behind,omitempty"`
	SecondsBehind *float64 `json:"seconds_behind,omitempty"`
	// LastError is the last failure's kind code ("" when the last attempt
	// worked), LastErrorDetail its sentence.
	LastError       string     `json:"last_error"`
	LastErrorDetail string     `json:"last_error_detail"`
	LastErrorAt     *time.Time `json:"last_error_at"`
}

func destToJSON(d destination.Destination) destinationJSON {
	j := destinationJSON{ID: d.ID, Kind: d.Kind, URL: d.URL, Schema: d.Schema, ConnectionID: d.ConnectionID,
		CreatedAt: timePtr(d.CreatedAt), AppliedSeq: d.AppliedSeq, AppliedAt: timePtr(d.AppliedAt),
		LastError: string(d.LastError), LastErrorAt: timePtr(d.LastErrorAt)}
	if err := d.Err(); err != nil {
		j.LastErrorDetail = message(err)
	}
	return j
}

func runDestinationList(ctx context.Context, args []string, c common, env Env) error {
	return destinationTable(ctx, "ledgerline destination list", args, c, env, false)
}

func runDestinationStatus(ctx context.Context, args []string, c common, env Env) error {
	return destinationTable(ctx, "ledgerline destination status", args, c, env, true)
}

// destinationTable prints the destinations, with their lag when withLag.
func destinationTable(ctx context.Context, name string, args []string, c common, env Env, withLag bool) error {
	fs := newFlagSet(name, env, destinationUsage)
	c.register(fs)
	asJSON := fs.Bool("json", false, "print a JSON array for scripts")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: %s takes no arguments", errUsage, name)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	w, err := openDestinations(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer w.db.Close()
	ds, err := w.local.List(ctx)
	if err != nil {
		return err
	}
	out := make([]destinationJSON, 0, len(ds))
	for _, d := range ds {
		j := destToJSON(d)
		if withLag {
			lag, err := w.local.Lag(ctx, d)
			if err != nil {
				return err
			}
			secs := 0.0
			if lag.Rows > 0 {
				secs = math.Max(0, env.Now().Sub(lag.Oldest).Seconds())
			}
			j.RowsBehind, j.SecondsBehind = &lag.Rows, &secs
		}
		out = append(out, j)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(env.Stdout, "No destinations. Add one with ledgerline destination add postgres URL.")
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	if withLag {
		fmt.Fprintln(tw, "ID\tSCHEMA\tBEHIND\tLAST COPIED\tSTATE")
	} else {
		fmt.Fprintln(tw, "ID\tADDRESS\tSCHEMA\tCONNECTION")
	}
	for _, j := range out {
		if !withLag {
			conn := j.ConnectionID
			if conn == "" {
				conn = "all"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", j.ID, j.URL, j.Schema, conn)
			continue
		}
		state := "OK"
		if j.LastErrorDetail != "" {
			state = j.LastErrorDetail
		}
		last := "never"
		if j.AppliedAt != nil {
			last = j.AppliedAt.Local().Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", j.ID, j.Schema, behindText(*j.RowsBehind, *j.SecondsBehind), last, state)
	}
	return tw.Flush()
}

func behindText(rows int64, secs float64) string {
	if rows == 0 {
		return "up to date"
	}
	unit := "changes"
	if rows == 1 {
		unit = "change"
	}
	return fmt.Sprintf("%d %s, %.0f s", rows, unit, secs)
}

func runDestinationRun(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline destination run", env, destinationUsage)
	c.register(fs)
	follow := fs.Bool("follow", false, "keep the destinations fresh until interrupted")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: write ledgerline destination run [ID] [--follow]", errUsage)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	w, err := openDestinations(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer w.db.Close()
	var ds []destination.Destination
	if fs.NArg() == 1 {
		d, err := w.local.Get(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		ds = append(ds, d)
	} else if ds, err = w.local.List(ctx); err != nil {
		return err
	}
	if len(ds) == 0 {
		return errors.New("there are no destinations; add one with ledgerline destination add postgres URL")
	}
	var mu sync.Mutex
	say := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(env.Stderr, format, a...)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ds))
	for i, d := range ds {
		pw, err := w.password(ctx, d)
		if err != nil {
			return &labeled{label: d.ID, err: err}
		}
		r := destination.NewReplicator(w.local, d, pw, destination.Options{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			if *follow {
				_ = r.Follow(ctx, func(n int, err error) {
					if err != nil {
						say("%s: %s\n", d.ID, message(err))
					} else if n > 0 {
						say("%s: copied %d changes.\n", d.ID, n)
					}
				})
				return
			}
			n, err := r.CatchUp(ctx)
			if err != nil {
				errs[i] = &labeled{label: d.ID, err: err}
				return
			}
			say("%s: copied %d changes; up to date.\n", d.ID, n)
		}()
	}
	wg.Wait()
	if *follow {
		return nil
	}
	return errors.Join(errs...)
}
