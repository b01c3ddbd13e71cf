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

// brokerURL is the sign-in service this build connects through, set at
// build time: go build -ldflags "-X main.brokerURL=https://broker.example.com"
// (`make package BROKER_URL=…` does it). --broker-url and
// LEDGERLINE_BROKER_URL override it; empty means none is built in.
var brokerURL string

func main() {
	attachParentConsole()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{OpenBrowser: browser.OpenURL, RunWindow: runWindow, BrokerURL: brokerURL})
	stop()
	os.Exit(code)
}
