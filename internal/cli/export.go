package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/csvsafe"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

const exportUsage = `Usage: ledgerline export TABLE [--connection ID] [--since YYYY-MM-DD] [--include-deleted] [--raw-cells] --csv FILE

Write one table of synced Stripe data as CSV (FILE "-" is standard output):
TABLE is an object type such as charges, invoices or customers (or its table
name, stripe_charges). Rows come newest first, with the typed columns; the
full objects stay in the database's data column. Works offline.
A cell that starts with = + - @, a tab or a carriage return (and is not a
plain number) gets a leading ' so a spreadsheet shows it instead of running
it; --raw-cells turns that off for programs. The file is made readable by
you only (0600), whether it is new or overwritten.

`

func runExport(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline export", env, exportUsage)
	c.register(fs)
	conn := fs.String("connection", "", "only this connection `ID`")
	since := fs.String("since", "", "only objects created on or after this `date` (YYYY-MM-DD, UTC)")
	file := fs.String("csv", "", "the CSV `file` to write (- for standard output)")
	deleted := fs.Bool("include-deleted", false, "also rows of objects deleted in Stripe")
	raw := fs.Bool("raw-cells", false, "write cells exactly as stored, without the leading ' that stops a spreadsheet running a cell as a formula (for programs that read the file)")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 || *file == "" {
		return fmt.Errorf("%w: say which table and where: ledgerline export charges --csv charges.csv", errUsage)
	}
	t, ok := warehouse.TypeByName(strings.TrimPrefix(fs.Arg(0), "stripe_"))
	if !ok {
		var names []string
		for _, t := range warehouse.Types() {
			names = append(names, t.Name)
		}
		return fmt.Errorf("%w: no table %q; choose one of %s", errUsage, fs.Arg(0), strings.Join(names, ", "))
	}
	opts := warehouse.ExportOptions{Type: t, ConnID: *conn, IncludeDeleted: *deleted, RawCells: *raw}
	if *since != "" {
		d, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			return fmt.Errorf("%w: --since takes a date like 2026-01-31, not %q", errUsage, *since)
		}
		opts.Since = d
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	db, err := app.OpenStore(ctx, cfg, env.Now)
	if err != nil {
		return err
	}
	defer db.Close()
	if *conn != "" {
		if _, err := db.GetConnection(ctx, *conn); err != nil {
			return fmt.Errorf("no connection %q (see ledgerline connections): %w", *conn, err)
		}
	}
	wh, err := warehouse.New(warehouse.Options{DB: db, Now: env.Now})
	if err != nil {
		return err
	}
	out, closeOut, err := openOutput(*file, env)
	if err != nil {
		return err
	}
	n, err := wh.Export(ctx, out, opts)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", *file, err)
	}
	if *file != "-" {
		fmt.Fprintf(env.Stdout, "Wrote %d %s to %s.\n", n, t.Name, *file)
	}
	return nil
}

// openOutput opens the CSV destination: standard output for "-", else a
// new or truncated file, 0600 either way (it holds business data).
func openOutput(path string, env Env) (io.Writer, func() error, error) {
	if path == "-" {
		return env.Stdout, func() error { return nil }, nil
	}
	f, err := csvsafe.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}
