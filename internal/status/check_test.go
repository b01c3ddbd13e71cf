package status

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

func TestCheckAgainstTheSandbox(t *testing.T) {
	ctx := context.Background()

	t.Run("a working restricted key is connected, with the check time saved", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 1, domain.AuthAPIKey)
		if err := w.db.SetStatus(ctx, conn.ID, domain.StatusError, domain.KindStripeDown, nil, start.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		r := mustCheck(t, w.checker(), conn.ID)
		if r.Status != domain.StatusConnected || r.Reason != "" || !r.Saved || !r.Changed || r.Offline || !r.CheckedAt.Equal(start) {
			t.Errorf("result %+v, want connected at %v, saved and changed", r, start)
		}
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusConnected || rec.StatusReason != "" || rec.StatusFacts != nil || !rec.StatusCheckedAt.Equal(start) {
			t.Errorf("record %s %q checked %v", rec.Status, rec.StatusReason, rec.StatusCheckedAt)
		}
		if n := w.stripe.calls.Load(); n != 1 {
			t.Errorf("%d calls to Stripe, want 1", n)
		}
	})

	t.Run("a key revoked in Stripe needs a new key, said for an API key", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		w.revoke(t, 0)
		r := mustCheck(t, w.checker(), conn.ID)
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusNeedsReauth || rec.StatusReason != domain.KindRevokedKey || !rec.StatusCheckedAt.Equal(start) {
			t.Errorf("record %s %q checked %v", rec.Status, rec.StatusReason, rec.StatusCheckedAt)
		}
		if !r.Changed || !r.Saved || r.Reason != domain.KindRevokedKey || !rec.NeedsReauth() {
			t.Errorf("result %+v", r)
		}
	})

	t.Run("revoked OAuth access asks to re-authenticate", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 2, domain.AuthOAuth)
		w.revoke(t, 2)
		mustCheck(t, w.checker(), conn.ID)
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusNeedsReauth || rec.StatusReason != domain.KindRevokedOAuth {
			t.Errorf("record %s %q", rec.Status, rec.StatusReason)
		}
	})

	t.Run("with the sandbox stopped the last status and check time stay as they were", func(t *testing.T) {
		sb, err := sandbox.New(sandbox.Options{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		base, err := sb.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		w := newWorld(t, 3)
		w.accounts = sb.Info().Accounts // the started sandbox's keys
		w.stripe.next = stripeapi.New(stripeapi.Options{APIBase: base})
		conn := w.connect(t, 0, domain.AuthAPIKey)
		c := w.checker()
		mustCheck(t, c, conn.ID)
		before := w.record(t, conn.ID)

		if err := sb.Close(); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(2 * time.Hour)
		r := mustCheck(t, c, conn.ID)
		if !r.Offline || r.Saved || r.Changed || r.Status != domain.StatusConnected || !r.CheckedAt.Equal(start) ||
			r.Reason != domain.KindOffline {
			t.Errorf("result %+v, want offline with the last status kept", r)
		}
		after := w.record(t, conn.ID)
		if !reflect.DeepEqual(after, before) {
			t.Errorf("record changed while offline:\n before %+v\n after  %+v", before, after)
		}
	})

	t.Run("a closed port is offline, and a connection needing re-authentication keeps needing it", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		w.revoke(t, 0)
		c := w.checker()
		mustCheck(t, c, conn.ID)
		before := w.record(t, conn.ID)

		w.stripe.next = stripeapi.New(stripeapi.Options{APIBase: "http://" + closedPort(t)})
		r := mustCheck(t, c, conn.ID)
		if !r.Offline || r.Saved || r.Status != domain.StatusNeedsReauth {
			t.Errorf("result %+v", r)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed while offline: %+v", after)
		}
	})

	t.Run("Stripe's 500s are an error with the time, cleared by the next good check", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		c := w.checker()
		w.faults.code.Store(http.StatusInternalServerError)
		r := mustCheck(t, c, conn.ID)
		want := domain.Facts{domain.FactHTTPStatus: "500", domain.FactCheckedAt: start.Format(time.RFC3339)}
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusError || rec.StatusReason != domain.KindStripeDown || !reflect.DeepEqual(rec.StatusFacts, want) ||
			r.Reason != domain.KindStripeDown || !reflect.DeepEqual(r.Facts, want) || !r.Changed {
			t.Errorf("record %s %q %v, result %+v", rec.Status, rec.StatusReason, rec.StatusFacts, r)
		}
		if w.faults.hits.Load() == 0 {
			t.Fatal("the fault never answered")
		}

		w.faults.code.Store(0)
		w.clock.Advance(5 * time.Minute)
		r = mustCheck(t, c, conn.ID)
		rec = w.record(t, conn.ID)
		if rec.Status != domain.StatusConnected || rec.StatusReason != "" || !rec.StatusCheckedAt.Equal(start.Add(5*time.Minute)) || !r.Changed {
			t.Errorf("after Stripe recovered: record %s %q %v, result %+v", rec.Status, rec.StatusReason, rec.StatusCheckedAt, r)
		}
	})

	t.Run("a 429 keeps the last status", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		c := w.checker()
		mustCheck(t, c, conn.ID)
		before := w.record(t, conn.ID)
		w.faults.code.Store(http.StatusTooManyRequests)
		w.clock.Advance(time.Minute)
		r := mustCheck(t, c, conn.ID)
		if r.Saved || r.Offline || r.Status != domain.StatusConnected || r.Reason != domain.KindRateLimited {
			t.Errorf("result %+v", r)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed on a 429: %+v", after)
		}
	})

	t.Run("a 403 is an error about permissions", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		w.faults.code.Store(http.StatusForbidden)
		mustCheck(t, w.checker(), conn.ID)
		if rec := w.record(t, conn.ID); rec.Status != domain.StatusError || rec.StatusReason != domain.KindPermission ||
			rec.StatusFacts[domain.FactAuthMethod] != string(domain.AuthAPIKey) {
			t.Errorf("record %s %q %v", rec.Status, rec.StatusReason, rec.StatusFacts)
		}
	})

	t.Run("a key that now opens another account is an error naming both", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		// The owner replaced the key in the keychain with another account's.
		err := w.keychain.SaveCredentials(ctx, conn.ID, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: w.accounts[1].APIKey})
		if err != nil {
			t.Fatal(err)
		}
		mustCheck(t, w.checker(), conn.ID)
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusError || rec.StatusReason != domain.KindWrongAccount ||
			rec.StatusFacts[domain.FactAccountID] != w.accounts[1].ID || rec.StatusFacts[domain.FactExpectedAccountID] != w.accounts[0].ID {
			t.Errorf("record %s %q %v", rec.Status, rec.StatusReason, rec.StatusFacts)
		}
	})

	t.Run("a Stripe message that quotes the key is saved without it", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		w.faults.code.Store(http.StatusBadRequest)
		mustCheck(t, w.checker(), conn.ID)
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusError || rec.StatusReason != domain.KindRequestRefused ||
			!strings.Contains(rec.StatusFacts[domain.FactStripeMessage], "Request refused for key [redacted]") {
			t.Errorf("record %s %q %v", rec.Status, rec.StatusReason, rec.StatusFacts)
		}
		// The world's cleanup checks the key appears nowhere.
	})

	t.Run("a disconnected connection is not checked", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		if err := w.db.SetStatus(ctx, conn.ID, domain.StatusDisconnected, domain.KindDisconnected, nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		r := mustCheck(t, w.checker(), conn.ID)
		if r.Status != domain.StatusDisconnected || r.Saved || w.stripe.calls.Load() != 0 {
			t.Errorf("result %+v after %d calls", r, w.stripe.calls.Load())
		}
	})

	t.Run("an unknown connection is not found", func(t *testing.T) {
		w := newWorld(t, 3)
		if _, err := w.checker().Check(ctx, "conn_nosuchthing"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})

	t.Run("a check canceled before Stripe answers saves nothing", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		before := w.record(t, conn.ID)
		cctx, cancel := context.WithCancel(ctx)
		w.stripe.before = func(context.Context) { cancel() }
		_, err := w.checker().Check(cctx, conn.ID)
		if !errors.Is(err, domain.ErrCanceled) {
			t.Errorf("err = %v, want ErrCanceled", err)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed by a canceled check: %+v", after)
		}
	})

	t.Run("a check that outlives its timeout counts as offline", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		before := w.record(t, conn.ID)
		w.stripe.before = func(ctx context.Context) { <-ctx.Done() } // Stripe never answers in time
		r := mustCheck(t, w.checker(func(p *Params) { p.Timeout = 50 * time.Millisecond }), conn.ID)
		if !r.Offline || r.Saved {
			t.Errorf("result %+v", r)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed: %+v", after)
		}
	})
}

func TestCheckWhenTheKeychainFails(t *testing.T) {
	t.Run("a locked keychain keeps the status and says the keychain is the problem", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		before := w.record(t, conn.ID)
		locked := secrets.New(secrets.Options{Service: "Ledgerline-test", Backend: lockedBackend{}})
		r := mustCheck(t, w.checker(func(p *Params) { p.Keys = keychainKeys{locked} }), conn.ID)
		if r.Saved || r.Offline || r.Status != domain.StatusConnected || r.Reason != domain.KindKeychainLocked {
			t.Errorf("result %+v", r)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed: %+v", after)
		}
		if w.stripe.calls.Load() != 0 {
			t.Error("Stripe was called without a key")
		}
	})

	t.Run("a keychain that does not answer keeps the status", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		before := w.record(t, conn.ID)
		hung := hungBackend(make(chan struct{}))
		t.Cleanup(func() { close(hung) })
		slow := secrets.New(secrets.Options{Service: "Ledgerline-test", Backend: hung, Timeout: 50 * time.Millisecond})
		r := mustCheck(t, w.checker(func(p *Params) { p.Keys = keychainKeys{slow} }), conn.ID)
		if r.Saved || r.Reason != domain.KindKeychainTimedOut {
			t.Errorf("result %+v", r)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed: %+v", after)
		}
	})

	t.Run("a missing keychain item needs re-authentication", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthOAuth)
		if err := w.keychain.DeleteCredentials(context.Background(), conn.ID); err != nil {
			t.Fatal(err)
		}
		mustCheck(t, w.checker(), conn.ID)
		if rec := w.record(t, conn.ID); rec.Status != domain.StatusNeedsReauth || rec.StatusReason != domain.KindCredentialsMissing ||
			rec.StatusFacts[domain.FactAuthMethod] != string(domain.AuthOAuth) {
			t.Errorf("record %s %q %v", rec.Status, rec.StatusReason, rec.StatusFacts)
		}
	})

	t.Run("a sign-in that can no longer refresh needs re-authentication; a refresh without network keeps the status", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthOAuth)
		before := w.record(t, conn.ID)
		keys := errKeys{err: stripeapi.Classify(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})}
		r := mustCheck(t, w.checker(func(p *Params) { p.Keys = &keys }), conn.ID)
		if !r.Offline || r.Saved {
			t.Errorf("offline refresh: result %+v", r)
		}
		if after := w.record(t, conn.ID); !reflect.DeepEqual(after, before) {
			t.Errorf("record changed: %+v", after)
		}

		keys.err = errors.Join(errors.New("the broker refused the refresh token"), stripeapi.ErrNeedsReauth)
		mustCheck(t, w.checker(func(p *Params) { p.Keys = &keys }), conn.ID)
		if rec := w.record(t, conn.ID); rec.Status != domain.StatusNeedsReauth || rec.StatusReason != domain.KindRevokedOAuth {
			t.Errorf("record %s %q", rec.Status, rec.StatusReason)
		}
	})
}

func TestCheckRaces(t *testing.T) {
	ctx := context.Background()

	t.Run("a re-authentication that lands during the check wins over its result", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		w.revoke(t, 0)
		reauthAt := start.Add(time.Second)
		w.stripe.before = func(context.Context) {
			// The owner finishes re-authenticating while Stripe answers the
			// check, which still used the old, revoked key.
			if err := w.db.SetStatus(ctx, conn.ID, domain.StatusConnected, "", nil, reauthAt); err != nil {
				t.Error(err)
			}
		}
		r := mustCheck(t, w.checker(), conn.ID)
		rec := w.record(t, conn.ID)
		if rec.Status != domain.StatusConnected || !rec.StatusCheckedAt.Equal(reauthAt) {
			t.Errorf("the stale check overwrote the re-authentication: %s %q", rec.Status, rec.StatusReason)
		}
		if r.Saved || r.Status != domain.StatusConnected {
			t.Errorf("result %+v", r)
		}
	})

	t.Run("checks of one connection asked for at once ask Stripe once", func(t *testing.T) {
		w := newWorld(t, 3)
		conn := w.connect(t, 0, domain.AuthAPIKey)
		entered, release := make(chan struct{}), make(chan struct{})
		w.stripe.before = func(context.Context) {
			close(entered)
			<-release
		}
		c := w.checker()
		first := make(chan Result)
		go func() { r, _ := c.Check(ctx, conn.ID); first <- r }()
		<-entered
		second := make(chan Result)
		go func() { r, _ := c.Check(ctx, conn.ID); second <- r }()
		waitJoined(t, c, conn.ID)
		close(release)
		a, b := <-first, <-second
		if !reflect.DeepEqual(a, b) || !a.Saved || w.stripe.calls.Load() != 1 {
			t.Errorf("results %+v and %+v after %d calls", a, b, w.stripe.calls.Load())
		}
	})
}

// waitJoined waits until a second caller has joined id's check in progress.
func waitJoined(t *testing.T, c *Checker, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		f := c.inflight[id]
		joined := f != nil && f.waiters > 0
		c.mu.Unlock()
		if joined {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the second check never joined the first")
}

// lockedBackend answers like a Secret Service whose collection is locked.
type lockedBackend struct{}

func (lockedBackend) Get(string, string) (string, error) { return "", lockedErr() }
func (lockedBackend) Set(string, string, string) error   { return lockedErr() }
func (lockedBackend) Delete(string, string) error        { return lockedErr() }

func lockedErr() error {
	return dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked", Body: []any{"Collection is locked"}}
}

// hungBackend never answers until its channel is closed.
type hungBackend chan struct{}

func (h hungBackend) Get(string, string) (string, error) { <-h; return "", errors.New("late") }
func (h hungBackend) Set(string, string, string) error   { <-h; return errors.New("late") }
func (h hungBackend) Delete(string, string) error        { <-h; return errors.New("late") }

// errKeys fails every Key call with err.
type errKeys struct{ err error }

func (k *errKeys) Key(context.Context, string) (string, error) { return "", k.err }

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
