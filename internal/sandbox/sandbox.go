// Package sandbox is a local stand-in for Stripe: Stripe-shaped OAuth in
// both flavours (Connect and Stripe Apps), the REST endpoints Ledgerline
// reads, and test hooks under /_sandbox/. Its accounts, client id and keys
// follow from a seed; the codes and tokens it issues are random. OAuth
// access and refresh tokens carry their own claims under a MAC keyed by the
// seed, so every sandbox with the same seed and accounts accepts them — a
// second process can use what the first issued — while revocations and
// used refresh tokens are remembered per instance (see tokens.go).
//
// It is a test double, faithful to Stripe's shapes where Ledgerline depends
// on them. It runs in test mode only (livemode is always false), serves
// plain HTTP on loopback, and serves the authorize pages ("connect base")
// and the API ("API base") from one base URL.
//
// Its data plane serves the 17 object types Ledgerline syncs (customers,
// charges, invoices with their lines, subscriptions with their items,
// events, …) with Stripe's list semantics. Objects are generated on demand
// from (seed, account, type, index) — see data_model.go — so any scale
// costs memory only for what /_sandbox/mutate and churn change. Rate limits
// and injected faults sit in front of the REST endpoints.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server. Zero values take the defaults noted.
type Options struct {
	Seed     int64  // decides accounts, client id, keys and the OAuth tokens' MAC key; equal seeds, equal sandboxes
	Accounts int    // connected accounts to offer; default 3, at most MaxAccounts
	AppName  string // the OAuth application's name on the authorize page; default "Ledgerline"

	AccessTokenTTL  time.Duration // Stripe Apps access tokens; default 1h (Connect's never expire)
	RefreshTokenTTL time.Duration // Stripe Apps refresh tokens; default 365 days
	CodeTTL         time.Duration // authorization codes; default 5 minutes

	// RedirectURIs are the OAuth client's registered redirect URIs. A request
	// must use one of them exactly, and the first is the default. Empty means
	// any absolute http(s) URL is accepted — unlike Stripe, which requires
	// registration (and https in live mode) — so loopback ports can vary.
	RedirectURIs []string

	// OmitExpiresIn leaves expires_in out of Stripe Apps token responses, to
	// test clients against responses that do not state the lifetime.
	OmitExpiresIn bool

	// Scale is roughly how many objects of all types each account holds
	// (charges the largest share); default DefaultScale. Objects are
	// generated on demand, so a large scale costs no memory.
	Scale int

	// Churn makes this many random mutations per second per connected
	// account in the background (creates, updates, deletes, each with its
	// event), from New until Close or Shutdown. 0: none.
	Churn float64

	// RateLimit is "live" (100 requests/s per account), "test" (25/s) or
	// "off" (the default, also ""); either limit also holds each endpoint to
	// 25 requests/s per account. Over it, REST requests get Stripe's 429.
	RateLimit string

	// Faults makes REST requests fail on purpose, with probabilities per
	// request: "429=0.05,500=0.02,reset=0.01,slow=0.01" (a 429, a 500, a
	// connection reset with no answer, an answer after SlowDelay). Faults
	// are drawn from a source seeded by Seed.
	Faults string
	// SlowDelay is how late a "slow" fault answers; default 2s.
	SlowDelay time.Duration

	Now    func() time.Time // clock; default time.Now
	Logger *slog.Logger     // request and event log, never with secrets; default discards
}

// MaxAccounts bounds Options.Accounts.
const MaxAccounts = 1000

// DefaultScale is the scale when Options.Scale is zero; MaxScale bounds it.
const (
	DefaultScale = 10000
	MaxScale     = 100_000_000
	MaxChurn     = 10000
)

// Server is one sandbox. Its methods are safe for concurrent use.
type Server struct {
	opts   Options
	now    func() time.Time
	log    *slog.Logger
	ids    identities
	byID   map[string]*account // every account, the platform included
	byKey  map[string]*account // restricted keys and the platform secret key
	creds  *credentialStore
	pages  *template.Template
	handle http.Handler
	data   map[string]*dataset // by account id, the platform included
	bufs   sync.Pool           // response buffers (*[]byte)
	limits *limiter            // nil when rate limits are off
	faults *faulter            // nil without faults

	mu        sync.Mutex // guards srv, baseURL and the churn's stop
	srv       *http.Server
	baseURL   string
	stopChurn context.CancelFunc
	churnDone chan struct{}
}

// New builds a sandbox from opts. It fails on out-of-range options or a
// malformed redirect URI.
func New(opts Options) (*Server, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("sandbox: parse pages: %w", err)
	}
	ids := newIdentities(opts.Seed, opts.Accounts, opts.AppName)
	accountIDs := make([]string, len(ids.accounts))
	for i, a := range ids.accounts {
		accountIDs[i] = a.ID
	}
	s := &Server{
		opts:  opts,
		now:   opts.Now,
		log:   opts.Logger,
		ids:   ids,
		byID:  map[string]*account{},
		byKey: map[string]*account{},
		creds: newCredentialStore(opts.AccessTokenTTL, newTokenMinter(opts.Seed, ids.platform.APIKey, accountIDs)),
		pages: pages,
		data:  map[string]*dataset{},
	}
	start := opts.Now()
	for _, a := range append([]*account{&s.ids.platform}, accountPtrs(s.ids.accounts)...) {
		s.byID[a.ID] = a
		s.byKey[a.APIKey] = a
		s.data[a.ID] = newDataset(a, opts.Seed, opts.Scale, start)
	}
	mux := http.NewServeMux()
	s.routeConnect(mux)
	s.routeApps(mux)
	s.routeData(mux)
	s.routeTransfers(mux)
	s.routeAPI(mux)
	s.routeHooks(mux)
	s.routeDataHooks(mux)
	if rates, on, _ := limitsFor(opts.RateLimit); on {
		s.limits = newLimiter(rates)
	}
	if spec, _ := parseFaults(opts.Faults); spec.any() {
		s.faults = newFaulter(spec, opts.Seed, opts.SlowDelay)
	}
	s.handle = s.withStripeHeaders(s.withFaults(s.withRateLimits(mux, mux)))
	if opts.Churn > 0 {
		s.startChurn()
	}
	return s, nil
}

// normalize fills defaults and checks ranges.
func (o *Options) normalize() error {
	switch {
	case o.Accounts < 0 || o.Accounts > MaxAccounts:
		return fmt.Errorf("sandbox: accounts must be between 1 and %d, not %d", MaxAccounts, o.Accounts)
	case o.AccessTokenTTL < 0 || o.RefreshTokenTTL < 0 || o.CodeTTL < 0:
		return errors.New("sandbox: token and code lifetimes must not be negative")
	case o.Churn < 0 || o.Churn > MaxChurn:
		return fmt.Errorf("sandbox: churn must be between 0 and %d changes per second, not %g", MaxChurn, o.Churn)
	case o.Scale < 0 || o.Scale > MaxScale:
		return fmt.Errorf("sandbox: scale must be between 1 and %d, not %d", MaxScale, o.Scale)
	}
	if o.Scale == 0 {
		o.Scale = DefaultScale
	}
	if _, _, err := limitsFor(o.RateLimit); err != nil {
		return err
	}
	if _, err := parseFaults(o.Faults); err != nil {
		return err
	}
	if o.SlowDelay <= 0 {
		o.SlowDelay = 2 * time.Second
	}
	if o.Accounts == 0 {
		o.Accounts = 3
	}
	if o.AppName == "" {
		o.AppName = "Ledgerline"
	}
	if o.AccessTokenTTL == 0 {
		o.AccessTokenTTL = time.Hour
	}
	if o.RefreshTokenTTL == 0 {
		o.RefreshTokenTTL = 365 * 24 * time.Hour
	}
	if o.CodeTTL == 0 {
		o.CodeTTL = 5 * time.Minute
	}
	for _, u := range o.RedirectURIs {
		if err := validateRedirectURI(u); err != nil {
			return fmt.Errorf("sandbox: registered redirect URI: %w", err)
		}
	}
	o.RedirectURIs = append([]string(nil), o.RedirectURIs...)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return nil
}

func accountPtrs(as []account) []*account {
	out := make([]*account, len(as))
	for i := range as {
		out[i] = &as[i]
	}
	return out
}

// Handler returns the sandbox's HTTP handler, for callers (such as
// httptest.NewServer) that serve it themselves.
func (s *Server) Handler() http.Handler { return s.handle }

// SetAccessTokenTTL sets the lifetime of Stripe Apps access tokens issued
// from now on; tokens already issued keep theirs. d must be positive.
func (s *Server) SetAccessTokenTTL(d time.Duration) {
	if d > 0 {
		s.creds.setAccessTTL(d)
	}
}

// Start listens on addr, which must be a loopback address such as
// "127.0.0.1:0", serves in the background and returns the base URL
// ("http://127.0.0.1:PORT"). A Server starts at most once.
func (s *Server) Start(addr string) (string, error) {
	if err := CheckLoopbackAddr(addr); err != nil {
		return "", fmt.Errorf("sandbox: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return "", errors.New("sandbox: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	s.srv = &http.Server{
		Handler:           s.handle,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.baseURL = "http://" + ln.Addr().String()
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("sandbox stopped serving", slog.Any("err", err))
		}
	}()
	return s.baseURL, nil
}

// BaseURL is the URL Start listens on, or "" before Start.
func (s *Server) BaseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// Shutdown stops background churn and a started server gracefully,
// waiting for requests in flight until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.haltChurn()
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Shutdown(ctx)
}

// Close stops background churn and a started server at once, closing open
// connections.
func (s *Server) Close() error {
	s.haltChurn()
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}
