package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/broker"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// world is the real sandbox (2 s Stripe Apps access tokens) and the real
// broker on loopback, sharing one settable clock with the app's parts, and
// one connection signed in through the real authflow with a form browser.
type world struct {
	clk       *clock
	base      string // the sandbox: Stripe's API
	brokerURL string
	accountID string
	connID    string
	flow      *authflow.Flow
	keychain  *secrets.Store
	stripe    *stripeapi.Client
	src       *Source
	refreshes atomic.Int64 // POSTs to the broker's /oauth/token with grant_type=refresh_token
	log       lockedLog    // the Source's log
}

// lockedLog collects log output from many goroutines.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// checkClean fails when the log shows a token, or shows nothing.
func (l *lockedLog) checkClean(t *testing.T, want string) {
	t.Helper()
	l.mu.Lock()
	text := l.b.String()
	l.mu.Unlock()
	if !strings.Contains(text, want) {
		t.Errorf("the log doesn't say %q:\n%s", want, text)
	}
	if strings.Contains(text, "sk_test_") || strings.Contains(text, "rt_") {
		t.Errorf("the log shows a token:\n%s", text)
	}
}

const sandboxTTL = 2 * time.Second

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{clk: newClock(), connID: domain.NewConnectionID()}
	sb, err := sandbox.New(sandbox.Options{Seed: 1, AccessTokenTTL: sandboxTTL, Now: w.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if w.base, err = sb.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	info := sb.Info()
	w.accountID = info.Accounts[0].ID

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.brokerURL = "http://" + ln.Addr().String()
	b, err := broker.New(broker.Config{Flavor: broker.FlavorApps, ClientID: info.ClientID, SecretKey: info.SecretKey,
		PublicURL: w.brokerURL, ConnectBase: w.base, APIBase: w.base, Now: w.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	bs := &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = bs.Serve(ln) }()
	t.Cleanup(func() { _ = bs.Close() })

	browser := &testkit.FormBrowser{Account: w.accountID}
	w.flow, err = authflow.New(authflow.Config{BrokerURL: w.brokerURL, OpenURL: browser.OpenURL, Now: w.clk.Now,
		Timeout: 20 * time.Second, HTTPClient: &http.Client{Transport: refreshCounter{http.DefaultTransport, &w.refreshes}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.flow.Login(context.Background(), authflow.LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := browser.Wait(); err != nil {
		t.Fatal(err)
	}
	w.keychain = secrets.New(secrets.Options{Service: "Ledgerline-test", Backend: secrets.NewMemoryBackend()})
	if err := w.keychain.SaveCredentials(context.Background(), w.connID, secrets.Credentials{
		Method: domain.AuthOAuth, AccessToken: res.Token.AccessToken, RefreshToken: res.Token.RefreshToken,
		TokenType: res.Token.TokenType, Scope: res.Scope, Expiry: res.Token.Expiry,
	}); err != nil {
		t.Fatal(err)
	}
	w.stripe = stripeapi.New(stripeapi.Options{APIBase: w.base})
	w.src = New(Params{Keychain: w.keychain, OAuth: w.flow.OAuth2Config(""), HTTPContext: w.flow.OAuth2Context,
		Now: w.clk.Now, Leeway: 500 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&w.log, nil))})
	return w
}

// stored is what the keychain holds for the connection.
func (w *world) stored(t *testing.T) secrets.Credentials {
	t.Helper()
	c, err := w.keychain.LoadCredentials(context.Background(), w.connID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// refreshAtBroker trades a refresh token at the broker directly (not
// counted), as a check of whether it still works.
func (w *world) refreshAtBroker(t *testing.T, rt string) (status int, oauthErr string) {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {authflow.DefaultClientID}}
	resp, err := http.PostForm(w.brokerURL+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Error
}

// refreshCounter counts refresh grants on their way to the broker.
type refreshCounter struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (c refreshCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/oauth/token") && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		if form, _ := url.ParseQuery(string(body)); form.Get("grant_type") == "refresh_token" {
			c.n.Add(1)
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return c.next.RoundTrip(r)
}

func TestRenewalAgainstTheSandbox(t *testing.T) {
	ctx := context.Background()

	t.Run("calls from many goroutines across several expiries renew once per expiry", func(t *testing.T) {
		w := newWorld(t)
		first := w.stored(t)
		if got := mustKey(t, w.src, w.connID); got != first.AccessToken || w.refreshes.Load() != 0 {
			t.Fatalf("a fresh sign-in's token should be used as it is (%d refreshes)", w.refreshes.Load())
		}

		stop := make(chan struct{})
		var wg sync.WaitGroup
		var calls atomic.Int64
		errs := make(chan error, 16)
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := w.src.Key(ctx, w.connID); err != nil {
						errs <- err
						return
					}
					calls.Add(1)
					time.Sleep(50 * time.Microsecond) // leave the 2 cores some room for the servers
				}
			}()
		}

		const expiries = 4
		prev := first
		for i := int64(1); i <= expiries; i++ {
			w.clk.Advance(sandboxTTL) // the current token has now expired at the sandbox too
			// Besides the callers already running, a burst arrives at once.
			release := make(chan struct{})
			keys := make([]string, 32)
			var burst sync.WaitGroup
			for j := range keys {
				burst.Add(1)
				go func() {
					defer burst.Done()
					<-release
					keys[j], _ = w.src.Key(ctx, w.connID)
				}()
			}
			close(release)
			burst.Wait()
			key := mustKey(t, w.src, w.connID)
			for _, k := range keys {
				if k != key {
					t.Fatalf("expiry %d: a caller of the burst got another token than the renewed one", i)
				}
			}
			now := w.stored(t)
			if now.AccessToken != key || now.RefreshToken == prev.RefreshToken || !now.Expiry.Equal(w.clk.Now().Add(sandboxTTL)) {
				t.Fatalf("expiry %d: the keychain doesn't hold the renewed tokens (%v)", i, now)
			}
			if acct, err := w.stripe.AccountFor(ctx, w.src, w.connID); err != nil || acct.ID != w.accountID {
				t.Fatalf("expiry %d: Stripe refuses the renewed token: %+v, %v", i, acct, err)
			}
			if _, err := w.stripe.Account(ctx, prev.AccessToken); !errors.Is(err, stripeapi.ErrNeedsReauth) {
				t.Fatalf("expiry %d: the expired token should be refused, got %v", i, err)
			}
			if status, code := w.refreshAtBroker(t, prev.RefreshToken); status != http.StatusBadRequest || code != "invalid_grant" {
				t.Fatalf("expiry %d: the rotated-out refresh token still works (%d %s)", i, status, code)
			}
			prev = now
		}
		close(stop)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("a caller failed: %v", err)
		}
		if n := w.refreshes.Load(); n != expiries {
			t.Errorf("%d refreshes across %d expiries (%d calls), want exactly one each", n, expiries, calls.Load())
		}
		// The refresh token in the keychain is the one that works.
		if status, code := w.refreshAtBroker(t, w.stored(t).RefreshToken); status != http.StatusOK {
			t.Errorf("the keychain's refresh token is refused: %d %s", status, code)
		}
		w.log.checkClean(t, "Stripe access renewed")
		t.Logf("%d calls from 16 goroutines, %d refreshes", calls.Load(), w.refreshes.Load())
	})

	t.Run("a revoked grant ends in re-authentication with the keychain item unchanged", func(t *testing.T) {
		w := newWorld(t)
		resp, err := http.PostForm(w.base+"/_sandbox/revoke", url.Values{"account": {w.accountID}})
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %v %v", resp, err)
		}
		_ = resp.Body.Close()
		before := w.stored(t)
		w.clk.Advance(sandboxTTL)

		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.src.Key(ctx, w.connID)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if !errors.Is(err, stripeapi.ErrNeedsReauth) || !errors.Is(err, domain.KindRefreshRefused) {
				t.Errorf("err = %v, want ErrNeedsReauth (refresh refused)", err)
			}
			noSecrets(t, err, before.AccessToken, before.RefreshToken)
		}
		after := w.stored(t)
		if after.AccessToken != before.AccessToken || after.RefreshToken != before.RefreshToken || !after.Expiry.Equal(before.Expiry) {
			t.Errorf("the keychain item changed: %v → %v", before, after)
		}
		if n := w.refreshes.Load(); n != 1 {
			t.Errorf("%d refresh attempts, want 1 (a refused refresh token is not sent again)", n)
		}
		w.log.checkClean(t, "could not be renewed")
	})
}
