// Package cli is the `ledgerline` command line: it parses arguments, builds
// the app through internal/app and runs one subcommand, or hands over to
// the window when there is none. Exit status 0 on success; otherwise a
// one-line reason on standard error and a non-zero status.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// Env is the world the command runs in; main passes the real one.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	UserConfigDir  func() (string, error)
	// OpenBrowser opens a URL in the system browser.
	OpenBrowser func(url string) error
	// RunWindow opens the desktop window and returns when it closes. Nil in
	// builds without a window.
	RunWindow func(ctx context.Context, cfg config.Config) error
	Now       func() time.Time
	// Zone is the time zone reports count days in; nil means the
	// computer's (time.Local).
	Zone *time.Location
	// Keychain reaches the keychain; nil means the system's.
	Keychain secrets.Backend
	// IsTerminal says whether w (Stdout or Stderr) is a terminal, where
	// progress is drawn as bars; nil means ask the operating system.
	IsTerminal func(w io.Writer) bool
	// BrokerURL is the sign-in service this build was made for (set at
	// build time by `make package`); --broker-url and
	// LEDGERLINE_BROKER_URL override it.
	BrokerURL string
}

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// errUsage marks an error caused by the command's words, not the world.
var errUsage = errors.New("usage")

// common holds the flags every subcommand accepts.
type common struct{ f config.Flags }

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.f.DataDir, "data-dir", c.f.DataDir, "folder for Ledgerline's database (default: your config folder/Ledgerline; env "+config.EnvDataDir+")")
	fs.BoolVar(&c.f.Sandbox, "sandbox", c.f.Sandbox, "use the built-in Stripe sandbox and a separate data folder")
	fs.StringVar(&c.f.BrokerURL, "broker-url", c.f.BrokerURL, "the sign-in service's address (env "+config.EnvBrokerURL+")")
	fs.StringVar(&c.f.StripeAPIBase, "stripe-api-base", c.f.StripeAPIBase, "Stripe API address (env "+config.EnvStripeAPIBase+")")
}

func (c *common) resolve(env Env) (config.Config, error) {
	f := c.f
	f.BuiltInBrokerURL = env.BrokerURL
	return config.Resolve(f, env.Getenv, env.UserConfigDir)
}

// Run runs the command line args (without the program name) and returns
// the exit status.
func Run(ctx context.Context, args []string, env Env) int {
	env = withDefaults(env)
	err := run(ctx, args, env)
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.Is(err, errUsage):
		fmt.Fprintln(env.Stderr, "ledgerline:", strings.TrimSpace(err.Error()))
		return ExitUsage
	case isUsageKind(err):
		fmt.Fprintln(env.Stderr, "ledgerline:", message(err))
		return ExitUsage
	default:
		fmt.Fprintln(env.Stderr, "ledgerline:", message(err))
		return ExitError
	}
}

// isUsageKind says err is a kind that means the command was written wrong
// (a report's date, range or period): exit 2 like any usage error, worded
// from its kind and facts.
func isUsageKind(err error) bool {
	for _, k := range []domain.Kind{domain.KindBadDate, domain.KindBadRange, domain.KindUnknownPeriod} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

func run(ctx context.Context, args []string, env Env) error {
	var c common
	fs := newFlagSet("ledgerline", env, usageText)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		cfg, err := c.resolve(env)
		if err != nil {
			return err
		}
		if env.RunWindow == nil {
			return errors.New("this build of Ledgerline has no window; use a subcommand (ledgerline --help)")
		}
		return env.RunWindow(ctx, cfg)
	}
	switch rest[0] {
	case "connections":
		return runConnections(ctx, rest[1:], c, env)
	case "connect":
		return runConnect(ctx, rest[1:], c, env)
	case "reauth":
		return runReauth(ctx, rest[1:], c, env)
	case "disconnect":
		return runDisconnect(ctx, rest[1:], c, env)
	case "sync":
		return runSync(ctx, rest[1:], c, env)
	case "export":
		return runExport(ctx, rest[1:], c, env)
	case "report":
		return runReport(ctx, rest[1:], c, env)
	case "check":
		return runCheck(ctx, rest[1:], c, env)
	case "compact":
		return runCompact(ctx, rest[1:], c, env)
	case "backup":
		return runBackup(ctx, rest[1:], c, env)
	case "restore":
		return runRestore(ctx, rest[1:], c, env)
	case "destination":
		return runDestination(ctx, rest[1:], c, env)
	case "help":
		fs.Usage()
		return nil
	default:
		return fmt.Errorf("%w: unknown command %q (try ledgerline --help)", errUsage, rest[0])
	}
}

const usageText = `Ledgerline keeps a copy of your Stripe payments and invoices on this computer.

Usage:
  ledgerline [--data-dir DIR] [--sandbox]          open the window
  ledgerline connections [--json]                  list connections and their last known status (offline)
  ledgerline connect stripe [--mode test|live] [--no-browser]
                                                   connect a Stripe account in your browser
  ledgerline reauth ID                             sign in again for a connection
  ledgerline disconnect ID [--delete-data]         revoke access and forget a connection
  ledgerline sync [--connection ID] [--follow] [--json] [--wait]
                                                   copy Stripe data into the local database
  ledgerline export TABLE [--connection ID] [--since DATE] --csv FILE
                                                   write synced data as CSV (offline)
  ledgerline report overview [--connection ID | --all] [--period NAME | --from DAY [--to DAY]] [--json | --csv]
                                                   money in and kept for a period, with the one before (offline)
  ledgerline report mrr|at-risk [--connection ID | --all] [--period NAME | --from DAY [--to DAY]] [--json | --csv]
                                                   subscription figures, money at risk (offline)
  ledgerline report payouts|payout PO_ID [--connection ID | --all] [--period NAME | --from DAY [--to DAY]] [--json | --csv]
                                                   payouts arriving in a period, a payout's transactions (offline)
  ledgerline check                                 read the whole database and check it is sound (offline)
  ledgerline compact                               give the space of deleted data back to the disk
  ledgerline backup FILE                           write a consistent copy of the database, while syncs run
  ledgerline restore FILE                          check a backup, then put it in the database's place
  ledgerline destination add postgres URL [--schema NAME] [--connection ID]
                                                   keep a copy in your team's PostgreSQL
  ledgerline destination list|status [--json] | run [ID] [--follow] | remove ID
                                                   see, feed and forget destinations

Flags every command accepts:
`

func newFlagSet(name string, env Env, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w: %v", errUsage, err)
}

// oneLine keeps the reason on one line, as scripts expect.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func withDefaults(env Env) Env {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.UserConfigDir == nil {
		env.UserConfigDir = os.UserConfigDir
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	return env
}
