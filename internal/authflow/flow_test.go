package authflow

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestLoginConnects(t *testing.T) {
	t.Run("connects and returns the account, tokens and mode the broker names", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		res, err := flow.Login(context.Background(), LoginOptions{Mode: "live"})
		if err != nil {
			t.Fatalf("Login: %v", err)
		}

		if res.AccountID != testAccount || !res.Livemode || res.Scope != "stripe_apps" || res.PublishableKey != "pk_live_TestKey" {
			t.Errorf("result = %+v", *res)
		}
		access, refresh := broker.issuedTokens()
		if len(access) != 1 || res.Token.AccessToken != access[0] || res.Token.RefreshToken != refresh[0] {
			t.Errorf("tokens differ from the ones the broker issued")
		}
		if want := testNow.Add(time.Hour); !res.Token.Expiry.Equal(want) {
			t.Errorf("expiry = %v, want %v (Config.Now + expires_in)", res.Token.Expiry, want)
		}
		if got := res.Token.Extra("stripe_user_id"); got != testAccount {
			t.Errorf("token extra stripe_user_id = %v", got)
		}
		if got := res.Token.Extra("access_token"); got != nil {
			t.Errorf("token extras still hold the raw response (access_token = %v)", got != nil)
		}
		page := browser.nextVisit(t)
		if page.status != http.StatusOK || !strings.Contains(page.body, "Ledgerline is connected") {
			t.Errorf("browser saw %d %q", page.status, page.body)
		}
	})

	t.Run("sends an S256 challenge of the verifier it later sends, and a state of 128 bits or more", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
			t.Fatalf("Login: %v", err)
		}

		authz, form := broker.lastAuthorize(), broker.lastTokenForm()
		if authz.Get("code_challenge_method") != "S256" {
			t.Errorf("challenge method = %q", authz.Get("code_challenge_method"))
		}
		verifier := form.Get("code_verifier")
		if len(verifier) < 43 {
			t.Errorf("verifier has %d characters, RFC 7636 asks for 43 or more", len(verifier))
		}
		if oauth2.S256ChallengeFromVerifier(verifier) != authz.Get("code_challenge") {
			t.Error("the challenge is not the S256 of the verifier sent to the token endpoint")
		}
		raw, err := base64.RawURLEncoding.DecodeString(authz.Get("state"))
		if err != nil || len(raw)*8 < 128 {
			t.Errorf("state %d bits (err %v), want >= 128", len(raw)*8, err)
		}
		if authz.Has("mode") {
			t.Errorf("mode sent although none was asked: %q", authz.Get("mode"))
		}
	})

	t.Run("redirects to http://127.0.0.1:PORT/callback and sends the same redirect_uri and client_id to the token endpoint", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		if _, err := flow.Login(context.Background(), LoginOptions{Mode: "test"}); err != nil {
			t.Fatalf("Login: %v", err)
		}

		authz, form := broker.lastAuthorize(), broker.lastTokenForm()
		ru, err := url.Parse(authz.Get("redirect_uri"))
		if err != nil || ru.Scheme != "http" || ru.Hostname() != "127.0.0.1" || ru.Port() == "" || ru.Path != "/callback" {
			t.Errorf("redirect_uri = %q", authz.Get("redirect_uri"))
		}
		if form.Get("redirect_uri") != authz.Get("redirect_uri") {
			t.Errorf("token redirect_uri %q differs from authorize %q", form.Get("redirect_uri"), authz.Get("redirect_uri"))
		}
		if form.Get("client_id") != "ledgerline-desktop" || form.Get("grant_type") != "authorization_code" {
			t.Errorf("token form client_id=%q grant_type=%q", form.Get("client_id"), form.Get("grant_type"))
		}
		if authz.Get("mode") != "test" {
			t.Errorf("mode = %q, want test", authz.Get("mode"))
		}
	})

	t.Run("uses a fresh state and verifier for every login", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)
		for range 2 {
			if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
				t.Fatalf("Login: %v", err)
			}
		}
		a, b := broker.authorizeQuery(0), broker.authorizeQuery(1)
		if a.Get("state") == b.Get("state") || a.Get("code_challenge") == b.Get("code_challenge") || a.Get("redirect_uri") == b.Get("redirect_uri") {
			t.Errorf("two logins shared state, challenge or port: %v / %v", a, b)
		}
	})

	t.Run("refuses an unknown mode before opening the browser", func(t *testing.T) {
		browser := newFakeBrowser(t, nil)
		flow, _ := newTestFlow(t, "https://broker.example", browser, nil)
		_, err := flow.Login(context.Background(), LoginOptions{Mode: "prod"})
		if err == nil || !strings.Contains(err.Error(), "test or live") {
			t.Fatalf("err = %v", err)
		}
		if len(browser.opened) != 0 {
			t.Errorf("browser opened %q", <-browser.opened)
		}
	})
}

func TestNew(t *testing.T) {
	open := func(string) error { return nil }
	t.Run("accepts https brokers and http only on loopback IPs", func(t *testing.T) {
		good := []string{"https://broker.ledgerline.app", "https://broker.example/base/", "http://127.0.0.1:8787", "http://[::1]:8787"}
		for _, u := range good {
			if _, err := New(Config{BrokerURL: u, OpenURL: open}); err != nil {
				t.Errorf("New(%q): %v", u, err)
			}
		}
		bad := []string{"", "http://broker.example", "http://localhost:8787", "http://10.0.0.1", "ftp://broker.example",
			"https://user:pw@broker.example", "https://broker.example?x=1", "broker.example", "https://"}
		for _, u := range bad {
			if _, err := New(Config{BrokerURL: u, OpenURL: open}); err == nil {
				t.Errorf("New(%q) accepted", u)
			} else if strings.Contains(err.Error(), "pw") {
				t.Errorf("New(%q) error echoes the password: %v", u, err)
			}
		}
	})

	t.Run("requires an OpenURL", func(t *testing.T) {
		if _, err := New(Config{BrokerURL: "https://broker.example"}); err == nil {
			t.Error("New without OpenURL accepted")
		}
	})

	t.Run("builds the oauth2 config against the broker", func(t *testing.T) {
		f, err := New(Config{BrokerURL: "https://broker.example/base/", OpenURL: open})
		if err != nil {
			t.Fatal(err)
		}
		c := f.OAuth2Config("http://127.0.0.1:5555/callback")
		if c.ClientID != "ledgerline-desktop" || c.Endpoint.AuthURL != "https://broker.example/base/oauth/authorize" ||
			c.Endpoint.TokenURL != "https://broker.example/base/oauth/token" || c.Endpoint.AuthStyle != oauth2.AuthStyleInParams ||
			c.RedirectURL != "http://127.0.0.1:5555/callback" || c.ClientSecret != "" {
			t.Errorf("config = %+v", c)
		}
		hc, _ := f.OAuth2Context(context.Background()).Value(oauth2.HTTPClient).(*http.Client)
		if hc == nil || hc.CheckRedirect == nil || hc.Timeout <= 0 {
			t.Errorf("OAuth2Context carries %+v", hc)
		}
	})

	t.Run("copies the caller's HTTP client instead of changing it", func(t *testing.T) {
		mine := &http.Client{}
		if _, err := New(Config{BrokerURL: "https://broker.example", OpenURL: open, HTTPClient: mine}); err != nil {
			t.Fatal(err)
		}
		if mine.CheckRedirect != nil || mine.Timeout != 0 {
			t.Error("New changed the caller's client")
		}
	})
}
