package credentials

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

const conn = "conn_1"

func TestKeyWithoutRenewal(t *testing.T) {
	t.Run("an API key is returned as it is, and the keychain is read once", func(t *testing.T) {
		kc := newKeychain()
		kc.put(conn, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: "rk_test_abc"})
		s := New(Params{Keychain: kc})
		for range 100 {
			if got := mustKey(t, s, conn); got != "rk_test_abc" {
				t.Fatalf("Key = %q", got)
			}
		}
		if loads, saves := kc.counts(); loads != 1 || saves != 0 {
			t.Errorf("%d keychain reads and %d saves for 100 calls, want 1 and 0", loads, saves)
		}
	})

	t.Run("a missing keychain item is domain.ErrNotFound", func(t *testing.T) {
		s := New(Params{Keychain: newKeychain()})
		_, err := s.Key(context.Background(), conn)
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("err = %v, want domain.ErrNotFound", err)
		}
	})

	t.Run("a token that doesn't expire (Connect) needs no broker", func(t *testing.T) {
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_connect", "rt_connect", time.Time{}))
		s := New(Params{Keychain: kc})
		if got := mustKey(t, s, conn); got != "sk_test_connect" {
			t.Errorf("Key = %q", got)
		}
	})

	t.Run("a token outside the leeway is used without renewing", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now().Add(10*time.Minute)))
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		clk.Advance(8 * time.Minute)
		if got := mustKey(t, s, conn); got != "sk_test_old" || b.refreshes() != 0 {
			t.Errorf("Key = %q after %d refreshes, want the old token and none", got, b.refreshes())
		}
	})
}

func TestRenewal(t *testing.T) {
	ctx := context.Background()

	t.Run("a token inside the leeway is renewed once and the rotated tokens are saved", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now().Add(10*time.Minute)))
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		clk.Advance(9*time.Minute + 30*time.Second) // 30 s left: inside the 1 min leeway
		got := mustKey(t, s, conn)
		stored, _ := kc.get(conn)
		if got != "sk_test_new_y" || stored.AccessToken != got || stored.RefreshToken != "rt_new_x" {
			t.Fatalf("Key = %q, keychain holds %q / %q", got, stored.AccessToken, stored.RefreshToken)
		}
		if want := clk.Now().Add(time.Hour); !stored.Expiry.Equal(want) || stored.Method != domain.AuthOAuth || stored.Scope != "stripe_apps" {
			t.Errorf("stored %v, want expiry %v dated by the Source's clock", stored, want)
		}
		for range 50 {
			mustKey(t, s, conn)
		}
		if b.refreshes() != 1 {
			t.Errorf("%d refreshes, want 1", b.refreshes())
		}
	})

	t.Run("the new token is not handed out before the keychain holds it", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		kc.holdSave, kc.inSave = make(chan struct{}), make(chan struct{}, 1)
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		got := make(chan string, 1)
		go func() { k, _ := s.Key(ctx, conn); got <- k }()
		<-kc.inSave
		select {
		case k := <-got:
			t.Fatalf("Key returned %q while the keychain save was still running", k)
		case <-time.After(50 * time.Millisecond):
		}
		close(kc.holdSave)
		if k := <-got; k != "sk_test_new_y" {
			t.Errorf("Key = %q", k)
		}
	})

	t.Run("a renewed token lasting 2 s is used for its first second, not renewed on every call", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		b.lifetime = 2
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now}) // default 1 min leeway
		first := mustKey(t, s, conn)
		clk.Advance(900 * time.Millisecond)
		if again := mustKey(t, s, conn); again != first || b.refreshes() != 1 {
			t.Fatalf("at 0.9 s: %q after %d refreshes, want the same token after 1", again, b.refreshes())
		}
		clk.Advance(200 * time.Millisecond)
		if next := mustKey(t, s, conn); next == first || b.refreshes() != 2 {
			t.Errorf("at 1.1 s: %q after %d refreshes, want a new token after 2", next, b.refreshes())
		}
	})

	t.Run("a caller giving up doesn't stop the rotated tokens from being saved", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		b.holdToken, b.inToken = make(chan struct{}), make(chan struct{}, 1)
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		cctx, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() { _, err := s.Key(cctx, conn); errc <- err }()
		<-b.inToken
		cancel()
		if err := <-errc; !errors.Is(err, domain.ErrCanceled) {
			t.Fatalf("err = %v, want domain.ErrCanceled", err)
		}
		close(b.holdToken)
		if got := mustKey(t, s, conn); got != "sk_test_new_y" || b.refreshes() != 1 {
			t.Fatalf("Key = %q after %d refreshes", got, b.refreshes())
		}
		if stored, _ := kc.get(conn); stored.RefreshToken != "rt_new_x" {
			t.Errorf("the keychain holds refresh token %q, want the rotated one", stored.RefreshToken)
		}
	})

	t.Run("a refresh token renewed by another Ledgerline meanwhile is picked up", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_other")
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		b.answer = func(w http.ResponseWriter, rt string) bool {
			if rt == "rt_old" { // the command line renewed first and saved its tokens
				kc.put(conn, oauthCreds("sk_test_other", "rt_other", clk.Now().Add(time.Hour)))
			}
			return false
		}
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		if got := mustKey(t, s, conn); got != "sk_test_other" {
			t.Errorf("Key = %q, want the token the other process saved", got)
		}
	})
}

func TestRenewalMeetsAnItemChangedElsewhere(t *testing.T) {
	t.Run("an item switched to an API key while renewing is used as one", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t)
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		b.answer = func(http.ResponseWriter, string) bool {
			kc.put(conn, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: "rk_test_switched"})
			return false // and the broker refuses rt_old
		}
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		if got := mustKey(t, s, conn); got != "rk_test_switched" {
			t.Errorf("Key = %q, want the API key now in the keychain", got)
		}
	})
}

func TestRenewalFailures(t *testing.T) {
	ctx := context.Background()

	t.Run("a revoked refresh token needs re-authentication and leaves the keychain as it was", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t) // knows no refresh token
		kc := newKeychain()
		before := oauthCreds("sk_test_old", "rt_old", clk.Now())
		kc.put(conn, before)
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		for range 3 {
			_, err := s.Key(ctx, conn)
			if !errors.Is(err, stripeapi.ErrNeedsReauth) || !errors.Is(err, domain.KindRefreshRefused) {
				t.Fatalf("err = %v, want ErrNeedsReauth (refresh refused)", err)
			}
			noSecrets(t, err, "rt_old", "sk_test_old")
		}
		if after, _ := kc.get(conn); after != before {
			t.Errorf("the keychain item changed: %v", after)
		}
		if _, saves := kc.counts(); saves != 0 || b.refreshes() != 1 {
			t.Errorf("%d saves and %d broker calls, want 0 and 1 (a dead refresh token is not sent twice)", saves, b.refreshes())
		}
	})

	t.Run("a broker that can't be reached is a network error once the token has expired", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		cfg := b.config()
		cfg.Endpoint.TokenURL = "http://" + closedAddr(t) + "/oauth/token"
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		s := New(Params{Keychain: kc, OAuth: cfg, Now: clk.Now})
		_, err := s.Key(ctx, conn)
		if !errors.Is(err, stripeapi.ErrNetwork) || !strings.Contains(err.Error(), "sign-in service") {
			t.Errorf("err = %v, want ErrNetwork naming the sign-in service", err)
		}
		noSecrets(t, err, "rt_old")
	})

	t.Run("a broker that can't be reached doesn't stop a token that is still valid", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		var down atomic.Bool
		down.Store(true)
		b.answer = func(w http.ResponseWriter, _ string) bool {
			isDown := down.Load()
			if isDown {
				http.Error(w, "bad gateway", http.StatusBadGateway)
			}
			return isDown
		}
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now().Add(30*time.Second)))
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		if got := mustKey(t, s, conn); got != "sk_test_old" {
			t.Fatalf("Key = %q, want the still-valid token", got)
		}
		mustKey(t, s, conn)
		if b.refreshes() != 1 {
			t.Fatalf("%d broker calls right after a failure, want 1 (it waits before trying again)", b.refreshes())
		}
		down.Store(false)
		clk.Advance(retryAfterFailure)
		if got := mustKey(t, s, conn); got != "sk_test_new_y" {
			t.Errorf("Key = %q after the broker came back", got)
		}
		clk.Advance(30 * time.Second)
		down.Store(true)
		if _, err := s.Key(ctx, conn); err != nil {
			t.Errorf("the renewed token should last an hour: %v", err)
		}
	})

	t.Run("broker trouble and refusals are told apart", func(t *testing.T) {
		for _, tc := range []struct {
			status int
			body   string
			class  error
			kind   domain.Kind
			code   string
		}{
			{http.StatusServiceUnavailable, `{"error":"temporarily_unavailable"}`, stripeapi.ErrStripeDown, domain.KindBrokerTrouble, ""},
			{http.StatusBadGateway, `<html>bad gateway</html>`, stripeapi.ErrStripeDown, domain.KindBrokerTrouble, ""},
			{http.StatusUnauthorized, `{"error":"invalid_client","error_description":"rt_old"}`, ErrRenewRefused, domain.KindBrokerRefused, "invalid_client"},
			{http.StatusOK, `{"access_token":"","token_type":"bearer"}`, ErrRenewRefused, domain.KindBrokerUnusable, ""},
			{http.StatusOK, `{"access_token":"sk_test_x","token_type":"mac"}`, ErrRenewRefused, domain.KindBrokerUnusable, ""},
		} {
			clk := newClock()
			b := newFakeBroker(t, "rt_old")
			b.answer = func(w http.ResponseWriter, _ string) bool {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
				return true
			}
			kc := newKeychain()
			kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
			_, err := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now}).Key(ctx, conn)
			k, f := domain.KindOf(err)
			if !errors.Is(err, tc.class) || k != tc.kind || f[domain.FactCode] != tc.code {
				t.Errorf("HTTP %d %s: err = %v, want %v of kind %s with code %q", tc.status, tc.body, err, tc.class, tc.kind, tc.code)
			}
			noSecrets(t, err, "rt_old")
		}
	})

	t.Run("without a broker a valid token still works and an expired one says why", func(t *testing.T) {
		clk := newClock()
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now().Add(30*time.Second)))
		s := New(Params{Keychain: kc, Now: clk.Now})
		if got := mustKey(t, s, conn); got != "sk_test_old" {
			t.Fatalf("Key = %q", got)
		}
		clk.Advance(31 * time.Second)
		_, err := s.Key(ctx, conn)
		if !errors.Is(err, ErrNoBroker) || !errors.Is(err, domain.KindNoBroker) {
			t.Errorf("err = %v, want ErrNoBroker", err)
		}
	})

	t.Run("an expired token without a refresh token needs re-authentication", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t)
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "", clk.Now()))
		_, err := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now}).Key(ctx, conn)
		if !errors.Is(err, stripeapi.ErrNeedsReauth) || b.refreshes() != 0 {
			t.Errorf("err = %v after %d broker calls, want ErrNeedsReauth and none", err, b.refreshes())
		}
	})
}

func TestKeychainRefusesRotatedTokens(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	b := newFakeBroker(t, "rt_old")
	kc := newKeychain()
	before := oauthCreds("sk_test_old", "rt_old", clk.Now())
	kc.put(conn, before)
	kc.refuse(errLocked)
	s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})

	t.Run("Key says the keychain refused, with the keychain's own error reachable", func(t *testing.T) {
		_, err := s.Key(ctx, conn)
		if !errors.Is(err, ErrKeychainRefused) || !errors.Is(err, errLocked) {
			t.Fatalf("err = %v, want ErrKeychainRefused wrapping the keychain's error", err)
		}
		if k, _ := domain.KindOf(err); k != domain.KindKeychainRefused {
			t.Errorf("kind %q", k)
		}
		noSecrets(t, err, "rt_old", "sk_test_old")
		if after, _ := kc.get(conn); after != before {
			t.Errorf("the keychain item changed: %v", after)
		}
	})

	t.Run("the new token is not handed out while unsaved, and the keychain isn't asked on every call", func(t *testing.T) {
		loadsBefore, _ := kc.counts()
		for range 20 {
			if k, err := s.Key(ctx, conn); err == nil || k != "" {
				t.Fatalf("Key = %q, %v while the rotated tokens are unsaved", k, err)
			}
		}
		if loads, _ := kc.counts(); loads != loadsBefore {
			t.Errorf("%d keychain reads while waiting to save", loads-loadsBefore)
		}
	})

	t.Run("once the keychain accepts, the same rotated tokens are saved without another renewal", func(t *testing.T) {
		kc.refuse(nil)
		clk.Advance(saveRetryAfter)
		if got := mustKey(t, s, conn); got != "sk_test_new_y" {
			t.Fatalf("Key = %q", got)
		}
		if stored, _ := kc.get(conn); stored.RefreshToken != "rt_new_x" || b.refreshes() != 1 {
			t.Errorf("keychain refresh token %q after %d renewals, want the rotated one after 1", stored.RefreshToken, b.refreshes())
		}
	})
}

func TestForget(t *testing.T) {
	ctx := context.Background()

	t.Run("the next Key reads the keychain again", func(t *testing.T) {
		kc := newKeychain()
		kc.put(conn, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: "rk_test_one"})
		s := New(Params{Keychain: kc})
		mustKey(t, s, conn)
		kc.put(conn, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: "rk_test_two"})
		if got := mustKey(t, s, conn); got != "rk_test_one" {
			t.Fatalf("Key = %q before Forget, want the cached key", got)
		}
		s.Forget(conn)
		if got := mustKey(t, s, conn); got != "rk_test_two" {
			t.Errorf("Key = %q after Forget", got)
		}
	})

	t.Run("a renewal in flight when the connection is disconnected writes nothing back", func(t *testing.T) {
		clk := newClock()
		b := newFakeBroker(t, "rt_old")
		b.holdToken, b.inToken = make(chan struct{}), make(chan struct{}, 1)
		kc := newKeychain()
		kc.put(conn, oauthCreds("sk_test_old", "rt_old", clk.Now()))
		s := New(Params{Keychain: kc, OAuth: b.config(), Now: clk.Now})
		errc := make(chan error, 1)
		go func() { _, err := s.Key(ctx, conn); errc <- err }()
		<-b.inToken
		s.Forget(conn) // disconnect: forget, then delete the item
		kc.del(conn)
		close(b.holdToken)
		if err := <-errc; !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("err = %v, want domain.ErrNotFound once the item is gone", err)
		}
		if _, ok := kc.get(conn); ok {
			t.Error("the renewal wrote the keychain item back after the disconnect")
		}
	})
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
