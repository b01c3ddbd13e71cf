package broker

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// The broker's endpoints.
const (
	pathAuthorize      = "/oauth/authorize"
	pathStripeCallback = "/oauth/stripe/callback"
	pathToken          = "/oauth/token"
	pathRevoke         = "/oauth/revoke"
	pathHealth         = "/healthz" // the same as /livez, kept for existing checks
	pathLive           = "/livez"
	pathReady          = "/readyz"
)

// ClientID is the one client the broker serves: the Ledgerline desktop app,
// a public client (RFC 8252 §8.4, §8.5) identified but not authenticated.
const ClientID = "ledgerline-desktop"

// Lifetimes of the sealed values.
const (
	stateLifetime   = 10 * time.Minute // the person's time on Stripe's page
	codeLifetime    = 60 * time.Second // loopback redirect to token request
	redeemedCodeCap = 10000            // ids kept for fast replay refusal
)

// Broker is the token broker: an RFC 8252 authorization server for the
// desktop app in front of Stripe's OAuth. It keeps no tokens and no per-flow
// state; see the package documentation. It is safe for concurrent use.
type Broker struct {
	cfg      Config
	mode     string // "test" or "live", from the secret key
	seal     *sealer
	redeemed *redeemedCodes
	stripe   *stripeClient
	limits   *limiter
	metrics  *metrics
	ready    readiness
	clock    func() time.Time
	log      *slog.Logger
	hsts     bool
}

// New checks cfg, fills its defaults and builds a Broker. The error names
// the bad settings without showing the secret key.
func New(cfg Config) (*Broker, error) {
	cfg = cfg.withDefaults()
	err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("broker settings: %w", err)
	}
	var s *sealer
	if len(cfg.SealingKeys) > 0 {
		s, err = newSealerKeys(cfg.SealingKeys)
	} else {
		var key []byte
		if key, err = sealingKey(cfg); err == nil {
			s, err = newSealer(key)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("broker sealing keys: %w", err)
	}
	clock := cfg.Now
	if clock == nil {
		clock = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m := newMetrics()
	sc := newStripeClient(cfg)
	sc.observe = m.upstreamCall
	return &Broker{
		metrics:  m,
		cfg:      cfg,
		mode:     keyMode(cfg.SecretKey),
		seal:     s,
		redeemed: newRedeemedCodes(redeemedCodeCap),
		stripe:   sc,
		limits:   newLimiter(cfg.Limits),
		clock:    clock,
		log:      logger,
		hsts:     strings.HasPrefix(cfg.PublicURL, "https://"),
	}, nil
}

// Handler serves the broker's endpoints:
//
//	GET  /oauth/authorize         the app's authorization request → Stripe
//	GET  /oauth/stripe/callback   Stripe's answer → the app's loopback listener
//	POST /oauth/token             authorization_code (with PKCE) and refresh_token grants
//	POST /oauth/revoke            deauthorize the account a refresh token belongs to
//	GET  /livez, /healthz         "ok": the process serves
//	GET  /readyz                  200 when Stripe answers the broker's key (cached), 503 otherwise or while draining
//
// Any other method on these paths gets 405, any other path 404.
func (b *Broker) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(pathAuthorize, b.handleAuthorize)
	mux.HandleFunc(pathStripeCallback, b.handleStripeCallback)
	mux.HandleFunc(pathToken, b.handleToken)
	mux.HandleFunc(pathRevoke, b.handleRevoke)
	mux.HandleFunc(pathHealth, b.handleLive)
	mux.HandleFunc(pathLive, b.handleLive)
	mux.HandleFunc(pathReady, b.handleReady)
	return b.withBasics(mux)
}

// PublicURL is the broker's base URL as browsers reach it.
func (b *Broker) PublicURL() string { return b.cfg.PublicURL }

// Addr is the configured listen address.
func (b *Broker) Addr() string { return b.cfg.Addr }

// callbackURL is the broker's own redirect URI registered with Stripe.
func (b *Broker) callbackURL() string { return b.cfg.PublicURL + pathStripeCallback }
