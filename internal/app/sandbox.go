package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ledgerline/ledgerline/internal/broker"
	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// Sandbox is the local Stripe stand-in and the token broker in front of
// it, both on loopback, as `ledgerline --sandbox` and `make demo` run them.
type Sandbox struct {
	Server    *sandbox.Server
	Info      sandbox.Info
	APIBase   string // the sandbox's base URL: Stripe's API and sign-in pages
	BrokerURL string // the broker's base URL
	broker    *http.Server
}

// SandboxSeed makes every demo show the same accounts; SandboxScale is
// the objects each account holds, and SandboxChurn the changes a second it
// makes, so a demo shows the sync catching up and then staying fresh.
const (
	SandboxSeed  = 1
	SandboxScale = 5000
	SandboxChurn = 0.5
)

func startSandbox(log *slog.Logger) (*Sandbox, error) {
	srv, err := sandbox.New(sandbox.Options{Seed: SandboxSeed, Scale: SandboxScale, Churn: SandboxChurn})
	if err != nil {
		return nil, fmt.Errorf("starting the Stripe sandbox: %w", err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the Stripe sandbox: %w", err)
	}
	sb := &Sandbox{Server: srv, Info: srv.Info(), APIBase: base}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("starting the sandbox's sign-in service: %w", err)
	}
	sb.BrokerURL = "http://" + ln.Addr().String()
	b, err := broker.New(broker.Config{
		Flavor:      broker.FlavorApps,
		ClientID:    sb.Info.ClientID,
		SecretKey:   sb.Info.SecretKey,
		PublicURL:   sb.BrokerURL,
		ConnectBase: base,
		APIBase:     base,
		Logger:      log,
		// One person on loopback, and tests that sign in and renew
		// quickly: the production limits would only get in the way.
		Limits: broker.Limits{PerClient: 100, PerClientBurst: 1000, Upstream: 100, UpstreamBurst: 100},
	})
	if err != nil {
		_ = ln.Close()
		_ = srv.Close()
		return nil, fmt.Errorf("starting the sandbox's sign-in service: %w", err)
	}
	sb.broker = &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := sb.broker.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("sandbox broker stopped", "err", err)
		}
	}()
	return sb, nil
}

// Close stops the broker and the sandbox.
func (s *Sandbox) Close() error {
	return errors.Join(s.broker.Close(), s.Server.Close())
}
