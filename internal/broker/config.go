package broker

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Flavor names which of Stripe's two OAuth systems the broker speaks.
type Flavor string

const (
	// FlavorApps is Stripe Apps OAuth: authorize on marketplace.stripe.com,
	// token at api.stripe.com/v1/oauth/token with the secret key as basic
	// auth, 1-hour access tokens and refresh tokens that rotate.
	FlavorApps Flavor = "apps"
	// FlavorConnect is Connect OAuth: authorize and token on
	// connect.stripe.com, client_secret in the body, tokens that don't expire.
	FlavorConnect Flavor = "connect"
)

// Defaults for the settings that have one.
const (
	DefaultAddr            = "127.0.0.1:8787"
	DefaultAPIBase         = "https://api.stripe.com"
	DefaultAppsConnectBase = "https://marketplace.stripe.com"
	DefaultConnectFlowBase = "https://connect.stripe.com"
	stripeRequestTimeout   = 20 * time.Second
	// DefaultRequestTimeout is the one deadline for everything a request
	// does, its calls to Stripe included; the server's write timeout must
	// be longer (cmd/ledgerline-broker uses this plus WriteTimeoutMargin).
	DefaultRequestTimeout = 25 * time.Second
	// DefaultDrain is the wait between SIGTERM and closing the listener.
	DefaultDrain = 5 * time.Second
	// WriteTimeoutMargin is how much longer than the request deadline the
	// server may take to write the answer.
	WriteTimeoutMargin      = 5 * time.Second
	stripeResponseHeaderCap = 15 * time.Second
)

// Config is everything a Broker needs. ConfigFromEnv fills it from the
// environment; tests and the in-process sandbox build it directly.
//
// Config holds the Stripe secret key, so its String, GoString and LogValue
// methods redact it: printing or logging a Config never shows the key.
type Config struct {
	Flavor      Flavor // FlavorApps when empty
	ClientID    string // the platform's Stripe client id (ca_…)
	SecretKey   string // sk_test_/sk_live_/rk_test_/rk_live_…; its prefix fixes the mode served
	PublicURL   string // the broker's own base URL as browsers reach it (https unless loopback); a path prefix must be stripped by the proxy in front
	Addr        string // listen address for cmd/ledgerline-broker; DefaultAddr when empty
	ConnectBase string // where Stripe's authorize page lives; per-flavour default when empty
	APIBase     string // Stripe's API base; DefaultAPIBase when empty
	SealingKey  []byte // 32-byte AES-256 key; derived from SecretKey with HKDF when nil
	// SealingKeys, when set, replace SealingKey: the first seals, every one
	// opens what it sealed (key rotation; see seal.go).
	SealingKeys []SealingKey
	// RequestTimeout is one deadline for a whole request, every call to
	// Stripe included; DefaultRequestTimeout when zero.
	RequestTimeout time.Duration
	// Limits bound requests per client and overall, and calls to Stripe.
	Limits Limits
	// MetricsAddr is where cmd/ledgerline-broker serves /metrics
	// (BROKER_METRICS_ADDR); empty: nowhere. Keep it off the public address.
	MetricsAddr string
	// Drain is how long cmd/ledgerline-broker answers /readyz 503 after
	// SIGTERM before it stops accepting connections (BROKER_DRAIN, a Go
	// duration; DefaultDrain when unset), so load balancers move away first.
	Drain time.Duration

	// HTTPClient talks to Stripe. New copies it and makes the copy follow no
	// redirects; when nil a client with timeouts is built.
	HTTPClient *http.Client
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives one line per request and never a secret; discarded when nil.
	Logger *slog.Logger
}

// ConfigFromEnv reads the broker's settings through getenv (os.Getenv in
// main) and validates them. Recognised variables: STRIPE_OAUTH_FLAVOR,
// STRIPE_CLIENT_ID, STRIPE_SECRET_KEY, BROKER_PUBLIC_URL, BROKER_ADDR,
// STRIPE_CONNECT_BASE, STRIPE_API_BASE, BROKER_SEALING_KEY, and the rate
// limits' BROKER_RATE_* and BROKER_TRUSTED_PROXIES (see limitsFromEnv).
//
// The error names every problem found, each as a sentence a person can act
// on; it never contains the secret key or the sealing key.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Flavor:      Flavor(strings.TrimSpace(getenv("STRIPE_OAUTH_FLAVOR"))),
		ClientID:    strings.TrimSpace(getenv("STRIPE_CLIENT_ID")),
		SecretKey:   strings.TrimSpace(getenv("STRIPE_SECRET_KEY")),
		PublicURL:   strings.TrimSpace(getenv("BROKER_PUBLIC_URL")),
		Addr:        strings.TrimSpace(getenv("BROKER_ADDR")),
		ConnectBase: strings.TrimSpace(getenv("STRIPE_CONNECT_BASE")),
		APIBase:     strings.TrimSpace(getenv("STRIPE_API_BASE")),
		MetricsAddr: strings.TrimSpace(getenv("BROKER_METRICS_ADDR")),
	}
	var errs []error
	if raw := strings.TrimSpace(getenv("BROKER_DRAIN")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 || d > 10*time.Minute {
			errs = append(errs, fmt.Errorf("BROKER_DRAIN must be a duration such as 5s (0 to 10m), not %q", clip(raw)))
		}
		c.Drain = d
		if d == 0 {
			c.Drain = -1 // explicitly none; withDefaults keeps it
		}
	}
	limits, err := limitsFromEnv(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	c.Limits = limits
	if raw := strings.TrimSpace(getenv("BROKER_SEALING_KEYS")); raw != "" {
		keys, err := decodeSealingKeys(raw)
		if err != nil {
			errs = append(errs, err)
		}
		c.SealingKeys = keys
	}
	if raw := strings.TrimSpace(getenv("BROKER_SEALING_KEY")); raw != "" {
		key, err := decodeSealingKey(raw)
		if err != nil {
			errs = append(errs, err)
		}
		c.SealingKey = key
	}
	c = c.withDefaults()
	if err := c.validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

// Livemode reports whether the secret key, and so the broker, serves live
// mode (sk_live_/rk_live_) rather than test mode.
func (c Config) Livemode() bool { return keyMode(c.SecretKey) == "live" }

// String describes the settings without the secret key or sealing key.
func (c Config) String() string {
	return fmt.Sprintf("broker.Config{Flavor:%s ClientID:%s SecretKey:%s PublicURL:%s Addr:%s ConnectBase:%s APIBase:%s SealingKey:%s SealingKeys:%v}",
		c.Flavor, c.ClientID, redactKey(c.SecretKey), c.PublicURL, c.Addr, c.ConnectBase, c.APIBase, redactBytes(c.SealingKey), c.sealingKeyIDs())
}

// GoString is String, so %#v redacts too.
func (c Config) GoString() string { return c.String() }

// LogValue keeps the secret key out of structured logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("flavor", string(c.Flavor)),
		slog.String("client_id", c.ClientID),
		slog.String("mode", keyMode(c.SecretKey)),
		slog.String("public_url", c.PublicURL),
		slog.String("addr", c.Addr),
		slog.String("connect_base", c.ConnectBase),
		slog.String("api_base", c.APIBase),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.Any("sealing_key_ids", c.sealingKeyIDs()),
	)
}

// sealingKeyIDs are the ids of SealingKeys, never the keys.
func (c Config) sealingKeyIDs() []string {
	ids := make([]string, len(c.SealingKeys))
	for i, k := range c.SealingKeys {
		ids[i] = k.ID
	}
	return ids
}

func (c Config) withDefaults() Config {
	if c.Flavor == "" {
		c.Flavor = FlavorApps
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.APIBase == "" {
		c.APIBase = DefaultAPIBase
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	switch {
	case c.Drain == 0:
		c.Drain = DefaultDrain
	case c.Drain < 0:
		c.Drain = 0
	}
	if c.ConnectBase == "" {
		switch c.Flavor {
		case FlavorApps:
			c.ConnectBase = DefaultAppsConnectBase
		case FlavorConnect:
			c.ConnectBase = DefaultConnectFlowBase
		}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	c.ConnectBase = strings.TrimRight(c.ConnectBase, "/")
	c.APIBase = strings.TrimRight(c.APIBase, "/")
	return c
}

// validate checks a Config that withDefaults has filled.
func (c Config) validate() error {
	var errs []error
	switch c.Flavor {
	case FlavorApps, FlavorConnect:
	default:
		errs = append(errs, fmt.Errorf("STRIPE_OAUTH_FLAVOR must be %q or %q, not %q", FlavorApps, FlavorConnect, clip(string(c.Flavor))))
	}
	switch {
	case c.ClientID == "":
		errs = append(errs, errors.New("STRIPE_CLIENT_ID is not set: give the platform's Stripe client id (ca_…)"))
	case !strings.HasPrefix(c.ClientID, "ca_") || !isToken(c.ClientID, 255):
		errs = append(errs, errors.New("STRIPE_CLIENT_ID does not look like a Stripe client id: it should start with ca_ and hold no spaces"))
	}
	switch {
	case c.SecretKey == "":
		errs = append(errs, errors.New("STRIPE_SECRET_KEY is not set: give the platform's secret key (sk_test_…/sk_live_…) or a restricted key (rk_…)"))
	case keyMode(c.SecretKey) == "" || !isToken(c.SecretKey, 512):
		errs = append(errs, errors.New("STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_ and hold no spaces (the value is not shown)"))
	}
	if err := checkBaseURL("BROKER_PUBLIC_URL", c.PublicURL, true); err != nil {
		errs = append(errs, err)
	}
	if err := checkBaseURL("STRIPE_CONNECT_BASE", c.ConnectBase, false); err != nil {
		errs = append(errs, err)
	}
	if err := checkBaseURL("STRIPE_API_BASE", c.APIBase, false); err != nil {
		errs = append(errs, err)
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("BROKER_ADDR must be host:port such as %s, not %q", DefaultAddr, clip(c.Addr)))
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("BROKER_METRICS_ADDR must be host:port such as 127.0.0.1:9787, not %q", clip(c.MetricsAddr)))
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, errors.New("BROKER_METRICS_ADDR must differ from BROKER_ADDR: metrics stay off the public address"))
		}
	}
	if c.SealingKey != nil && len(c.SealingKeys) > 0 {
		errs = append(errs, errors.New("set BROKER_SEALING_KEYS or BROKER_SEALING_KEY, not both"))
	}
	if c.SealingKey != nil && len(c.SealingKey) != sealingKeySize {
		errs = append(errs, fmt.Errorf("the sealing key must be %d bytes, not %d", sealingKeySize, len(c.SealingKey)))
	}
	return errors.Join(errs...)
}

// checkBaseURL accepts an absolute http(s) URL without userinfo, query or
// fragment. Plain http is allowed only for loopback hosts, where no network
// can read it. required marks the broker's own URL, which has no default.
func checkBaseURL(name, raw string, required bool) error {
	if raw == "" {
		if required {
			return fmt.Errorf("%s is not set: give the broker's own base URL as browsers reach it, such as https://broker.example.com", name)
		}
		return fmt.Errorf("%s is empty", name)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%s must be an absolute http(s) URL, not %q", name, clip(raw))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("%s must not hold a user name, query or fragment", name)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("%s must use https unless its host is loopback (127.0.0.1, [::1] or localhost), not %q", name, clip(raw))
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// keyMode returns "test" or "live" from a Stripe key's prefix, or "" when
// the prefix is none of the four a broker accepts.
func keyMode(key string) string {
	switch {
	case strings.HasPrefix(key, "sk_test_"), strings.HasPrefix(key, "rk_test_"):
		return "test"
	case strings.HasPrefix(key, "sk_live_"), strings.HasPrefix(key, "rk_live_"):
		return "live"
	}
	return ""
}

func decodeSealingKey(raw string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(raw); err == nil {
			if len(key) != sealingKeySize {
				return nil, fmt.Errorf("BROKER_SEALING_KEY must be the base64 of exactly %d bytes, but it holds %d (the value is not shown)", sealingKeySize, len(key))
			}
			return key, nil
		}
	}
	return nil, errors.New("BROKER_SEALING_KEY is not valid base64 (the value is not shown); make one with: openssl rand -base64 32")
}

func redactKey(key string) string {
	if m := keyMode(key); m != "" {
		return key[:3] + m + "_[redacted]"
	}
	if key == "" {
		return "(unset)"
	}
	return "[redacted]"
}

// decodeSealingKeys reads BROKER_SEALING_KEYS: comma-separated ID:BASE64
// pairs, newest (the one that seals) first.
func decodeSealingKeys(raw string) ([]SealingKey, error) {
	var keys []SealingKey
	for i, part := range strings.Split(raw, ",") {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || !validKeyID(id) {
			return nil, fmt.Errorf("BROKER_SEALING_KEYS entry %d must be ID:BASE64 with an id of 1 to %d of a-z A-Z 0-9 - _ (the keys are not shown)", i+1, maxKeyIDLen)
		}
		key, err := decodeSealingKey(b64)
		if err != nil {
			return nil, fmt.Errorf("BROKER_SEALING_KEYS key %s: %w", id, err)
		}
		for _, k := range keys {
			if k.ID == id {
				return nil, fmt.Errorf("BROKER_SEALING_KEYS names key %s twice", id)
			}
		}
		keys = append(keys, SealingKey{ID: id, Key: key})
	}
	return keys, nil
}

func redactBytes(b []byte) string {
	if b == nil {
		return "(derived)"
	}
	return "[redacted]"
}

// clip keeps echoed setting values short in error messages.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// isToken reports whether s is 1..max printable ASCII characters without spaces.
func isToken(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
