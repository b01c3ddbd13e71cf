package sandbox

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthorizePage(t *testing.T) {
	h := newHarness(t, Options{Seed: 11})

	t.Run("shows the accounts, the access asked for and both buttons", func(t *testing.T) {
		p := h.open("/oauth/authorize", h.connectQuery())
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		for _, want := range []string{
			"<title>Ledgerline wants to access your Stripe account</title>",
			"read-only access",
			`<form method="post">`,
			`name="action" value="authorize" class="primary">Authorize access</button>`,
			`name="action" value="deny" class="secondary">Deny</button>`,
			"#635bff",
		} {
			if !strings.Contains(p.body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if len(p.accounts) != len(h.info.Accounts) {
			t.Fatalf("page offers %d accounts, want %d", len(p.accounts), len(h.info.Accounts))
		}
		for i, a := range h.info.Accounts {
			if p.accounts[i] != a.ID || !strings.Contains(p.body, html.EscapeString(a.Name)) {
				t.Errorf("account %d: page has %q, want %q (%s)", i, p.accounts[i], a.ID, a.Name)
			}
		}
		if p.checked != h.info.Accounts[0].ID {
			t.Errorf("preselected %q, want the first account", p.checked)
		}
	})

	t.Run("loads nothing from elsewhere", func(t *testing.T) {
		p := h.open("/oauth/authorize", h.connectQuery())
		for _, bad := range []string{"<script", "<link", "src=", "@import", "url("} {
			if strings.Contains(p.body, bad) {
				t.Errorf("page contains %q", bad)
			}
		}
	})

	t.Run("says read and write when read_write is asked", func(t *testing.T) {
		q := h.connectQuery()
		q.Set("scope", "read_write")
		if p := h.open("/oauth/authorize", q); !strings.Contains(p.body, "read and write access") {
			t.Fatal("page does not mention read and write access")
		}
	})

	t.Run("Authorize access redirects with a code, the scope and the state", func(t *testing.T) {
		q := h.connectQuery()
		p := h.open("/oauth/authorize", q)
		got := h.answer("/oauth/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[1]}, "action": {"authorize"}})
		u, _ := url.Parse(got.location)
		if got.status != http.StatusFound || !strings.HasPrefix(got.location, testRedirect+"?") {
			t.Fatalf("status %d, location %q", got.status, got.location)
		}
		if v := u.Query(); !strings.HasPrefix(v.Get("code"), "ac_") || v.Get("state") != "st-123" || v.Get("scope") != "read_only" {
			t.Fatalf("redirect query %v", v)
		}
	})

	t.Run("Deny redirects with Stripe's access_denied error and the state", func(t *testing.T) {
		q := h.connectQuery()
		p := h.open("/oauth/authorize", q)
		got := h.answer("/oauth/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[0]}, "action": {"deny"}})
		want := testRedirect + "?error=access_denied&error_description=The+user+denied+your+request&state=st-123"
		if got.status != http.StatusFound || got.location != want {
			t.Fatalf("status %d, location %q, want %q", got.status, got.location, want)
		}
	})

	t.Run("the Stripe Apps page redirects with code and state only", func(t *testing.T) {
		q := h.appsQuery()
		p := h.open("/oauth/v2/authorize", q)
		got := h.answer("/oauth/v2/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[0]}, "action": {"authorize"}})
		u, _ := url.Parse(got.location)
		v := u.Query()
		if got.status != http.StatusFound || !strings.HasPrefix(v.Get("code"), "ac_") || v.Get("state") != "st-456" || v.Has("scope") {
			t.Fatalf("status %d, location %q", got.status, got.location)
		}
	})

	t.Run("each page can be answered once", func(t *testing.T) {
		q := h.connectQuery()
		p := h.open("/oauth/authorize", q)
		form := url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[0]}, "action": {"authorize"}}
		h.answer("/oauth/authorize", q, form)
		again := h.answer("/oauth/authorize", q, form)
		if again.status != http.StatusBadRequest || again.location != "" || !strings.Contains(again.body, "expired") {
			t.Fatalf("second answer: status %d, location %q", again.status, again.location)
		}
	})

	t.Run("refuses a form posted from another site", func(t *testing.T) {
		q := h.connectQuery()
		p := h.open("/oauth/authorize", q)
		req, _ := http.NewRequest(http.MethodPost, h.base+"/oauth/authorize?"+q.Encode(),
			strings.NewReader(url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[0]}, "action": {"authorize"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		resp, err := h.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" {
			t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("refuses a form without the page's nonce", func(t *testing.T) {
		got := h.answer("/oauth/authorize", h.connectQuery(), url.Values{"authorization_request": {"forged"}, "account": {h.info.Accounts[0].ID}, "action": {"authorize"}})
		if got.status != http.StatusBadRequest || got.location != "" {
			t.Fatalf("status %d, location %q", got.status, got.location)
		}
	})

	t.Run("refuses the platform or an unknown account and asks again", func(t *testing.T) {
		q := h.connectQuery()
		p := h.open("/oauth/authorize", q)
		for _, acct := range []string{h.sb.Platform().ID, "acct_nope", ""} {
			got := h.answer("/oauth/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {acct}, "action": {"authorize"}})
			if got.status != http.StatusBadRequest || got.location != "" || !strings.Contains(got.body, "Choose an account") {
				t.Fatalf("account %q: status %d, location %q", acct, got.status, got.location)
			}
		}
		// The nonce survived the mistakes: the page can still be answered.
		ok := h.answer("/oauth/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[0]}, "action": {"authorize"}})
		if ok.status != http.StatusFound {
			t.Fatalf("after the mistakes: status %d", ok.status)
		}
	})
}

func TestAuthorizePageNeverRedirectsToAnUnvalidatedURI(t *testing.T) {
	registered := "http://127.0.0.1:8787/oauth/stripe/callback"
	h := newHarness(t, Options{Seed: 5, RedirectURIs: []string{registered}})

	bad := map[string]url.Values{
		"an unknown client_id":        {"response_type": {"code"}, "client_id": {"ca_unknown"}, "redirect_uri": {registered}},
		"a missing client_id":         {"response_type": {"code"}, "redirect_uri": {registered}},
		"an unregistered redirect":    {"response_type": {"code"}, "client_id": {h.info.ClientID}, "redirect_uri": {"http://127.0.0.1:9999/steal"}},
		"a javascript: redirect":      {"response_type": {"code"}, "client_id": {h.info.ClientID}, "redirect_uri": {"javascript:alert(1)"}},
		"a registered URI plus extra": {"response_type": {"code"}, "client_id": {h.info.ClientID}, "redirect_uri": {registered + "?x=1"}},
	}
	for name, q := range bad {
		t.Run("shows an error page for "+name, func(t *testing.T) {
			p := h.open("/oauth/authorize", q)
			if p.status != http.StatusBadRequest || p.location != "" || p.nonce != "" {
				t.Fatalf("status %d, location %q, nonce %q", p.status, p.location, p.nonce)
			}
		})
	}

	t.Run("falls back to the first registered URI when none is given", func(t *testing.T) {
		q := url.Values{"response_type": {"code"}, "client_id": {h.info.ClientID}, "state": {"s"}}
		p := h.open("/oauth/authorize", q)
		got := h.answer("/oauth/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {p.accounts[0]}, "action": {"deny"}})
		if !strings.HasPrefix(got.location, registered+"?error=access_denied") {
			t.Fatalf("location %q", got.location)
		}
	})

	t.Run("sends parameter errors to a validated redirect as OAuth errors", func(t *testing.T) {
		q := url.Values{"response_type": {"code"}, "client_id": {h.info.ClientID}, "redirect_uri": {registered}, "scope": {"admin"}, "state": {"s9"}}
		p := h.open("/oauth/authorize", q)
		u, _ := url.Parse(p.location)
		if p.status != http.StatusFound || u.Query().Get("error") != "invalid_scope" || u.Query().Get("state") != "s9" {
			t.Fatalf("status %d, location %q", p.status, p.location)
		}
		q.Set("scope", "read_only")
		q.Set("response_type", "token")
		p = h.open("/oauth/authorize", q)
		if u, _ := url.Parse(p.location); u.Query().Get("error") != "unsupported_response_type" {
			t.Fatalf("location %q", p.location)
		}
	})
}
