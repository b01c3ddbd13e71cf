// Package config resolves Ledgerline's settings from command-line flags,
// environment variables and platform defaults, in that order.
package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Environment variables Ledgerline reads.
const (
	EnvDataDir       = "LEDGERLINE_DATA_DIR"
	EnvBrokerURL     = "LEDGERLINE_BROKER_URL"
	EnvStripeAPIBase = "LEDGERLINE_STRIPE_API_BASE"
)

// DefaultStripeAPIBase is Stripe's own API.
const DefaultStripeAPIBase = "https://api.stripe.com"

// SandboxSubdir keeps sandbox data apart from real data: with --sandbox
// the data dir is <data dir>/sandbox.
const SandboxSubdir = "sandbox"

// Config is what the app is built from (see internal/app).
type Config struct {
	// DataDir holds ledgerline.db (dir 0700, file 0600).
	DataDir string
	// Sandbox runs a local Stripe stand-in and broker in-process.
	Sandbox bool
	// BrokerURL is the token broker's base URL; empty when none is set up
	// (then only the API-key route can connect, outside sandbox mode).
	BrokerURL string
	// StripeAPIBase is where Stripe API calls go.
	StripeAPIBase string
}

// Flags are the values given on the command line; empty means unset.
type Flags struct {
	DataDir       string
	Sandbox       bool
	BrokerURL     string
	StripeAPIBase string
	// BuiltInBrokerURL is the broker this build was made for (`make
	// package BROKER_URL=…`): used when neither --broker-url nor
	// LEDGERLINE_BROKER_URL says otherwise. Empty in a plain `go build`.
	BuiltInBrokerURL string
}

// Resolve applies flag, then environment, then default for each setting
// (for the broker: the flag, LEDGERLINE_BROKER_URL, then the build's own).
// userConfigDir is os.UserConfigDir in the app; the data dir defaults to
// <user config dir>/Ledgerline. It returns an error for a URL that is not
// absolute http(s), or when no data dir can be found.
func Resolve(f Flags, getenv func(string) string, userConfigDir func() (string, error)) (Config, error) {
	c := Config{
		DataDir:       first(f.DataDir, getenv(EnvDataDir)),
		Sandbox:       f.Sandbox,
		BrokerURL:     strings.TrimRight(first(f.BrokerURL, getenv(EnvBrokerURL), f.BuiltInBrokerURL), "/"),
		StripeAPIBase: strings.TrimRight(first(f.StripeAPIBase, getenv(EnvStripeAPIBase), DefaultStripeAPIBase), "/"),
	}
	if c.DataDir == "" {
		base, err := userConfigDir()
		if err != nil || base == "" {
			return Config{}, domain.E(domain.KindNoConfigDir, err, domain.FactSetting, "--data-dir")
		}
		c.DataDir = filepath.Join(base, "Ledgerline")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return Config{}, fmt.Errorf("data folder %q: %w", c.DataDir, err)
	}
	c.DataDir = abs
	if c.Sandbox {
		c.DataDir = filepath.Join(c.DataDir, SandboxSubdir)
	}
	if err := checkURL("--broker-url", c.BrokerURL); err != nil {
		return Config{}, err
	}
	if err := checkURL("--stripe-api-base", c.StripeAPIBase); err != nil {
		return Config{}, err
	}
	return c, nil
}

// checkURL accepts an empty value or an absolute http(s) URL.
func checkURL(name, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return domain.E(domain.KindBadURL, nil, domain.FactSetting, name, domain.FactProblem, domain.URLNotAddress)
	}
	if u.User != nil {
		return domain.E(domain.KindBadURL, nil, domain.FactSetting, name, domain.FactProblem, domain.URLUserInfo, domain.FactHost, u.Hostname())
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
