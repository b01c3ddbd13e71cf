// Package authflow is the app side of "Connect with Stripe": an OAuth 2.0
// authorization-code login through the system browser with a loopback
// redirect and PKCE (RFC 8252, RFC 9700), against Ledgerline's token broker.
// The window and the command line both use it; it imports no UI toolkit.
package authflow

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
)

const (
	// DefaultClientID is the broker's client id for the desktop app.
	DefaultClientID = "ledgerline-desktop"
	// DefaultTimeout is how long Login waits for the browser to come back.
	DefaultTimeout = 5 * time.Minute
	// defaultHTTPTimeout bounds each broker call when Config.HTTPClient has none.
	defaultHTTPTimeout = 30 * time.Second
)

// Config holds what a Flow needs. Only BrokerURL and OpenURL are required.
type Config struct {
	// BrokerURL is the token broker's base URL: https, or http only when the
	// host is a loopback IP literal (127.0.0.1, [::1]) as the sandbox uses.
	BrokerURL string
	// ClientID defaults to DefaultClientID.
	ClientID string
	// HTTPClient makes the broker calls. The Flow uses a copy that follows no
	// redirects and has a timeout (30 s unless one is set).
	HTTPClient *http.Client
	// OpenURL shows the authorization URL to the person: the system browser,
	// a printer for --no-browser, or a test's fake browser. It must not wait
	// for the sign-in to finish.
	OpenURL func(url string) error
	// Timeout is how long Login waits for the browser; default DefaultTimeout.
	Timeout time.Duration
	// Now is the clock used to date token expiry; default time.Now.
	Now func() time.Time
	// Logger gets progress lines; it never sees a code, state, verifier or
	// token. Default: discard.
	Logger *slog.Logger
	// Pages words the pages the browser shows when the sign-in comes back
	// (the window's catalog, in its language); it may be called from the
	// loopback server's goroutine. Default: EnglishPage.
	Pages func(PageKind) PageWords
}

// Flow runs logins against one broker. It is safe for concurrent use, but
// runs one Login at a time.
type Flow struct {
	broker   *url.URL
	clientID string
	http     *http.Client
	openURL  func(string) error
	timeout  time.Duration
	now      func() time.Time
	log      *slog.Logger
	pages    func(PageKind) PageWords
	busy     atomic.Bool
}

// New checks cfg and returns a Flow. It fails when BrokerURL is missing,
// malformed or plain http to a non-loopback host, or when OpenURL is nil.
func New(cfg Config) (*Flow, error) {
	broker, err := parseBrokerURL(cfg.BrokerURL)
	if err != nil {
		return nil, err
	}
	if cfg.OpenURL == nil {
		return nil, errors.New("authflow: Config.OpenURL is required")
	}
	f := &Flow{
		broker:   broker,
		clientID: cfg.ClientID,
		openURL:  cfg.OpenURL,
		pages:    cfg.Pages,
		timeout:  cfg.Timeout,
		now:      cfg.Now,
		log:      cfg.Logger,
	}
	if f.clientID == "" {
		f.clientID = DefaultClientID
	}
	if f.timeout <= 0 {
		f.timeout = DefaultTimeout
	}
	if f.now == nil {
		f.now = time.Now
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	// The token client follows no redirects: a code, verifier or token must
	// only ever go to the URL this package built (HOUSE_STYLE habit 7).
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if hc.Timeout <= 0 {
		hc.Timeout = defaultHTTPTimeout
	}
	f.http = &hc
	return f, nil
}

// badBrokerURL is an unusable sign-in service address. The address itself
// is not kept: it may hold a user name and password.
func badBrokerURL(problem, host string) error {
	return domain.E(domain.KindBadURL, nil, domain.FactSetting, "--broker-url", domain.FactProblem, problem, domain.FactHost, host)
}

// parseBrokerURL checks the broker's address. Errors: domain.KindNoBroker
// when it is empty, domain.KindBadURL otherwise.
func parseBrokerURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, domain.E(domain.KindNoBroker, nil)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, badBrokerURL(domain.URLNotAddress, "")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, badBrokerURL(domain.URLUserInfo, u.Hostname())
	}
	switch u.Scheme {
	case "https":
	case "http":
		ip := net.ParseIP(u.Hostname())
		if ip == nil || !ip.IsLoopback() {
			return nil, badBrokerURL(domain.URLNotHTTPS, u.Hostname())
		}
	default:
		return nil, badBrokerURL(domain.URLNotHTTPS, u.Hostname())
	}
	u.Path = trimSlash(u.Path)
	u.RawPath = ""
	return u, nil
}

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}

// endpoint is the broker URL for /oauth/<name>.
func (f *Flow) endpoint(name string) string {
	return f.broker.JoinPath("oauth", name).String()
}

// OAuth2Config is the golang.org/x/oauth2 configuration for the broker,
// with redirectURL as the redirect URI (empty for refreshing). Use it with
// OAuth2Context so refreshes go through the no-redirect client.
func (f *Flow) OAuth2Config(redirectURL string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: f.clientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   f.endpoint("authorize"),
			TokenURL:  f.endpoint("token"),
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURL,
	}
}

// OAuth2Context returns ctx carrying the Flow's no-redirect HTTP client for
// golang.org/x/oauth2 (Exchange, TokenSource).
func (f *Flow) OAuth2Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, f.http)
}

// newState returns 32 random bytes, base64url without padding: 256 bits,
// well above the 128 that RFC 6749 §10.10 asks of a CSRF token.
func newState() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// LoginOptions shapes one Login.
type LoginOptions struct {
	// Mode is "test", "live", or "" for the broker's default.
	Mode string
}

// Login runs one "Connect with Stripe" sign-in: it listens on
// 127.0.0.1:<random port>/callback, opens the broker's authorization URL
// (state and PKCE S256) with Config.OpenURL, waits for the browser to come
// back with the matching state, shows a page there, closes the listener and
// exchanges the code at the broker with the PKCE verifier.
//
// Errors: ErrBusy at once when another Login runs; ErrBrowser when OpenURL
// fails; ErrDenied when the person clicked Deny; ErrTimeout after
// Config.Timeout; an error matching domain.ErrCanceled when ctx is
// canceled; ErrBrokerUnreachable for network failures to the broker; a
// *BrokerError for other OAuth errors (invalid_grant: the code expired or
// was used).
func (f *Flow) Login(ctx context.Context, opts LoginOptions) (*Result, error) {
	var authOpts []oauth2.AuthCodeOption
	switch opts.Mode {
	case "":
	case "test", "live":
		authOpts = append(authOpts, oauth2.SetAuthURLParam("mode", opts.Mode))
	default:
		return nil, domain.E(domain.KindBadMode, nil, domain.FactMode, opts.Mode)
	}
	if !f.busy.CompareAndSwap(false, true) {
		return nil, ErrBusy
	}
	defer f.busy.Store(false)

	state := newState()
	verifier := oauth2.GenerateVerifier()
	lb, err := startLoopback(ctx, state, f.log, f.pages)
	if err != nil {
		return nil, err
	}
	defer lb.close()
	if err := lb.ping(ctx); err != nil {
		return nil, err
	}
	authOpts = append(authOpts, oauth2.S256ChallengeOption(verifier))
	authURL := f.OAuth2Config(lb.redirectURI).AuthCodeURL(state, authOpts...)

	f.log.Info("Stripe sign-in started", "broker", f.broker.Host, "mode", opts.Mode, "listener", lb.ln.Addr().String())
	if err := f.openURL(authURL); err != nil {
		f.log.Warn("Stripe sign-in could not open the browser")
		return nil, ErrBrowser
	}

	waitCtx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	select {
	case d := <-lb.received:
		res, err := f.finish(ctx, d.params, lb.redirectURI, state, verifier)
		if err != nil {
			d.reply <- failurePage(err)
			f.log.Warn("Stripe sign-in failed", "error", err.Error())
			return nil, err
		}
		d.reply <- pageConnected
		f.log.Info("Stripe sign-in finished", "result", res)
		return res, nil
	case <-waitCtx.Done():
		var err error
		switch {
		case ctx.Err() != nil:
			err = f.ClassifyError(ctx, ctx.Err())
		default:
			err = timeoutError(f.timeout, waitCtx.Err())
		}
		f.log.Warn("Stripe sign-in stopped", "error", err.Error())
		return nil, err
	}
}
