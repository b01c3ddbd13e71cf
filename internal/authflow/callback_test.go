package authflow

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCallback(t *testing.T) {
	t.Run("rejects a callback with the wrong state and still accepts the right one", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			b.get(callbackURL(t, authURL, url.Values{"code": {"forged"}, "state": {"not-the-state"}}))
			b.get(authURL)
		})
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		res, err := flow.Login(context.Background(), LoginOptions{})
		if err != nil {
			t.Fatalf("Login after a wrong state: %v", err)
		}
		forged := browser.nextVisit(t)
		if forged.status != http.StatusBadRequest || !strings.Contains(forged.body, "belong to the sign-in Ledgerline started") {
			t.Errorf("wrong state got %d %q", forged.status, forged.body)
		}
		if res.AccountID != testAccount {
			t.Errorf("account = %q", res.AccountID)
		}
		if form := broker.lastTokenForm(); form.Get("code") == "forged" {
			t.Error("the forged code was exchanged")
		}
	})

	t.Run("rejects a callback without a state or with two", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			state := authState(t, authURL)
			b.get(callbackURL(t, authURL, url.Values{"code": {"forged"}}))
			b.get(callbackURL(t, authURL, url.Values{"code": {"forged"}, "state": {state, state}}))
			b.get(authURL)
		})
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
			t.Fatalf("Login: %v", err)
		}
		for _, name := range []string{"missing state", "repeated state"} {
			if v := browser.nextVisit(t); v.status != http.StatusBadRequest {
				t.Errorf("%s got %d", name, v.status)
			}
		}
		if v := browser.nextVisit(t); v.status != http.StatusOK {
			t.Errorf("right callback got %d", v.status)
		}
	})

	t.Run("closes the port after success, so a second callback is refused", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
			t.Fatalf("Login: %v", err)
		}
		first := browser.nextVisit(t)
		if first.status != http.StatusOK {
			t.Fatalf("first callback got %d", first.status)
		}
		_, err := browser.client.Get(first.url.String())
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("second callback: err = %v, want connection refused", err)
		}
	})

	t.Run("listens on the loopback interface only", func(t *testing.T) {
		browser := newFakeBrowser(t, nil)
		flow, _ := newTestFlow(t, "http://127.0.0.1:9", browser, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := flow.Login(ctx, LoginOptions{}); done <- err }()
		authURL := browser.waitOpened(t)

		ru, err := url.Parse(callbackURL(t, authURL, nil))
		if err != nil || ru.Hostname() != "127.0.0.1" {
			t.Errorf("redirect URI host = %q, want 127.0.0.1 (not localhost, not 0.0.0.0)", ru.Hostname())
		}
		if conn, err := net.DialTimeout("tcp", ru.Host, time.Second); err != nil {
			t.Errorf("the listener doesn't answer on 127.0.0.1: %v", err)
		} else {
			conn.Close()
		}
		if addr := nonLoopbackAddr(); addr == "" {
			t.Log("no non-loopback address on this machine; skipped dialing one")
		} else if conn, err := net.DialTimeout("tcp", net.JoinHostPort(addr, ru.Port()), time.Second); err == nil {
			conn.Close()
			t.Errorf("the listener answers on %s, off the loopback interface", addr)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Login after cancel: %v", err)
		}
	})

	t.Run("answers 404 to other paths, 405 to other methods and 400 to another host, and keeps waiting", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		statuses := make(chan []int, 1)
		browser := newFakeBrowser(t, func(b *fakeBrowser, authURL string) {
			cb, _ := url.Parse(callbackURL(t, authURL, url.Values{"code": {"x"}, "state": {authState(t, authURL)}}))
			var got []int
			for _, r := range []struct{ method, path, host string }{
				{"GET", "/", ""}, {"GET", "/callback/", ""}, {"GET", "/favicon.ico", ""},
				{"POST", "/callback", ""}, {"HEAD", "/callback", ""}, {"GET", "/callback", "localhost:" + cb.Port()},
			} {
				u := *cb
				u.Path = r.path
				req, _ := http.NewRequest(r.method, u.String(), nil)
				if r.host != "" {
					req.Host = r.host
				}
				resp, err := b.client.Do(req)
				if err != nil {
					t.Errorf("%s %s: %v", r.method, r.path, err)
					got = append(got, 0)
					continue
				}
				resp.Body.Close()
				got = append(got, resp.StatusCode)
			}
			statuses <- got
			b.get(authURL)
		})
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
			t.Fatalf("Login after stray requests: %v", err)
		}
		want := []int{404, 404, 404, 405, 405, 400}
		got := <-statuses
		for i := range want {
			if i >= len(got) || got[i] != want[i] {
				t.Fatalf("statuses = %v, want %v", got, want)
			}
		}
	})

	t.Run("serves a self-contained success page with the security headers", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.approves()
		broker.issuesTokens()
		browser := newFakeBrowser(t, follows)
		flow, _ := newTestFlow(t, broker.URL(), browser, nil)

		if _, err := flow.Login(context.Background(), LoginOptions{}); err != nil {
			t.Fatalf("Login: %v", err)
		}
		page := browser.nextVisit(t)
		assertSelfContained(t, page)
		if !strings.Contains(page.body, "you can close this tab") {
			t.Errorf("page = %q", page.body)
		}
	})
}

var externalRef = regexp.MustCompile(`(?i)https?://|//[a-z0-9]|\bsrc\s*=|\bhref\s*=|url\(|@import|<script|<link|<img|<iframe`)

func assertSelfContained(t *testing.T, page visit) {
	t.Helper()
	if page.err != nil {
		t.Fatalf("browser: %v", page.err)
	}
	if m := externalRef.FindString(page.body); m != "" {
		t.Errorf("page refers to something outside itself: %q", m)
	}
	want := map[string]string{
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
		"X-Content-Type-Options":  "nosniff",
		"Content-Type":            "text/html; charset=utf-8",
	}
	for k, v := range want {
		if got := page.header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}
