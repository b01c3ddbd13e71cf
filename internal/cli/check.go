package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/app"
)

const checkUsage = `Usage: ledgerline check

Read the whole local database and check it is sound (SQLite's quick_check),
while syncs and the window go on using it. Ledgerline does this by itself
after it was closed uncleanly (killed, crashed, the computer lost power);
run it when you want to be sure. A damaged file is named and left exactly as
it is; exit status 1. Works offline.

`

func runCheck(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline check", env, checkUsage)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: check takes no arguments", errUsage)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	db, err := app.OpenStoreUnchecked(ctx, cfg, env.Now)
	if err != nil {
		return err
	}
	defer db.Close()
	size := int64(0)
	if fi, err := os.Stat(db.Path()); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(env.Stderr, "Checking %s (%s)…\n", db.Path(), humanize.Bytes(uint64(size)))
	start := time.Now()
	if err := db.Check(ctx); err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "The database %s is sound (%s read in %.1f s).\n",
		db.Path(), humanize.Bytes(uint64(size)), time.Since(start).Seconds())
	return err
}
