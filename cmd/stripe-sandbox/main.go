// Command stripe-sandbox runs a local stand-in for Stripe's OAuth and REST
// API on a loopback address. It prints one JSON line describing itself
// (base_url, client_id, secret_key, accounts) to standard output, logs to
// standard error, and serves until interrupted.
//
//	stripe-sandbox --addr 127.0.0.1:PORT --seed N --accounts N --scale N
//	               --churn R --rate-limit live|test|off --faults 429=0.05,500=0.02,reset=0.01,slow=0.01
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ledgerline/ledgerline/internal/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "stripe-sandbox:", err)
		}
		os.Exit(2)
	}
}

// run parses flags, starts the sandbox, prints the start line to stdout and
// serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stripe-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:12111", "loopback `host:port` to listen on (port 0 picks a free one)")
	seed := fs.Int64("seed", 1, "seed for accounts, client id and keys")
	accounts := fs.Int("accounts", 3, "number of connected accounts")
	accessTTL := fs.Duration("access-token-ttl", time.Hour, "lifetime of Stripe Apps access tokens")
	scale := fs.Int("scale", sandbox.DefaultScale, "objects of all types per account, roughly (generated on demand)")
	churn := fs.Float64("churn", 0, "random changes (with events) per second per account, in the background")
	rateLimit := fs.String("rate-limit", sandbox.RateLimitOff, "Stripe's rate limits: live (100/s), test (25/s) or off; 25/s per endpoint when on")
	faults := fs.String("faults", "", "injected faults per request, e.g. 429=0.05,500=0.02,reset=0.01,slow=0.01")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := sandbox.CheckLoopbackAddr(*addr); err != nil {
		return err
	}

	log := slog.New(slog.NewTextHandler(stderr, nil))
	sb, err := sandbox.New(sandbox.Options{
		Seed: *seed, Accounts: *accounts, AccessTokenTTL: *accessTTL, Logger: log,
		Scale: *scale, Churn: *churn, RateLimit: *rateLimit, Faults: *faults,
	})
	if err != nil {
		return err
	}
	base, err := sb.Start(*addr)
	if err != nil {
		_ = sb.Close() // stops the churn
		return err
	}
	line, err := json.Marshal(sb.Info())
	if err != nil {
		_ = sb.Close()
		return fmt.Errorf("encode start line: %w", err)
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		_ = sb.Close()
		return fmt.Errorf("write start line: %w", err)
	}
	log.Info("stripe sandbox listening", slog.String("base_url", base), slog.Int64("seed", *seed),
		slog.Int("accounts", *accounts), slog.Duration("access_token_ttl", *accessTTL), slog.Int("scale", *scale),
		slog.Float64("churn", *churn), slog.String("rate_limit", *rateLimit), slog.String("faults", *faults))

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := sb.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	log.Info("stripe sandbox stopped")
	return nil
}
