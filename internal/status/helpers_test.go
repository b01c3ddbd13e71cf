package status

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/testkit"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// start is when every test's clock begins: 14:02 UTC.
var start = time.Date(2026, 11, 26, 14, 2, 0, 0, time.UTC)

// fakeClock and syncBuffer are the shared test helpers.
type (
	fakeClock  = testkit.Clock
	syncBuffer = testkit.LogBuffer
)

// faults sits in front of the sandbox. While code is non-zero, every /v1/
// request is answered with that HTTP status and a Stripe-shaped error body;
// a 400 quotes the caller's key, as a careless server might.
type faults struct {
	code atomic.Int32
	hits atomic.Int64
}

func (f *faults) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := int(f.code.Load())
		if code == 0 || !strings.HasPrefix(r.URL.Path, "/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		f.hits.Add(1)
		typ, msg := "api_error", "An unknown error occurred."
		switch code {
		case http.StatusTooManyRequests:
			typ, msg = "invalid_request_error", "Request rate limit exceeded."
		case http.StatusForbidden:
			typ, msg = "invalid_request_error", "The provided key does not have the required permissions for this endpoint."
		case http.StatusBadRequest:
			key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			typ, msg = "invalid_request_error", "Request refused for key "+key+"."
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "type": typ}})
	})
}

// keychainKeys is a Keys over a real secrets.Store: the API key, or the
// access token of OAuth credentials (no refresh).
type keychainKeys struct{ s *secrets.Store }

func (k keychainKeys) Key(ctx context.Context, id string) (string, error) {
	c, err := k.s.LoadCredentials(ctx, id)
	if err != nil {
		return "", err
	}
	if c.Method == domain.AuthAPIKey {
		return c.APIKey, nil
	}
	return c.AccessToken, nil
}

// watchedAccounts wraps the Stripe client: it counts calls, records the
// most that ran at once, and runs before (when set) first.
type watchedAccounts struct {
	next    Accounts
	before  func(ctx context.Context)
	calls   atomic.Int64
	running atomic.Int64
	peak    atomic.Int64
}

func (a *watchedAccounts) Account(ctx context.Context, key string) (stripeapi.Account, error) {
	a.calls.Add(1)
	n := a.running.Add(1)
	defer a.running.Add(-1)
	for p := a.peak.Load(); n > p && !a.peak.CompareAndSwap(p, n); p = a.peak.Load() {
	}
	if a.before != nil {
		a.before(ctx)
	}
	return a.next.Account(ctx, key)
}

// world is a sandbox on loopback behind faults, a real SQLite store, an
// in-memory keychain, the real Stripe client, a fake clock and a captured
// log. When the test ends it checks that no sandbox key reached the log
// or a saved status sentence.
type world struct {
	sb       *sandbox.Server
	accounts []sandbox.AccountInfo
	srv      *httptest.Server
	base     string
	faults   *faults
	db       *store.DB
	keychain *secrets.Store
	stripe   *watchedAccounts
	clock    *fakeClock
	logs     *syncBuffer
}

func newWorld(t testing.TB, accounts int) *world {
	t.Helper()
	ctx := context.Background()
	sb, err := sandbox.New(sandbox.Options{Seed: 42, Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{sb: sb, accounts: sb.Info().Accounts, faults: &faults{}, clock: testkit.NewClock(start), logs: &syncBuffer{}}
	w.srv = httptest.NewServer(w.faults.wrap(sb.Handler()))
	t.Cleanup(w.srv.Close)
	w.base = w.srv.URL
	w.db, err = store.Open(ctx, store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.db.Close() })
	w.keychain = secrets.New(secrets.Options{Service: "Ledgerline-test", Backend: secrets.NewMemoryBackend()})
	w.stripe = &watchedAccounts{next: stripeapi.New(stripeapi.Options{APIBase: w.base})}
	t.Cleanup(func() { w.assertNoKeyLeaked(t) })
	return w
}

// checker builds a Checker over the world; edit adjusts its Params.
func (w *world) checker(edit ...func(*Params)) *Checker {
	p := Params{
		Records: w.db, Keys: keychainKeys{w.keychain}, Accounts: w.stripe, Now: w.clock.Now,
		Logger: slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, e := range edit {
		e(&p)
	}
	return New(p)
}

// connect saves a connected record for sandbox account i and its key in
// the keychain; an OAuth connection holds the key as its access token,
// which the sandbox's /v1/account treats alike.
func (w *world) connect(t testing.TB, i int, method domain.AuthMethod) domain.Connection {
	t.Helper()
	a := w.accounts[i]
	c := domain.Connection{
		ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: a.Name, AccountID: a.ID,
		AuthMethod: method, Status: domain.StatusConnected, ConnectedAt: start.Add(-24 * time.Hour),
	}
	creds := secrets.Credentials{Method: method, APIKey: a.APIKey}
	if method == domain.AuthOAuth {
		c.Scope = "read_only"
		creds = secrets.Credentials{Method: method, AccessToken: a.APIKey, Scope: "read_only"}
	}
	err := w.db.CreateConnection(context.Background(), c, func(ctx context.Context) error {
		return w.keychain.SaveCredentials(ctx, c.ID, creds)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// revoke revokes sandbox account i's restricted key.
func (w *world) revoke(t testing.TB, i int) {
	t.Helper()
	res, err := http.PostForm(w.base+"/_sandbox/revoke", url.Values{"api_key": {w.accounts[i].APIKey}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("revoke answered %s", res.Status)
	}
}

// record reads a connection back from SQLite.
func (w *world) record(t testing.TB, id string) domain.Connection {
	t.Helper()
	c, err := w.db.GetConnection(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) assertNoKeyLeaked(t testing.TB) {
	list, err := w.db.ListConnections(context.Background())
	if err != nil {
		t.Errorf("listing connections for the leak check: %v", err)
	}
	logs := w.logs.String()
	for _, a := range w.accounts {
		if strings.Contains(logs, a.APIKey) {
			t.Errorf("the log holds %s's key", a.Name)
		}
		for _, c := range list {
			if strings.Contains(fmt.Sprint(c.StatusFacts), a.APIKey) {
				t.Errorf("the saved detail of %s holds a key", c.Name)
			}
		}
	}
}

// mustCheck runs one check that must not fail.
func mustCheck(t testing.TB, c *Checker, id string) Result {
	t.Helper()
	r, err := c.Check(context.Background(), id)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return r
}
