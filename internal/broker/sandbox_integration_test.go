package broker_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/broker"
	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// sandboxRig is the real sandbox, a real broker in front of it, and the
// app's loopback listener, all on 127.0.0.1.
type sandboxRig struct {
	t         *testing.T
	sandbox   *sandbox.Server
	info      sandbox.Info
	brokerCfg broker.Config
	brokerURL string
	app       *appListener
	browser   *http.Client // follows redirects, as a browser does
}

// appListener plays the desktop app's loopback /callback.
type appListener struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits []url.Values
}

func (a *appListener) redirectURI() string { return a.srv.URL + "/callback" }

func (a *appListener) last(t *testing.T) url.Values {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.hits) == 0 {
		t.Fatal("the app's loopback listener was never reached")
	}
	return a.hits[len(a.hits)-1]
}

func newSandboxRig(t *testing.T, flavor broker.Flavor, tweak ...func(*sandbox.Options)) *sandboxRig {
	t.Helper()
	opts := sandbox.Options{Seed: 1}
	for _, f := range tweak {
		f(&opts)
	}
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	info := sb.Info()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := broker.Config{
		Flavor: flavor, ClientID: info.ClientID, SecretKey: info.SecretKey,
		PublicURL: "http://" + ln.Addr().String(), ConnectBase: base, APIBase: base,
	}
	b, err := broker.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bs := &httptest.Server{Listener: ln, Config: &http.Server{Handler: b.Handler()}}
	bs.Start()
	t.Cleanup(bs.Close)

	app := &appListener{}
	app.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		app.mu.Lock()
		app.hits = append(app.hits, r.URL.Query())
		app.mu.Unlock()
		_, _ = io.WriteString(w, "You can close this window.")
	}))
	t.Cleanup(app.srv.Close)
	return &sandboxRig{
		t: t, sandbox: sb, info: info, brokerCfg: cfg, brokerURL: bs.URL, app: app,
		browser: &http.Client{Timeout: 10 * time.Second},
	}
}

func (r *sandboxRig) oauthConfig() *oauth2.Config {
	return &oauth2.Config{
		ClientID:    broker.ClientID,
		RedirectURL: r.app.redirectURI(),
		Endpoint: oauth2.Endpoint{
			AuthURL: r.brokerURL + "/oauth/authorize", TokenURL: r.brokerURL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

var (
	nonceField   = regexp.MustCompile(`name="authorization_request" value="([^"]+)"`)
	accountField = regexp.MustCompile(`name="account" value="(acct_[^"]+)"`)
)

// signIn opens the authorization URL in the "browser", answers the
// sandbox's page with action ("authorize" or "deny") for its first account,
// follows the redirects to the app's listener and returns what it got.
func (r *sandboxRig) signIn(state, verifier, action string) (url.Values, string) {
	t := r.t
	t.Helper()
	authURL := r.oauthConfig().AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	page, err := r.browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(html), "Authorize access") {
		t.Fatalf("expected the sandbox's authorize page, got %d at %s", page.StatusCode, page.Request.URL.Path)
	}
	nonce, account := nonceField.FindSubmatch(html), accountField.FindSubmatch(html)
	if nonce == nil || account == nil {
		t.Fatal("the authorize page has no request nonce or account to choose")
	}
	answer, err := r.browser.PostForm(page.Request.URL.String(), url.Values{
		"authorization_request": {string(nonce[1])}, "account": {string(account[1])}, "action": {action},
	})
	if err != nil {
		t.Fatal(err)
	}
	answer.Body.Close()
	if answer.Request.URL.Host != r.app.srv.Listener.Addr().String() {
		t.Fatalf("the browser ended at %s, not the app's listener", answer.Request.URL.Host)
	}
	return r.app.last(t), string(account[1])
}

func (r *sandboxRig) accountIDFor(accessToken string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, r.info.BaseURL+"/v1/account", nil)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := r.browser.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	var acct struct{ ID string }
	_ = json.NewDecoder(resp.Body).Decode(&acct)
	return resp.StatusCode, acct.ID
}

func TestBrokerWithSandbox(t *testing.T) {
	for _, flavor := range []broker.Flavor{broker.FlavorApps, broker.FlavorConnect} {
		t.Run(string(flavor)+" flavour: sign in on the sandbox page, exchange, refresh, revoke", func(t *testing.T) {
			rig := newSandboxRig(t, flavor)
			ctx := context.Background()
			verifier := oauth2.GenerateVerifier()
			state := rand.Text()

			// When the owner clicks "Authorize access" on the sandbox's page,
			got, account := rig.signIn(state, verifier, "authorize")
			// then the app's listener receives a broker code and its own state,
			if got.Get("state") != state || got.Get("code") == "" || got.Has("error") {
				t.Fatalf("the app received %v", got)
			}
			// and exchanging it with the verifier yields the sandbox's tokens for that account.
			tok, err := rig.oauthConfig().Exchange(ctx, got.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			if tok.Extra("stripe_user_id") != account || tok.Extra("livemode") != false {
				t.Fatalf("token for %v (livemode %v), want %s in test mode", tok.Extra("stripe_user_id"), tok.Extra("livemode"), account)
			}
			if status, id := rig.accountIDFor(tok.AccessToken); status != http.StatusOK || id != account {
				t.Fatalf("the access token reads %d %q, want %s", status, id, account)
			}
			if (flavor == broker.FlavorApps) == tok.Expiry.IsZero() {
				t.Fatalf("expiry %v is wrong for the %s flavour", tok.Expiry, flavor)
			}

			// When the app refreshes, it gets a working new access token
			// (and, for Stripe Apps, a rotated refresh token).
			ts := rig.oauthConfig().TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)})
			tok2, err := ts.Token()
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if rotated := tok2.RefreshToken != tok.RefreshToken; rotated != (flavor == broker.FlavorApps) {
				t.Fatalf("refresh token rotated = %v in the %s flavour", rotated, flavor)
			}
			if status, id := rig.accountIDFor(tok2.AccessToken); status != http.StatusOK || id != account {
				t.Fatalf("the refreshed token reads %d %q", status, id)
			}

			// A replayed code is refused.
			if _, err := rig.oauthConfig().Exchange(ctx, got.Get("code"), oauth2.VerifierOption(verifier)); !isInvalidGrant(err) {
				t.Fatalf("replayed code: %v, want invalid_grant", err)
			}

			// When the app disconnects, the sandbox no longer accepts the token.
			status, body := postForm(t, rig.brokerURL+"/oauth/revoke", url.Values{"token": {tok2.RefreshToken}, "token_type_hint": {"refresh_token"}, "client_id": {broker.ClientID}})
			if status != http.StatusOK || !strings.Contains(body, `"revoked":true`) || !strings.Contains(body, account) {
				t.Fatalf("revoke: %d %s", status, body)
			}
			if status, _ := rig.accountIDFor(tok2.AccessToken); status != http.StatusUnauthorized {
				t.Fatalf("after revoke the token still reads the account (%d)", status)
			}
		})

		t.Run(string(flavor)+" flavour: a code replayed at another replica is refused by the sandbox", func(t *testing.T) {
			rig := newSandboxRig(t, flavor)
			verifier := oauth2.GenerateVerifier()
			got, _ := rig.signIn(rand.Text(), verifier, "authorize")
			if _, err := rig.oauthConfig().Exchange(context.Background(), got.Get("code"), oauth2.VerifierOption(verifier)); err != nil {
				t.Fatal(err)
			}
			replica, err := broker.New(rig.brokerCfg)
			if err != nil {
				t.Fatal(err)
			}
			rs := httptest.NewServer(replica.Handler())
			t.Cleanup(rs.Close)
			conf := rig.oauthConfig()
			conf.Endpoint.TokenURL = rs.URL + "/oauth/token"
			if _, err := conf.Exchange(context.Background(), got.Get("code"), oauth2.VerifierOption(verifier)); !isInvalidGrant(err) {
				t.Fatalf("replay at a replica: %v, want invalid_grant", err)
			}
		})

		t.Run(string(flavor)+" flavour: Deny on the sandbox page reaches the app as access_denied", func(t *testing.T) {
			rig := newSandboxRig(t, flavor)
			state := rand.Text()
			got, _ := rig.signIn(state, oauth2.GenerateVerifier(), "deny")
			if got.Get("error") != "access_denied" || got.Get("state") != state || got.Has("code") {
				t.Fatalf("the app received %v", got)
			}
		})
	}
}

func isInvalidGrant(err error) bool {
	re, ok := err.(*oauth2.RetrieveError)
	return ok && re.ErrorCode == "invalid_grant"
}

func postForm(t *testing.T, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(body))
}
