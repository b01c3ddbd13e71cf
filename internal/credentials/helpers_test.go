package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// clock is a settable clock, safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// memKeychain is an in-memory Keychain that counts its calls and can be
// told to refuse saves or hold them.
type memKeychain struct {
	mu        sync.Mutex
	items     map[string]secrets.Credentials
	loads     int
	saves     int
	refuseErr error         // returned by SaveCredentials when set
	holdSave  chan struct{} // when set, SaveCredentials waits for it to close
	inSave    chan struct{} // when set, gets a value as a save starts
}

func newKeychain() *memKeychain { return &memKeychain{items: map[string]secrets.Credentials{}} }

func (k *memKeychain) LoadCredentials(_ context.Context, id string) (secrets.Credentials, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.loads++
	c, ok := k.items[id]
	if !ok {
		return secrets.Credentials{}, secrets.ErrNotFound
	}
	return c, nil
}

func (k *memKeychain) SaveCredentials(_ context.Context, id string, c secrets.Credentials) error {
	k.mu.Lock()
	hold, in := k.holdSave, k.inSave
	k.mu.Unlock()
	if in != nil {
		in <- struct{}{}
	}
	if hold != nil {
		<-hold
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuseErr != nil {
		return k.refuseErr
	}
	k.saves++
	k.items[id] = c
	return nil
}

func (k *memKeychain) put(id string, c secrets.Credentials) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.items[id] = c
}

func (k *memKeychain) get(id string) (secrets.Credentials, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	c, ok := k.items[id]
	return c, ok
}

func (k *memKeychain) del(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, id)
}

func (k *memKeychain) counts() (loads, saves int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.loads, k.saves
}

func (k *memKeychain) refuse(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refuseErr = err
}

// fakeBroker is a token endpoint that rotates refresh tokens like Stripe
// Apps: each refresh token works once. answer, when set, replaces the
// normal answer (to play errors).
type fakeBroker struct {
	srv       *httptest.Server
	mu        sync.Mutex
	live      map[string]bool // refresh tokens that still work
	seen      []string        // refresh tokens received, in order
	n         int
	lifetime  int64 // expires_in of issued tokens
	answer    func(w http.ResponseWriter, rt string) bool
	holdToken chan struct{} // when set, each refresh waits for it to close
	inToken   chan struct{} // when set, gets a value as a refresh starts
}

func newFakeBroker(t *testing.T, liveRefresh ...string) *fakeBroker {
	b := &fakeBroker{live: map[string]bool{}, lifetime: 3600}
	for _, rt := range liveRefresh {
		b.live[rt] = true
	}
	b.srv = httptest.NewServer(http.HandlerFunc(b.serve))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *fakeBroker) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/oauth/token" || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "refresh_token" ||
		r.PostForm.Get("client_id") != "ledgerline-desktop" {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	rt := r.PostForm.Get("refresh_token")
	b.mu.Lock()
	b.seen = append(b.seen, rt)
	hold, in, answer := b.holdToken, b.inToken, b.answer
	b.mu.Unlock()
	if in != nil {
		in <- struct{}{}
	}
	if hold != nil {
		<-hold
	}
	if answer != nil && answer(w, rt) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !b.live[rt] {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Invalid refresh token: " + rt})
		return
	}
	delete(b.live, rt)
	b.n++
	next := "rt_new_" + strings.Repeat("x", b.n)
	b.live[next] = true
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": "sk_test_new_" + strings.Repeat("y", b.n), "refresh_token": next,
		"token_type": "bearer", "expires_in": b.lifetime, "scope": "stripe_apps", "stripe_user_id": "acct_1",
	})
}

func (b *fakeBroker) refreshes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.seen)
}

func (b *fakeBroker) config() *oauth2.Config {
	return &oauth2.Config{ClientID: "ledgerline-desktop", Endpoint: oauth2.Endpoint{
		TokenURL: b.srv.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
}

// oauthCreds are OAuth credentials expiring at expiry.
func oauthCreds(access, refresh string, expiry time.Time) secrets.Credentials {
	return secrets.Credentials{Method: domain.AuthOAuth, AccessToken: access, RefreshToken: refresh,
		TokenType: "bearer", Scope: "stripe_apps", Expiry: expiry}
}

// noSecrets fails when err's text holds any of the values.
func noSecrets(t *testing.T, err error, values ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, v := range values {
		if v != "" && strings.Contains(err.Error(), v) {
			t.Errorf("the error %q shows a secret", err)
		}
	}
	if strings.Contains(err.Error(), "sk_test_") || strings.Contains(err.Error(), "rt_new_") {
		t.Errorf("the error %q looks like it holds a token", err)
	}
}

// mustKey calls Key and fails the test on an error.
func mustKey(t *testing.T, s *Source, id string) string {
	t.Helper()
	k, err := s.Key(context.Background(), id)
	if err != nil {
		t.Fatalf("Key: %v", err)
	}
	return k
}

var errLocked = errors.New("The system keychain is locked. Unlock the \"Login\" keyring, then try again.")
