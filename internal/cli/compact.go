package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"

	"github.com/ledgerline/ledgerline/internal/app"
)

const compactUsage = `Usage: ledgerline compact

Give the space of deleted data back to the disk. A database created by this
version of Ledgerline does it by itself when a connection or a type's data
is deleted; one created by an older version needs this once: it rewrites
the whole file (it needs free disk space about the database's size, and
syncs wait until it is done), after which deletes give space back by
themselves too. Works offline.

`

func runCompact(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline compact", env, compactUsage)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: compact takes no arguments", errUsage)
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
	before, err := db.Space(ctx)
	if err != nil {
		return err
	}
	var progress func(done, total int64)
	if env.isTerminal(env.Stderr) {
		bar := progressbar.DefaultBytes(max(before.FileBytes-before.FreeBytes, 1), "Compacting")
		progressbar.OptionSetWriter(env.Stderr)(bar)
		progress = func(done, _ int64) { _ = bar.Set64(done) }
	}
	start := time.Now()
	if before.Incremental {
		err = db.ReclaimSpace(ctx, progress)
	} else {
		fmt.Fprintf(env.Stderr, "Rewriting %s (%s) once, so that deleted data gives its space back from now on…\n",
			db.Path(), humanize.Bytes(uint64(before.FileBytes)))
		err = db.Compact(ctx, progress)
	}
	if err != nil {
		return err
	}
	after, err := db.Space(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "%s: %s before, %s now (%s given back) in %.1f s.\n", db.Path(),
		humanize.Bytes(uint64(before.FileBytes)), humanize.Bytes(uint64(after.FileBytes)),
		humanize.Bytes(uint64(max(before.FileBytes-after.FileBytes, 0))), time.Since(start).Seconds())
	return err
}
