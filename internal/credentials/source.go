// Package credentials hands out the secret every Stripe call needs: a
// connection's restricted API key as it is, or an OAuth access token kept
// fresh through Ledgerline's token broker.
//
// Stripe Apps access tokens last an hour and their refresh tokens rotate on
// every use: the moment the broker answers a refresh, the refresh token in
// the keychain is dead and only the new one works. So a refresh here is
// single-flight per connection (HOUSE_STYLE habit 9), survives the caller
// giving up, and saves the rotated tokens to the keychain before the new
// access token is handed to anyone.
package credentials

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/secrets"
)

// Defaults for Params.
const (
	// DefaultLeeway is how long before expiry a token is renewed.
	DefaultLeeway = time.Minute
	// refreshTimeout bounds one renewal at the broker.
	refreshTimeout = time.Minute
	// retryAfterFailure is how long a still-valid token is used before the
	// next renewal attempt when the broker could not renew it.
	retryAfterFailure = 10 * time.Second
	// saveRetryAfter is how long Key answers with the keychain's refusal
	// before it asks the keychain again (each ask may be a D-Bus round trip
	// or an unlock prompt).
	saveRetryAfter = 5 * time.Second
	// assumedAppsLifetime is Stripe Apps' documented access token lifetime,
	// used when a renewal answer of a token that expires states none.
	assumedAppsLifetime = time.Hour
)

// Keychain is the part of secrets.Store a Source uses.
type Keychain interface {
	LoadCredentials(ctx context.Context, connID string) (secrets.Credentials, error)
	SaveCredentials(ctx context.Context, connID string, c secrets.Credentials) error
}

// Params build a Source. Keychain is required.
type Params struct {
	Keychain Keychain
	// OAuth is the broker's configuration (authflow.Flow.OAuth2Config("")).
	// Nil when no broker is configured: OAuth connections then work until
	// their access token expires, and after that Key says why it can't renew.
	OAuth *oauth2.Config
	// HTTPContext adds the HTTP client for broker calls to a context
	// (authflow.Flow.OAuth2Context: no redirects, a timeout). Default: a
	// client that follows no redirects and gives up after 30 s.
	HTTPContext func(context.Context) context.Context
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Leeway: a token is renewed this long before it expires; default
	// DefaultLeeway. For a token this Source renewed itself, the leeway used
	// is at most half the token's lifetime, so short-lived tokens (the
	// sandbox's 2 s ones) are still used between renewals instead of being
	// renewed on every call.
	Leeway time.Duration
	// Logger gets one line per renewal or failure, never a secret; default
	// discards.
	Logger *slog.Logger
}

// Source hands out API keys and access tokens by connection id. It is safe
// for concurrent use; make one per app and share it.
type Source struct {
	p       Params
	entries sync.Map // connection id → *entry
}

// entry is one connection's cache and the lock around its renewals.
// Entries are never removed (there are only a few connections); Forget
// empties one.
type entry struct {
	cur atomic.Pointer[state] // what the hot path reads; nil: unknown

	mu          sync.Mutex // guards flight, gen and deadRefresh
	flight      *flight    // the load or renewal in progress, if any
	gen         uint64     // bumped by Forget
	deadRefresh string     // a refresh token the broker called invalid_grant

	// saveMu is held from the generation check through the keychain save,
	// so Forget waits for a save in progress and no later save happens.
	saveMu sync.Mutex
}

// state is what Source knows of one connection's credentials.
type state struct {
	creds    secrets.Credentials
	useUntil time.Time     // the hot path serves the key while now < useUntil; zero: forever
	leeway   time.Duration // the leeway used for creds.Expiry
	unsaved  bool          // creds came from the broker but the keychain refused them
	saveErr  error         // the refusal, while unsaved
	retryAt  time.Time     // while unsaved: when to ask the keychain again
}

// usable reports whether the hot path may return st's key at now.
func (st *state) usable(now time.Time) bool {
	return st != nil && !st.unsaved && (st.useUntil.IsZero() || now.Before(st.useUntil))
}

// secret is what Key returns for st.
func (st *state) secret() string {
	if st.creds.APIKey != "" {
		return st.creds.APIKey
	}
	return st.creds.AccessToken
}

// flight is one load or renewal; every caller that arrives while it runs
// waits for it and gets its result.
type flight struct {
	done chan struct{}
	key  string
	err  error
}

// New returns a Source.
func New(p Params) *Source {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Leeway <= 0 {
		p.Leeway = DefaultLeeway
	}
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	if p.HTTPContext == nil {
		hc := &http.Client{
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		p.HTTPContext = func(ctx context.Context) context.Context {
			return context.WithValue(ctx, oauth2.HTTPClient, hc)
		}
	}
	return &Source{p: p}
}

func (s *Source) entry(connID string) *entry {
	if e, ok := s.entries.Load(connID); ok {
		return e.(*entry)
	}
	e, _ := s.entries.LoadOrStore(connID, &entry{})
	return e.(*entry)
}

// Key returns the secret for a Stripe call on connection connID: the API
// key of an api_key connection, or a valid OAuth access token. A cached
// token still outside the leeway is returned without touching the keychain.
// Otherwise one load or renewal runs per connection however many callers
// ask at once; they all get its result. A renewal that has begun finishes
// and saves its tokens even if every caller's ctx ends.
//
// Errors (domain kinds with facts, never holding a secret):
// domain.ErrNotFound when the keychain has no item;
// other keychain errors as secrets.Store reports them; stripeapi.ErrNeedsReauth
// when the broker refuses the refresh token (revoked, expired or already
// used) or there is none; stripeapi.ErrNetwork when the broker can't be
// reached (domain.KindBrokerUnreachable) or a wait ran out
// (domain.KindRenewTimedOut); stripeapi.ErrStripeDown when it or Stripe
// failed (domain.KindBrokerTrouble); ErrNoBroker
// when a token must be renewed and no broker is configured;
// ErrRenewRefused for other refusals; ErrKeychainRefused when the keychain
// would not store rotated tokens; domain.ErrCanceled when ctx is canceled.
// Refusals leave the keychain item as it was.
func (s *Source) Key(ctx context.Context, connID string) (string, error) {
	e := s.entry(connID)
	if st := e.cur.Load(); st.usable(s.p.Now()) {
		return st.secret(), nil
	}
	for attempt := 0; ; attempt++ {
		f := s.join(ctx, e, connID)
		select {
		case <-f.done:
		case <-ctx.Done():
			return "", waitError(ctx.Err())
		}
		// Forget ran while the flight was out: its result was dropped, so
		// ask once more, which reads the keychain as it is now.
		if f.err == errForgotten && attempt == 0 {
			continue
		}
		return f.key, f.err
	}
}

// join returns the flight in progress for e, or starts one.
func (s *Source) join(ctx context.Context, e *entry, connID string) *flight {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.flight != nil {
		return e.flight
	}
	if st := e.cur.Load(); st.usable(s.p.Now()) { // another flight just finished
		f := &flight{done: make(chan struct{}), key: st.secret()}
		close(f.done)
		return f
	}
	f := &flight{done: make(chan struct{})}
	e.flight = f
	// The flight outlives the caller's ctx: once the broker has rotated the
	// refresh token, the new one must reach the keychain whoever is waiting.
	go s.run(s.p.HTTPContext(context.WithoutCancel(ctx)), e, connID, e.gen, f)
	return f
}

// run resolves e's credentials, publishes the new state unless Forget ran
// meanwhile, and releases the waiters.
func (s *Source) run(ctx context.Context, e *entry, connID string, gen uint64, f *flight) {
	st, key, err := s.resolve(ctx, e, connID, gen)
	e.mu.Lock()
	switch {
	case e.gen != gen: // what was read or renewed belongs to before Forget
		key, err = "", errForgotten
	case st != nil:
		e.cur.Store(st)
	}
	e.flight = nil
	e.mu.Unlock()
	f.key, f.err = key, err
	close(f.done)
}

// Forget drops what the Source holds for connID, so the next Key reads the
// keychain. A renewal in flight for connID discards its tokens instead of
// saving them; Forget waits for a keychain save already under way. Call it
// after re-authentication replaced the keychain item, and before
// disconnecting deletes it (so no renewal writes the item back).
//
// Forget also drops renewed tokens the keychain refused to store; after
// that the connection needs re-authentication.
func (s *Source) Forget(connID string) {
	e := s.entry(connID)
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gen++
	e.cur.Store(nil)
	e.deadRefresh = ""
}
