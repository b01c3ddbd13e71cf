package cli

// TEMPORARY plumbing for `report mrr` and `report at-risk` until the shared
// internal/cli/report.go (flag parsing, connection selection, output format)
// lands. On merge: delete this file, add "mrr" → runReportMRR and
// "at-risk" → runReportAtRisk to report.go's dispatch, and move
// writeMRRReport / writeAtRiskReport onto the shared options (they take
// subReportOptions, connections and an io.Writer, nothing else).

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/store"
)

// subReportOptions are the options the report subcommands share.
type subReportOptions struct {
	ConnectionID string    // --connection; "" with All
	All          bool      // --all, or neither flag given
	From, To     time.Time // [From, To) in UTC; zero when not given (--to's day is included)
	Format       reportFormat
}

// registerSubReportFlags adds the shared report flags to fs; parse turns
// what they hold into options.
func registerSubReportFlags(fs *flag.FlagSet, zone *time.Location) (parse func() (subReportOptions, error)) {
	conn := fs.String("connection", "", "only this connection `ID`")
	all := fs.Bool("all", false, "every connection (the default)")
	from := fs.String("from", "", "first `day` of the period (YYYY-MM-DD, in this computer's time zone)")
	to := fs.String("to", "", "last `day` of the period, included (YYYY-MM-DD, in this computer's time zone)")
	asJSON := fs.Bool("json", false, "print JSON for scripts (keys in docs/metrics.md)")
	asCSV := fs.Bool("csv", false, "print CSV")
	return func() (subReportOptions, error) {
		o := subReportOptions{ConnectionID: *conn, All: *all || *conn == "", Format: formatText}
		if *conn != "" && *all {
			return o, fmt.Errorf("%w: give --connection ID or --all, not both", errUsage)
		}
		switch {
		case *asJSON && *asCSV:
			return o, fmt.Errorf("%w: give --json or --csv, not both", errUsage)
		case *asJSON:
			o.Format = formatJSON
		case *asCSV:
			o.Format = formatCSV
		}
		var err error
		if o.From, err = parseDay("--from", *from, zone); err != nil {
			return o, err
		}
		if o.To, err = parseDay("--to", *to, zone); err != nil {
			return o, err
		}
		if !o.To.IsZero() {
			o.To = o.To.AddDate(0, 0, 1) // the day given is included
		}
		if !o.From.IsZero() && !o.To.IsZero() && !o.From.Before(o.To) {
			return o, fmt.Errorf("%w: --from %s is after --to %s", errUsage, *from, *to)
		}
		return o, nil
	}
}

// parseDay reads a YYYY-MM-DD day as its midnight in zone (the computer's,
// as every report counts days); "" is the zero time.
func parseDay(flagName, s string, zone *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s takes a day like 2026-01-31, not %q", errUsage, flagName, s)
	}
	return d, nil
}

// withReportStore opens the store, picks the connections the options name
// and calls fn. An unknown --connection is domain.KindNotFound with the
// connection's id.
func withReportStore(ctx context.Context, c common, env Env, o subReportOptions,
	fn func(db reportDB, conns []domain.Connection) error) error {
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	db, err := app.OpenStore(ctx, cfg, env.Now)
	if err != nil {
		return err
	}
	defer db.Close()
	var conns []domain.Connection
	if o.ConnectionID != "" {
		conn, err := db.GetConnection(ctx, o.ConnectionID)
		if err != nil {
			return err
		}
		conns = []domain.Connection{conn}
	} else if conns, err = db.ListConnections(ctx); err != nil {
		return err
	}
	return fn(db, conns)
}

// parseSubReport parses a report subcommand's flags; it takes no positional
// arguments.
func parseSubReport(name, usage string, args []string, c common, env Env) (subReportOptions, common, error) {
	fs := newFlagSet("ledgerline report "+name, env, usage)
	c.register(fs)
	zone := env.Zone
	if zone == nil {
		zone = time.Local
	}
	parse := registerSubReportFlags(fs, zone)
	if err := fs.Parse(args); err != nil {
		return subReportOptions{}, c, usageErr(err)
	}
	if fs.NArg() > 0 {
		return subReportOptions{}, c, fmt.Errorf("%w: report %s takes no argument %q", errUsage, name, fs.Arg(0))
	}
	o, err := parse()
	return o, c, err
}

// reportDB is the store as the reports see it.
type reportDB = *store.DB

// reportsFor is the reports over db's reader as of env's clock.
func reportsFor(db reportDB, env Env) *reports.Reports { return reports.New(db.Reader(), env.Now) }

// rfc3339 writes t in UTC, or "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
