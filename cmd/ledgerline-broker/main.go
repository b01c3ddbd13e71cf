// Command ledgerline-broker runs Ledgerline's token broker: it holds the
// Stripe platform's client id and secret key and serves the desktop app's
// OAuth flow. It listens on BROKER_ADDR in plain HTTP; TLS is terminated in
// front of it. Settings come from the environment (see broker.ConfigFromEnv
// and docs/broker.md).
//
// It logs JSON lines to standard output (one per request, with a request
// id; never a query string, token, code or verifier). With
// BROKER_METRICS_ADDR set it serves Prometheus metrics at /metrics there.
// On SIGTERM or SIGINT it answers /readyz 503 for BROKER_DRAIN (5 s), then
// stops accepting connections and lets the requests in flight finish.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ledgerline/ledgerline/internal/broker"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ledgerline-broker:", err)
		os.Exit(1)
	}
}

// shutdownGrace bounds the wait for requests in flight after the drain;
// it covers the longest request (RequestTimeout).
const shutdownGrace = broker.DefaultRequestTimeout + broker.WriteTimeoutMargin

// run serves until ctx ends, then drains and shuts down gracefully. The
// broker's public URL goes to stderr on start; logs go to stdout as JSON.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewJSONHandler(stdout, nil))
	cfg, err := broker.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	cfg.Logger = logger
	b, err := broker.New(cfg)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           b.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + broker.WriteTimeoutMargin, // each request's own deadline is RequestTimeout
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", b.Addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", b.Addr(), err)
	}
	served := make(chan error, 2)
	go func() { served <- srv.Serve(ln) }()

	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", b.MetricsHandler())
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("listen for metrics on %s: %w", cfg.MetricsAddr, err)
		}
		go func() { served <- metricsSrv.Serve(mln) }()
		logger.Info("metrics listening", "addr", mln.Addr().String())
	}
	fmt.Fprintln(stderr, b.PublicURL())
	logger.Info("broker listening", "addr", ln.Addr().String(), "config", cfg)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Load balancers see /readyz fail and move away; then the listener
	// closes and the requests in flight finish.
	b.Drain()
	logger.Info("draining", "for", cfg.Drain.String())
	time.Sleep(cfg.Drain)
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdownCtx)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	logger.Info("stopped")
	return nil
}
