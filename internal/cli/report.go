package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/csvsafe"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/store"
)

// `ledgerline report NAME …`: each report is a sibling file
// (report_overview.go, …) with a run function listed in reportCommands.
// This file holds what they share: the flags, which connections, which
// period, and the output format.

// reportCommands are the reports by name.
var reportCommands = map[string]func(ctx context.Context, args []string, c common, env Env) error{
	"overview": runReportOverview,
	"mrr":      runReportMRR,
	"at-risk":  runReportAtRisk,
	"payouts":  runReportPayouts,
	"payout":   runReportPayout,
}

const reportUsage = `Usage: ledgerline report NAME [--connection ID | --all] [--period NAME | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--json | --csv]

Figures from the synced data, computed on this computer (offline). NAME is
one of: %s. Run ledgerline report NAME --help for one report's flags.
`

func runReport(ctx context.Context, args []string, c common, env Env) error {
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range reportCommands {
			if !yield(n) {
				return
			}
		}
	})
	if len(args) == 0 {
		return fmt.Errorf("%w: say which report (%s): ledgerline report overview", errUsage, strings.Join(names, ", "))
	}
	if args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintf(env.Stderr, reportUsage, strings.Join(names, ", "))
		return nil
	}
	run, ok := reportCommands[args[0]]
	if !ok {
		return fmt.Errorf("%w: no report %q; choose one of %s", errUsage, args[0], strings.Join(names, ", "))
	}
	return run(ctx, args[1:], c, env)
}

// Output formats of a report.
type reportFormat int

const (
	formatText reportFormat = iota
	formatJSON
	formatCSV
)

// reportFlags are the flags every report takes.
type reportFlags struct {
	conn, from, to, period string
	all, json, csv         bool
	defaultPeriod          reports.PeriodKind // "" is this_month
}

func (f *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.conn, "connection", "", "report on this connection `ID` (see ledgerline connections)")
	fs.BoolVar(&f.all, "all", false, "report on every connection together")
	def := f.defaultPeriod
	if def == "" {
		def = reports.PeriodThisMonth
	}
	fs.StringVar(&f.period, "period", "", "a period `NAME`: "+periodNames()+" (default "+string(def)+")")
	fs.StringVar(&f.from, "from", "", "first `day` of a custom period, YYYY-MM-DD in this computer's time zone")
	fs.StringVar(&f.to, "to", "", "last `day` of a custom period, included (default: today)")
	fs.BoolVar(&f.json, "json", false, "print JSON for scripts (keys in docs/metrics.md)")
	fs.BoolVar(&f.csv, "csv", false, "print CSV, one row per currency and figure")
}

func periodNames() string {
	var s []string
	for _, k := range reports.PeriodKinds() {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// reportRun is a report's resolved flags with an open store: the
// connections to read, the period, the zone its days are in, the format.
// Close it when done.
type reportRun struct {
	db      *store.DB
	Reports *reports.Reports
	Conns   []domain.Connection
	Period  reports.Period
	Zone    *time.Location
	Now     time.Time
	Format  reportFormat
	Out     io.Writer
}

// ConnIDs are the ids of the connections the report reads.
func (r *reportRun) ConnIDs() []string {
	ids := make([]string, len(r.Conns))
	for i, c := range r.Conns {
		ids[i] = c.ID
	}
	return ids
}

func (r *reportRun) Close() error { return r.db.Close() }

// reportSpec is what one report adds to what every report shares: its
// name and usage, the period it covers when none is given, and any flags
// of its own.
type reportSpec struct {
	Name, Usage string
	// DefaultPeriod is the period without --period or --from; "" is
	// this_month.
	DefaultPeriod reports.PeriodKind
	// Flags, when not nil, registers the report's own flags.
	Flags func(*flag.FlagSet)
}

// startReport parses a report's flags (those of every report, plus the
// ones spec.Flags adds), checks them, opens the store and picks the
// connections: --connection ID, --all, or the only connection there is.
// It returns the positional arguments left (a payout's id). Bad words are
// usage errors; bad dates and periods are domain kinds (report.*); an
// unknown connection is domain.KindNotFound with its id.
func startReport(ctx context.Context, spec reportSpec, args []string, c common, env Env) (*reportRun, []string, error) {
	fs := newFlagSet("ledgerline report "+spec.Name, env, spec.Usage)
	c.register(fs)
	f := reportFlags{defaultPeriod: spec.DefaultPeriod}
	f.register(fs)
	if spec.Flags != nil {
		spec.Flags(fs)
	}
	if err := parseInterspersed(fs, args); err != nil {
		return nil, nil, usageErr(err)
	}
	switch {
	case f.json && f.csv:
		return nil, nil, fmt.Errorf("%w: choose --json or --csv, not both", errUsage)
	case f.all && f.conn != "":
		return nil, nil, fmt.Errorf("%w: choose --connection ID or --all, not both", errUsage)
	case f.period != "" && (f.from != "" || f.to != ""):
		return nil, nil, fmt.Errorf("%w: choose --period or --from/--to, not both", errUsage)
	case f.to != "" && f.from == "":
		return nil, nil, fmt.Errorf("%w: --to needs --from", errUsage)
	}
	run := &reportRun{Zone: env.Zone, Now: env.Now(), Out: env.Stdout}
	if run.Zone == nil {
		run.Zone = time.Local
	}
	switch {
	case f.json:
		run.Format = formatJSON
	case f.csv:
		run.Format = formatCSV
	}
	var err error
	if run.Period, err = pickPeriod(f, run.Now, run.Zone); err != nil {
		return nil, nil, err
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return nil, nil, err
	}
	db, err := app.OpenStore(ctx, cfg, env.Now)
	if err != nil {
		return nil, nil, err
	}
	run.db, run.Reports = db, reports.New(db.Reader(), env.Now)
	if run.Conns, err = pickConnections(ctx, db, f); err != nil {
		db.Close()
		return nil, nil, err
	}
	return run, fs.Args(), nil
}

func pickPeriod(f reportFlags, now time.Time, zone *time.Location) (reports.Period, error) {
	if f.from == "" {
		kind := f.defaultPeriod
		if kind == "" {
			kind = reports.PeriodThisMonth
		}
		if f.period != "" {
			k, err := reports.ParsePeriodKind(f.period)
			if err != nil {
				return reports.Period{}, err
			}
			kind = k
		}
		return reports.PresetPeriod(kind, now, zone)
	}
	from, err := reports.ParseDay(f.from, "--from", zone)
	if err != nil {
		return reports.Period{}, err
	}
	today, _ := reports.PresetPeriod(reports.PeriodToday, now, zone)
	to := today.To
	if f.to != "" {
		last, err := reports.ParseDay(f.to, "--to", zone)
		if err != nil {
			return reports.Period{}, err
		}
		// --to names the last day, included, as the other reports take it.
		if !last.Before(from) {
			to = last.AddDate(0, 0, 1)
		} else {
			to = last
		}
	}
	return reports.CustomPeriod(from, to)
}

func pickConnections(ctx context.Context, db *store.DB, f reportFlags) ([]domain.Connection, error) {
	if f.conn != "" {
		conn, err := db.GetConnection(ctx, f.conn)
		if errors.Is(err, domain.ErrNotFound) {
			return nil, domain.E(domain.KindNotFound, err, domain.FactConnectionID, f.conn)
		}
		if err != nil {
			return nil, err
		}
		return []domain.Connection{conn}, nil
	}
	conns, err := db.ListConnections(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case f.all:
		return conns, nil
	case len(conns) == 1:
		return conns, nil
	case len(conns) == 0:
		return nil, fmt.Errorf("%w: no connections yet; connect one with ledgerline connect stripe", errUsage)
	}
	return nil, fmt.Errorf("%w: there are %d connections; choose one with --connection ID (see ledgerline connections) or --all", errUsage, len(conns))
}

// runFlagsOnlyReport runs a report that takes flags and no arguments:
// it starts the report from spec and hands the run to write.
func runFlagsOnlyReport(ctx context.Context, spec reportSpec, args []string, c common, env Env,
	write func(context.Context, *reportRun) error) error {
	run, rest, err := startReport(ctx, spec, args, c, env)
	if err != nil {
		return err
	}
	defer run.Close()
	if err := noArguments(spec.Name, rest); err != nil {
		return err
	}
	return write(ctx, run)
}

// noArguments is a usage error when a report that takes only flags was
// given a word more.
func noArguments(name string, rest []string) error {
	if len(rest) == 0 {
		return nil
	}
	return fmt.Errorf("%w: report %s takes no argument %q, only flags", errUsage, name, rest[0])
}

// writeReportJSON prints v as indented JSON.
func writeReportJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeReportCSV prints a header and rows.
func writeReportCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csvsafe.NewWriter(w, false)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// periodJSON is a period in a report's JSON: its name, and its first
// instant and the first instant after it, RFC 3339 in the report's zone.
type periodJSON struct {
	Name     string    `json:"name"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Complete bool      `json:"complete"`
}

func toPeriodJSON(p reports.Period, now time.Time) periodJSON {
	return periodJSON{Name: string(p.Kind), From: p.From, To: p.To, Complete: p.Complete(now)}
}

// periodText is a period for people: "1 Dec 2026 – 31 Dec 2026".
func periodText(p reports.Period) string {
	last := p.To.AddDate(0, 0, -1)
	if last.Equal(p.From) || !last.After(p.From) {
		return p.From.Format("Mon 2 Jan 2006")
	}
	return p.From.Format("2 Jan 2006") + " – " + last.Format("2 Jan 2006")
}

// rfc3339 writes t in UTC, or "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
