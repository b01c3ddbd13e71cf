package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/store"
)

const backupUsage = `Usage: ledgerline backup FILE

Write a copy of the local database to FILE (mode 0600), consistent as of
the moment it starts, while syncs and the window go on. The copy is checked
before it replaces a file already at FILE. It holds the connections, the
synced data and the sync state; tokens and API keys stay in the system
keychain and are not in it. Works offline.

`

const restoreUsage = `Usage: ledgerline restore FILE

Replace the local database with the backup in FILE. The backup is read
whole and checked first; a damaged file, or one that is not a Ledgerline
database, is refused and nothing is replaced. Every Ledgerline window and
sync must be closed. The database replaced is kept beside it as
ledgerline.db.before-restore-TIME. Works offline.

`

func runBackup(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline backup", env, backupUsage)
	c.register(fs)
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: say where to write the copy: ledgerline backup FILE", errUsage)
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
	var progress func(done, total int)
	if env.isTerminal(env.Stderr) {
		var bar *progressbar.ProgressBar
		progress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(env.Stderr),
					progressbar.OptionSetDescription("Backing up"), progressbar.OptionSetWidth(30),
					progressbar.OptionShowCount(), progressbar.OptionSetItsString("pages"),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
		}
	}
	start := time.Now()
	if err := db.Backup(ctx, fs.Arg(0), progress); err != nil {
		return err
	}
	size := db.SizeBytes()
	_, err = fmt.Fprintf(env.Stdout, "Backed up %s to %s in %.1f s.\n", humanize.Bytes(uint64(size)), fs.Arg(0), time.Since(start).Seconds())
	return err
}

func runRestore(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline restore", env, restoreUsage)
	c.register(fs)
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: say which backup to restore: ledgerline restore FILE", errUsage)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Checking %s…\n", fs.Arg(0))
	kept, err := store.Restore(ctx, cfg.DataDir, fs.Arg(0), env.Now)
	if err != nil {
		return err
	}
	if kept != "" {
		_, err = fmt.Fprintf(env.Stdout, "Restored %s. The database it replaced is kept as %s.\n", fs.Arg(0), kept)
	} else {
		_, err = fmt.Fprintf(env.Stdout, "Restored %s.\n", fs.Arg(0))
	}
	return err
}
