// Package status checks whether each connection still works and records the
// answer in the connection's record: connected, needs re-authentication or
// error, with a sentence for a person and the time it was checked.
//
// Its first rule is that a connection is never called broken because this
// computer is offline, the keychain is locked, or Stripe asked Ledgerline to
// slow down: in those cases nothing is written and the record keeps its last
// status and check time. Only an answer from Stripe about the connection
// itself changes its status.
//
// The package never imports a UI toolkit. Run reports through a callback;
// the UI hops to its own thread.
package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// Records is the part of the store a Checker reads and writes. GetConnection
// returns an error matching domain.ErrNotFound for an unknown id.
type Records interface {
	ListConnections(ctx context.Context) ([]domain.Connection, error)
	GetConnection(ctx context.Context, id string) (domain.Connection, error)
	// SetStatusIf saves a status only while the record still holds what the
	// check saw before asking Stripe (store.DB.SetStatusIf).
	SetStatusIf(ctx context.Context, id string, seen store.StatusSeen, s domain.Status, reason domain.Kind, facts domain.Facts, checkedAt time.Time) (applied bool, err error)
}

// Keys hands out the credential for a connection: its API key, or a fresh
// OAuth access token. Its errors should match stripeapi.ErrNeedsReauth (the
// sign-in can no longer be refreshed), stripeapi.ErrNetwork (a refresh could
// not reach the broker), domain.ErrNotFound (no keychain item) or one of the
// secrets package's kinds (ErrLocked, ErrUnavailable, ErrTimeout,
// ErrCorrupt). Their text must never contain a secret.
type Keys interface {
	Key(ctx context.Context, connID string) (string, error)
}

// Accounts reads the Stripe account a key belongs to; *stripeapi.Client
// implements it. Errors are classified as stripeapi.Classify does.
type Accounts interface {
	Account(ctx context.Context, key string) (stripeapi.Account, error)
}

// Params builds a Checker. Records, Keys and Accounts are required.
type Params struct {
	Records  Records
	Keys     Keys
	Accounts Accounts
	// Now is the clock for status_checked_at and for the time quoted in
	// sentences ("when Ledgerline checked at 14:02", in Now's location).
	// Default time.Now.
	Now func() time.Time
	// Concurrency bounds how many connections CheckAll checks at once.
	// Default 8.
	Concurrency int
	// Timeout bounds one connection's check (keychain and Stripe together).
	// A check that runs out of time counts as offline. Default 20 s.
	Timeout time.Duration
	// Logger receives one line per check: the connection id and the
	// outcome, never a key, token or Stripe message. Default discards.
	Logger *slog.Logger
}

// Defaults for Params' zero values.
const (
	DefaultConcurrency = 8
	DefaultTimeout     = 20 * time.Second
)

// Result is what one check found.
type Result struct {
	ID string
	// Status and CheckedAt are what the record holds after the check: the
	// new answer when Saved, else the last known status, kept.
	Status    domain.Status
	CheckedAt time.Time
	// Reason and Facts say why: the status reason that was saved, or, when
	// nothing was saved, why the check could not decide (offline, keychain
	// locked, rate limited). Err gives them as one error to word.
	Reason domain.Kind
	Facts  domain.Facts
	// Offline: Stripe (or the sign-in service) could not be reached, or did
	// not answer in time. Nothing was saved.
	Offline bool
	// Changed: the check saved a status different from the one before.
	Changed bool
	// Saved: the check wrote its answer to the record.
	Saved bool
}

// Checker checks connections. It is safe for concurrent use: checks of
// different connections run in parallel, and a check asked for while the
// same connection's check is running joins that one instead of calling
// Stripe again.
type Checker struct {
	p       Params
	log     *slog.Logger
	trigger chan struct{}

	mu       sync.Mutex
	inflight map[string]*flight
}

// flight is one connection's check in progress, shared by every caller that
// asks for it meanwhile.
type flight struct {
	done    chan struct{}
	res     Result
	err     error
	waiters int // callers that joined; guarded by Checker.mu
}

// New returns a Checker with p's defaults filled in. It panics when Records,
// Keys or Accounts is nil: that is a wiring mistake, not a run-time state.
func New(p Params) *Checker {
	if p.Records == nil || p.Keys == nil || p.Accounts == nil {
		panic("status.New: Records, Keys and Accounts are required")
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Concurrency <= 0 {
		p.Concurrency = DefaultConcurrency
	}
	if p.Timeout <= 0 {
		p.Timeout = DefaultTimeout
	}
	log := p.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Checker{p: p, log: log, trigger: make(chan struct{}, 1), inflight: map[string]*flight{}}
}

// Check checks one connection and, when Stripe gave an answer about it,
// saves the status with checkedAt = Now() (see the package doc for the cases
// that save nothing). A disconnected connection is not checked: its record
// is returned as it is.
//
// Errors: domain.ErrNotFound for an unknown id; domain.ErrCanceled when ctx
// ends first (nothing is saved); a store error when saving failed. Problems
// with the connection itself are never errors: they are its Result. A call
// made while the same connection's check is running shares that check's
// result, and its error when the first caller's ctx ended.
func (c *Checker) Check(ctx context.Context, id string) (Result, error) {
	return c.join(ctx, id, nil, nil)
}

// join runs id's check, or waits for the one already running. listed is
// the record when the caller just read it, else nil; run is CheckAll's
// shared state, else nil.
func (c *Checker) join(ctx context.Context, id string, listed *domain.Connection, run *runState) (Result, error) {
	c.mu.Lock()
	if f, ok := c.inflight[id]; ok {
		f.waiters++
		c.mu.Unlock()
		select {
		case <-f.done:
			return f.res, f.err
		case <-ctx.Done():
			return Result{ID: id}, canceled(ctx.Err())
		}
	}
	f := &flight{done: make(chan struct{})}
	c.inflight[id] = f
	c.mu.Unlock()

	f.res, f.err = c.check(ctx, id, listed, run)

	c.mu.Lock()
	delete(c.inflight, id)
	c.mu.Unlock()
	close(f.done)
	return f.res, f.err
}

// check is Check without the joining of concurrent callers.
func (c *Checker) check(ctx context.Context, id string, listed *domain.Connection, run *runState) (Result, error) {
	var before domain.Connection
	if listed != nil {
		before = *listed
	} else {
		var err error
		if before, err = c.p.Records.GetConnection(ctx, id); err != nil {
			return Result{ID: id}, fmt.Errorf("checking connection %s: %w", id, err)
		}
	}
	if before.Status == domain.StatusDisconnected {
		return recorded(before), nil
	}

	o := c.probe(ctx, before, run)
	if ctx.Err() != nil {
		return kept(before, "", nil), canceled(ctx.Err())
	}
	if !o.save {
		c.log.Info("connection not checked; last status kept",
			slog.String("connection", id), slog.String("reason", string(o.reason)), slog.Bool("offline", o.offline))
		r := kept(before, o.reason, o.facts)
		r.Offline = o.offline
		return r, nil
	}

	// Save only if the record is still as this check saw it: a
	// re-authentication, disconnect or another writer that finished while
	// Stripe was answering knows better than this check, which used the
	// credential as it was before. The store compares and writes at once.
	now := c.p.Now()
	seen := store.StatusSeen{Status: before.Status, Reason: before.StatusReason, Facts: before.StatusFacts,
		CheckedAt: before.StatusCheckedAt, AuthMethod: before.AuthMethod}
	applied, err := c.p.Records.SetStatusIf(ctx, id, seen, o.status, o.reason, o.facts, now)
	if err != nil {
		return kept(before, "", nil), fmt.Errorf("saving the status of connection %s: %w", id, err)
	}
	if !applied {
		c.log.Info("connection changed during its check; result dropped", slog.String("connection", id))
		cur, err := c.p.Records.GetConnection(ctx, id)
		if err != nil {
			return kept(before, "", nil), fmt.Errorf("checking connection %s: %w", id, err)
		}
		return recorded(cur), nil
	}
	changed := o.status != before.Status
	level := slog.LevelDebug
	if changed {
		level = slog.LevelInfo
	}
	c.log.Log(ctx, level, "connection checked",
		slog.String("connection", id), slog.String("status", string(o.status)),
		slog.String("reason", string(o.reason)), slog.Bool("changed", changed))
	return Result{
		ID: id, Status: o.status, Reason: o.reason, Facts: o.facts,
		CheckedAt: now.UTC().Truncate(time.Millisecond), // as the store keeps it
		Changed:   changed, Saved: true,
	}, nil
}

// CheckAll checks every connection that is not disconnected, at most
// Params.Concurrency at a time, and returns one Result per connection in
// the store's list order. A connection whose check failed (see Check) still
// has a Result, holding its last known status and the failure as Reason;
// the failures are joined into the returned error. When ctx ends, checks
// not yet finished save nothing and the error matches domain.ErrCanceled.
func (c *Checker) CheckAll(ctx context.Context) ([]Result, error) {
	list, err := c.p.Records.ListConnections(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking connections: %w", err)
	}
	var todo []domain.Connection
	for _, conn := range list {
		if conn.Status != domain.StatusDisconnected {
			todo = append(todo, conn)
		}
	}

	run := &runState{}
	results := make([]Result, len(todo))
	errs := make([]error, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(c.p.Concurrency, len(todo)) {
		wg.Go(func() {
			for i := range next {
				results[i], errs[i] = c.join(ctx, todo[i].ID, &todo[i], run)
				if errs[i] != nil {
					k, f := domain.KindOf(errs[i])
					results[i] = kept(todo[i], k, f)
				}
			}
		})
	}
	for i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()

	if ctx.Err() != nil {
		return results, fmt.Errorf("status check stopped: %w", canceled(ctx.Err()))
	}
	var failed []error
	for i, err := range errs {
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", todo[i].Name, err))
		}
	}
	return results, errors.Join(failed...)
}

// runState is what the checks of one CheckAll share.
type runState struct {
	// keychain is set once a check found the keychain locked, unavailable
	// or not answering: the checks after it keep their status for the same
	// reason instead of each waiting on the keychain (and perhaps each
	// raising an unlock prompt).
	keychain atomic.Pointer[outcome]
}

// recorded is a Result that reports a record as it stands.
func recorded(c domain.Connection) Result {
	return Result{ID: c.ID, Status: c.Status, Reason: c.StatusReason, Facts: c.StatusFacts, CheckedAt: c.StatusCheckedAt}
}

// kept is a Result for a check that saved nothing: the last known status
// with why. An empty why keeps the record's own reason.
func kept(c domain.Connection, why domain.Kind, facts domain.Facts) Result {
	r := recorded(c)
	if why != "" {
		r.Reason, r.Facts = why, facts
	}
	return r
}

// Err is the Result's reason as an error to word (nil when there is none).
func (r Result) Err() error {
	if r.Reason == "" {
		return nil
	}
	return &domain.Error{Kind: r.Reason, Facts: r.Facts}
}

// canceled wraps a context error so it matches domain.ErrCanceled too.
func canceled(err error) error {
	return fmt.Errorf("%w: %w", domain.ErrCanceled, err)
}
