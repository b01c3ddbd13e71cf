// Package syncer copies a Stripe account into the local warehouse and keeps
// it current: a backfill lists every object type in parallel (created ranges
// split so that enough requests are in flight), then events bring each type
// up to date, and with Follow they keep it so.
//
// Everything a sync has stored stays stored: each page is written in one
// transaction together with the sync state that says how far it got
// (sync_state, one row per connection and object type), so a sync that is
// killed at any moment resumes where its last page left it. Requests keep
// to Stripe's rate limits, back off on 429 and retry what may pass; a
// refused key stops the sync and marks the connection "needs
// re-authentication", keeping what it copied. One sync per connection runs
// at a time, across processes.
//
// The package never imports a UI toolkit: progress flows out through a
// callback, and other processes read it from the database (Engine.Progress).
package syncer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// KeySource hands out the key or fresh OAuth access token for a
// connection's requests; credentials.Source is the one Ledgerline uses. Its
// errors should match stripeapi.ErrNeedsReauth when the connection must sign
// in again, stripeapi.ErrNetwork when a renewal could not reach the broker.
type KeySource interface {
	Key(ctx context.Context, connID string) (string, error)
}

// Params build an Engine. Store, Warehouse, Keys, APIBase and LockDir are
// required.
type Params struct {
	Store     *store.DB
	Warehouse *warehouse.Warehouse
	Keys      KeySource
	// APIBase is where requests go: https://api.stripe.com, the sandbox or
	// stripe-mock.
	APIBase string
	// HTTPClient carries the requests. Default: a 60 s timeout and a
	// connection pool sized for Concurrency. A client on Go's default
	// transport gets a copy of it with a pool that large too (the default
	// keeps 2 idle connections per host, and a sync at full speed would
	// open and close a connection for most requests).
	HTTPClient *http.Client
	// Now is the clock; default time.Now.
	Now func() time.Time
	// LockDir is the data directory; the per-connection lock files
	// (sync-<id>.lock) live there.
	LockDir string
	// Logger gets a line per phase and per trouble, never a key or an
	// object's contents; default discards.
	Logger *slog.Logger
	// Limits are the rate limits; zero value: Stripe's (DefaultLimits).
	Limits Limits
	// Retry is the retry policy; zero value: DefaultRetry.
	Retry Retry
	// Progress, when set, is called with a snapshot as a sync advances (at
	// most every ProgressEvery, and at each phase change), from the sync's
	// goroutines: it must return quickly and not call the Engine.
	Progress func(Progress)
	// ProgressEvery throttles Progress; default 200 ms.
	ProgressEvery time.Duration
	// Concurrency bounds the requests one sync has in flight; default 24.
	// PerType bounds those of one object type; default 6.
	Concurrency, PerType int
}

// Defaults for Params and Options.
const (
	DefaultConcurrency   = 24
	DefaultPerType       = 6
	DefaultPollEvery     = time.Second
	DefaultProgressEvery = 200 * time.Millisecond
)

// Engine runs syncs. It is safe for concurrent use; each connection syncs
// once at a time (see Sync).
type Engine struct {
	p       Params
	log     *slog.Logger
	backend *stripe.BackendImplementation
}

// New returns an Engine. It fails when a required part is missing.
func New(p Params) (*Engine, error) {
	switch {
	case p.Store == nil:
		return nil, errors.New("syncer: no store")
	case p.Warehouse == nil:
		return nil, errors.New("syncer: no warehouse")
	case p.Keys == nil:
		return nil, errors.New("syncer: no key source")
	case p.APIBase == "":
		return nil, errors.New("syncer: no Stripe API base")
	case p.LockDir == "":
		return nil, errors.New("syncer: no lock directory")
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Logger == nil {
		p.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if p.Concurrency <= 0 {
		p.Concurrency = DefaultConcurrency
	}
	if p.PerType <= 0 {
		p.PerType = DefaultPerType
	}
	if p.ProgressEvery <= 0 {
		p.ProgressEvery = DefaultProgressEvery
	}
	p.Retry = p.Retry.withDefaults()
	p.HTTPClient = pooledClient(p.HTTPClient, p.Concurrency)
	e := &Engine{p: p, log: p.Logger}
	e.backend = stripeapi.NewBackend(stripeapi.Options{APIBase: p.APIBase, HTTPClient: p.HTTPClient, MaxNetworkRetries: -1})
	return e, nil
}

// pooledClient returns hc, or a default, with enough idle connections per
// host for n requests in flight.
func pooledClient(hc *http.Client, n int) *http.Client {
	if hc != nil && hc.Transport != nil && hc.Transport != http.DefaultTransport {
		return hc
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = n + 4
	tr.MaxIdleConns = 2 * (n + 4)
	if hc == nil {
		return &http.Client{Timeout: 60 * time.Second, Transport: tr}
	}
	c := *hc
	c.Transport = tr
	return &c
}

func (e *Engine) now() time.Time { return e.p.Now() }

// Options shape one Sync.
type Options struct {
	// Follow keeps polling events after the sync caught up, until ctx ends
	// (which then is no error).
	Follow bool
	// PollEvery is how often Follow asks for new events; default 1 s.
	PollEvery time.Duration
	// Wait makes a Sync that finds another sync of the connection running
	// wait for it to finish instead of failing with ErrAlreadyRunning.
	Wait bool
}

// ErrNotSyncable: the connection is disconnected.
var ErrNotSyncable error = domain.KindNotSyncable

// Sync copies connection connID's account into the warehouse and brings it
// up to date: every enabled object type is listed (resuming an interrupted
// listing), then events since each type's last one are applied; a type
// whose events are older than Stripe's 30-day window is re-scanned (and the
// re-scan recorded in its sync state). It returns nil once everything is
// current; with opts.Follow it keeps applying new events every
// opts.PollEvery until ctx ends, and then returns nil.
//
// Payout links (stripe_payout_links) are fetched in every round for the
// paid or failed automatic payouts created in the last 7 days, so a
// one-shot Sync links those and no older ones; older payouts' links are
// fetched only with opts.Follow, after the sync has caught up, between
// polls (a bounded number each, newest first), resuming by their markers
// (see payoutlinks.go).
//
// Errors:
//   - ErrAlreadyRunning (wrapped) when another sync of the connection runs
//     and opts.Wait is false;
//   - stripeapi.ErrNeedsReauth (wrapped) when Stripe refuses the key: the
//     connection's status becomes needs_reauth and everything committed
//     stays; after re-authentication the next Sync resumes;
//   - domain.ErrCanceled when ctx ends before the sync is done (without
//     Follow);
//   - domain.ErrNotFound for an unknown connection, ErrNotSyncable for a
//     disconnected one;
//   - for object types that failed on their own (a page that can't be read
//     however often it is fetched, a permission the key lacks), an error
//     joining one per type, each naming its type; the other types finish,
//     and the error stays in each failed type's sync state;
//   - network, Stripe or storage failures that outlast the retries.
func (e *Engine) Sync(ctx context.Context, connID string, opts Options) error {
	conn, err := e.p.Store.GetConnection(ctx, connID)
	if err != nil {
		return err
	}
	if conn.Status == domain.StatusDisconnected {
		return ErrNotSyncable
	}
	release, err := acquire(ctx, e.p.LockDir, connID, opts.Wait)
	if err != nil {
		return err
	}
	defer release()
	if opts.PollEvery <= 0 {
		opts.PollEvery = DefaultPollEvery
	}
	r := e.newRun(conn)
	e.log.Info("sync: start", "conn", connID, "follow", opts.Follow)
	err = r.sync(ctx, opts)
	err = e.withNeededSpace(ctx, connID, err)
	if errors.Is(err, stripeapi.ErrNeedsReauth) {
		e.markNeedsReauth(ctx, conn, err)
	}
	if err != nil && ctx.Err() != nil {
		err = canceled(ctx) // whatever failed, it failed because ctx ended
		if opts.Follow {
			err = nil // Follow ends when its context does
		}
	}
	r.prog.finish(err)
	e.log.Info("sync: end", "conn", connID, "ok", err == nil)
	return err
}

// markNeedsReauth records that the connection must sign in again, with
// the error's kind as the reason when it says more than "needs
// re-authentication" (a refused refresh, say), and its facts (never a
// secret). It writes even when ctx has ended: the sync stopped because of
// the refusal, not the caller.
func (e *Engine) markNeedsReauth(ctx context.Context, conn domain.Connection, cause error) {
	reason, facts := domain.KindOf(cause)
	if reason == domain.KindNeedsReauth || !errors.Is(reason, domain.KindNeedsReauth) {
		reason, facts = domain.KindRevokedOAuth, nil
		if conn.AuthMethod == domain.AuthAPIKey {
			reason = domain.KindRevokedKey
		}
	}
	connID := conn.ID
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := e.p.Store.SetStatus(wctx, connID, domain.StatusNeedsReauth, reason, facts, e.now()); err != nil {
		e.log.Warn("sync: could not record needs_reauth", "conn", connID, "err", err)
	}
}

// typeError is an object type's own failure; the sync goes on with the
// other types.
type typeError struct {
	typ string
	err error
}

func (e *typeError) Error() string { return fmt.Sprintf("%s: %s", e.typ, e.err.Error()) }
func (e *typeError) Unwrap() error { return e.err }

// isTypeError reports whether err concerns only the type that met it: a
// page that can't be read, a permission the key lacks, a request Stripe
// refuses. Everything else (a refused key, the network, storage) stops the
// whole sync.
func isTypeError(err error) bool {
	return errors.Is(err, ErrMalformedPage) || errors.Is(err, stripeapi.ErrPermission) || errors.Is(err, stripeapi.ErrRequest)
}
