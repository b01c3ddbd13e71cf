package authflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestLoginFailures(t *testing.T) {
	t.Run("reports ErrDenied when the person clicks Deny, and says so in the browser", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.denies()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		_, err := flow.Login(context.Background(), LoginOptions{})
		if !errors.Is(err, ErrDenied) {
			t.Fatalf("err = %v, want ErrDenied", err)
		}
		if broker.callCount("/oauth/token") != 0 {
			t.Error("a denied sign-in still called the token endpoint")
		}
		page := browser.nextVisit(t)
		if !strings.Contains(page.body, "Access was denied in Stripe") {
			t.Errorf("browser saw %q", page.body)
		}
		assertSelfContained(t, page)
	})

	t.Run("reports another OAuth error from the browser as a BrokerError", func(t *testing.T) {
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			b.get(callbackURL(t, authURL, url.Values{"error": {"invalid_request"}, "error_description": {"redirect_uri must be loopback"}, "state": {authState(t, authURL)}}))
		})
		flow, _ := newTestFlow(t, "http://127.0.0.1:9", browser, nil)

		_, err := flow.Login(context.Background(), LoginOptions{})
		var be *BrokerError
		if !errors.As(err, &be) || be.Code != "invalid_request" || be.Description != "redirect_uri must be loopback" {
			t.Fatalf("err = %#v", err)
		}
	})

	t.Run("reports invalid_grant from the token endpoint as a BrokerError of kind signin.expired", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.refusesTokens(http.StatusBadRequest, "invalid_grant", func(url.Values) string { return "" })
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		_, err := flow.Login(context.Background(), LoginOptions{})
		var be *BrokerError
		if !errors.As(err, &be) || be.Code != "invalid_grant" || be.StatusCode != http.StatusBadRequest {
			t.Fatalf("err = %#v", err)
		}
		if k, _ := domain.KindOf(err); k != domain.KindSignInExpired || !errors.Is(err, domain.KindBrokerRefused) {
			t.Errorf("kind = %q", k)
		}
		if page := browser.nextVisit(t); !strings.Contains(page.body, "Return to Ledgerline") {
			t.Errorf("browser saw %q", page.body)
		}
	})

	t.Run("reports ErrBrokerUnreachable, naming the broker's host, when the broker is down", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			b.get(callbackURL(t, authURL, url.Values{"code": {randomHex("ac_")}, "state": {authState(t, authURL)}}))
		})
		flow, _ := newTestFlow(t, down.URL, browser, nil)

		_, err := flow.Login(context.Background(), LoginOptions{})
		if !errors.Is(err, ErrBrokerUnreachable) {
			t.Fatalf("err = %v, want ErrBrokerUnreachable", err)
		}
		host := strings.TrimPrefix(down.URL, "http://")
		if _, f := domain.KindOf(err); f[domain.FactHost] != strings.Split(host, ":")[0] && f[domain.FactHost] != host {
			t.Errorf("facts %v don't name %s", f, host)
		}
		if !errors.Is(err, domain.KindOffline) {
			t.Errorf("%v is not also an offline error", err)
		}
	})

	t.Run("times out with ErrTimeout when the browser never comes back, and closes the port", func(t *testing.T) {
		browser := newFakeBrowser(t, nil)
		flow, _ := newTestFlow(t, "http://127.0.0.1:9", browser, func(c *Config) { c.Timeout = 100 * time.Millisecond })

		_, err := flow.Login(context.Background(), LoginOptions{})
		if !errors.Is(err, ErrTimeout) || errors.Is(err, domain.ErrCanceled) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if _, f := domain.KindOf(err); f[domain.FactWait] != "100ms" {
			t.Errorf("facts = %v", f)
		}
		ru, _ := url.Parse(callbackURL(t, <-browser.opened, nil))
		if conn, err := net.DialTimeout("tcp", ru.Host, time.Second); err == nil {
			conn.Close()
			t.Error("the listener still answers after the timeout")
		}
	})

	t.Run("stops with domain.ErrCanceled when the person clicks Cancel", func(t *testing.T) {
		browser := newFakeBrowser(t, nil)
		flow, _ := newTestFlow(t, "http://127.0.0.1:9", browser, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := flow.Login(ctx, LoginOptions{}); done <- err }()
		browser.waitOpened(t)
		cancel()

		err := <-done
		if !errors.Is(err, domain.ErrCanceled) || errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want domain.ErrCanceled", err)
		}
		if k, _ := domain.KindOf(err); k != domain.KindSignInCanceled {
			t.Errorf("kind = %q", k)
		}
	})

	t.Run("returns ErrBusy at once for a second login, and allows one again afterwards", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		var played atomic.Int32
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			if played.Add(1) > 1 { // the first browser never comes back
				b.get(authURL)
			}
		})
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := flow.Login(ctx, LoginOptions{}); done <- err }()
		browser.waitOpened(t)

		if _, err := flow.Login(context.Background(), LoginOptions{}); !errors.Is(err, ErrBusy) {
			t.Fatalf("second Login: %v, want ErrBusy", err)
		}
		cancel()
		<-done
		if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
			t.Fatalf("Login after the first ended: %v", err)
		}
	})

	t.Run("reports ErrBrowser when the browser can't be opened", func(t *testing.T) {
		browser := newFakeBrowser(t, nil)
		flow, _ := newTestFlow(t, "http://127.0.0.1:9", browser, func(c *Config) {
			c.OpenURL = func(u string) error { return fmt.Errorf("xdg-open failed for %s", u) }
		})
		_, err := flow.Login(context.Background(), LoginOptions{})
		if !errors.Is(err, ErrBrowser) || strings.Contains(err.Error(), "state=") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("follows no redirect from the token endpoint", func(t *testing.T) {
		for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
			var elsewhere atomic.Int32
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				elsewhere.Add(1)
				writeJSON(w, http.StatusOK, map[string]any{"access_token": "at_stolen", "token_type": "bearer", "stripe_user_id": testAccount})
			}))
			broker := newFakeBroker(t)
			broker.approves()
			broker.handle("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/oauth/token", status)
			})
			browser := newFakeBrowser(t, follows)
			flow, _ := newTestFlow(t, broker.URL(), browser, nil)

			_, err := flow.Login(context.Background(), LoginOptions{})
			var be *BrokerError
			if !errors.As(err, &be) || be.StatusCode != status {
				t.Errorf("%d: err = %#v, want a BrokerError with that status", status, err)
			}
			other.Close()
			if n := elsewhere.Load(); n != 0 {
				t.Errorf("%d: the redirect target saw %d requests", status, n)
			}
		}
	})
}

func TestNoSecretsLeak(t *testing.T) {
	t.Run("a full sign-in logs no code, state, verifier or token", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, logs := newTestFlow(t, broker.URL(), browser, nil)

		res, err := flow.Login(context.Background(), LoginOptions{Mode: "live"})
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		form := broker.lastTokenForm()
		secrets := map[string]string{
			"code": form.Get("code"), "state": broker.lastAuthorize().Get("state"), "verifier": form.Get("code_verifier"),
			"access token": res.Token.AccessToken, "refresh token": res.Token.RefreshToken,
		}
		if !strings.Contains(logs.String(), "Stripe sign-in finished") {
			t.Fatalf("the log captured nothing useful: %q", logs.String())
		}
		assertNoSecrets(t, "the log", logs.String(), secrets)
		assertNoSecrets(t, "the result's log value", fmt.Sprint(res.LogValue()), secrets)
	})

	t.Run("a broker that echoes secrets in its error leaks none into the error, the page or the log", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.refusesTokens(http.StatusBadRequest, "invalid_grant", func(f url.Values) string {
			return "code " + f.Get("code") + " with verifier " + f.Get("code_verifier") + " is spent"
		})
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			state := authState(t, authURL)
			b.get(callbackURL(t, authURL, url.Values{"code": {"forged"}, "state": {state + "x"}}))
			b.get(authURL)
		})
		flow, logs := newTestFlow(t, broker.URL(), browser, nil)

		_, err := flow.Login(context.Background(), LoginOptions{})
		if err == nil {
			t.Fatal("Login succeeded against a refusing broker")
		}
		form := broker.lastTokenForm()
		secrets := map[string]string{"code": form.Get("code"), "state": broker.lastAuthorize().Get("state"), "verifier": form.Get("code_verifier")}
		assertNoSecrets(t, "the error", err.Error(), secrets)
		assertNoSecrets(t, "the log", logs.String(), secrets)
		browser.nextVisit(t) // the forged callback
		assertNoSecrets(t, "the page", browser.nextVisit(t).body, secrets)
		if !strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("error %q lost the broker's description entirely", err.Error())
		}
	})

	t.Run("a broker that is down gets no secret into the error", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		code := randomHex("ac_")
		var state string
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			state = authState(t, authURL)
			b.get(callbackURL(t, authURL, url.Values{"code": {code}, "state": {state}}))
		})
		flow, logs := newTestFlow(t, down.URL, browser, nil)

		_, err := flow.Login(context.Background(), LoginOptions{})
		if err == nil {
			t.Fatal("Login succeeded against a closed broker")
		}
		browser.nextVisit(t)
		secrets := map[string]string{"code": code, "state": state}
		assertNoSecrets(t, "the error", err.Error(), secrets)
		assertNoSecrets(t, "the log", logs.String(), secrets)
	})
}
