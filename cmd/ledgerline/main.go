// Command ledgerline is the Ledgerline desktop app and its command line.
// Run with no subcommand it opens the window; see `ledgerline --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/cli/browser"

	"github.com/ledgerline/ledgerline/internal/cli"
)

func main() {
	attachParentConsole()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{OpenBrowser: browser.OpenURL, RunWindow: runWindow})
	stop()
	os.Exit(code)
}
