package brokertest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/broker"
	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// needBrokerTests skips unless LEDGERLINE_BROKER_TESTS=1 (make test-broker).
func needBrokerTests(t *testing.T) {
	t.Helper()
	if os.Getenv("LEDGERLINE_BROKER_TESTS") != "1" {
		t.Skip("set LEDGERLINE_BROKER_TESTS=1 (make test-broker) to run the replica and load tests")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startSandbox runs the Stripe sandbox in-process.
func startSandbox(t *testing.T) (base string, info sandbox.Info) {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	base, err = sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return base, sb.Info()
}

// buildBroker builds cmd/ledgerline-broker once per test binary.
var (
	buildOnce sync.Once
	brokerBin string
	buildErr  error
)

func buildBroker(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ledgerline-broker-bin")
		if err != nil {
			buildErr = err
			return
		}
		brokerBin = filepath.Join(dir, "ledgerline-broker")
		out, err := exec.Command("go", "build", "-o", brokerBin, "../../cmd/ledgerline-broker").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return brokerBin
}

// appListener plays the desktop app's loopback /callback for many
// sign-ins at once, keyed by state.
type appListener struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits map[string]url.Values
}

func newAppListener(t *testing.T) *appListener {
	a := &appListener{hits: map[string]url.Values{}}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		a.mu.Lock()
		a.hits[q.Get("state")] = q
		a.mu.Unlock()
		_, _ = io.WriteString(w, "You can close this window.")
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *appListener) redirectURI() string { return a.srv.URL + "/callback" }

func (a *appListener) got(state string) url.Values {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hits[state]
}

func oauthConfig(brokerURL string, app *appListener) *oauth2.Config {
	return &oauth2.Config{
		ClientID:    broker.ClientID,
		RedirectURL: app.redirectURI(),
		Endpoint: oauth2.Endpoint{
			AuthURL: brokerURL + "/oauth/authorize", TokenURL: brokerURL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

var (
	nonceField   = regexp.MustCompile(`name="authorization_request" value="([^"]+)"`)
	accountField = regexp.MustCompile(`name="account" value="(acct_[^"]+)"`)
)

// signIn runs one whole sign-in as the app and the person's browser do:
// the authorization URL through the broker to the sandbox's page,
// "Authorize access", the redirects back to the app's listener, and the
// token exchange with the PKCE verifier. It returns the tokens.
func signIn(ctx context.Context, brokerURL string, app *appListener) (*oauth2.Token, error) {
	conf := oauthConfig(brokerURL, app)
	verifier, state := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()[:24]
	browser := &http.Client{Timeout: 20 * time.Second, Jar: nil}
	page, err := browser.Get(conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		return nil, fmt.Errorf("authorize: %w", err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	nonce, account := nonceField.FindSubmatch(html), accountField.FindSubmatch(html)
	if page.StatusCode != http.StatusOK || nonce == nil || account == nil {
		return nil, fmt.Errorf("authorize: %d, not the sandbox's page: %.200s", page.StatusCode, html)
	}
	answer, err := browser.PostForm(page.Request.URL.String(), url.Values{
		"authorization_request": {string(nonce[1])}, "account": {string(account[1])}, "action": {"authorize"},
	})
	if err != nil {
		return nil, fmt.Errorf("allow: %w", err)
	}
	body, _ := io.ReadAll(answer.Body)
	answer.Body.Close()
	got := app.got(state)
	if got == nil || got.Get("code") == "" {
		return nil, fmt.Errorf("the app's listener got %v (last answer %d %.200s)", got, answer.StatusCode, body)
	}
	tok, err := conf.Exchange(ctx, got.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	if !strings.HasPrefix(fmt.Sprint(tok.Extra("stripe_user_id")), "acct_") {
		return nil, fmt.Errorf("no account in the tokens")
	}
	return tok, nil
}
