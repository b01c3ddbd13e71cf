package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// connectToken exchanges a code at Connect's token endpoint with the secret
// key in the body, as Stripe's Connect docs show.
func (h *harness) connectToken(code string) reply {
	h.t.Helper()
	return h.post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_secret": {h.info.SecretKey}})
}

func TestConnectFlow(t *testing.T) {
	h := newHarness(t, Options{Seed: 21})
	chosen := h.info.Accounts[1]

	code := h.authorizeAs("/oauth/authorize", h.connectQuery(), chosen.ID)
	tok := h.connectToken(code)

	t.Run("the token response has Stripe's Connect fields and no expiry", func(t *testing.T) {
		if tok.status != http.StatusOK {
			t.Fatalf("status %d: %s", tok.status, tok.raw)
		}
		want := []string{"access_token", "livemode", "refresh_token", "scope", "stripe_publishable_key", "stripe_user_id", "token_type"}
		if got := keysOf(tok.json); !slices.Equal(got, want) {
			t.Fatalf("keys %v, want %v", got, want)
		}
		if tok.json["livemode"] != false || tok.str("token_type") != "bearer" || tok.str("scope") != "read_only" ||
			tok.str("stripe_user_id") != chosen.ID || !strings.HasPrefix(tok.str("access_token"), "sk_test_") ||
			!strings.HasPrefix(tok.str("refresh_token"), "rt_") || !strings.HasPrefix(tok.str("stripe_publishable_key"), "pk_test_") {
			t.Fatalf("token response %s", tok.raw)
		}
		if tok.header.Get("Cache-Control") != "no-store" || tok.header.Get("Content-Type") != "application/json" {
			t.Fatalf("headers %v", tok.header)
		}
	})

	t.Run("the access token reads the chosen account", func(t *testing.T) {
		acct := h.get("/v1/account", bearer(tok.str("access_token")))
		if acct.status != http.StatusOK || acct.str("id") != chosen.ID || acct.json["business_profile"].(map[string]any)["name"] != chosen.Name {
			t.Fatalf("status %d: %s", acct.status, acct.raw)
		}
	})

	t.Run("Connect access tokens do not expire", func(t *testing.T) {
		h.clock.Advance(10 * 365 * 24 * time.Hour)
		if acct := h.get("/v1/account", bearer(tok.str("access_token"))); acct.status != http.StatusOK {
			t.Fatalf("status %d after ten years", acct.status)
		}
	})

	t.Run("a refresh gives a new access token and keeps the refresh token", func(t *testing.T) {
		ref := h.post("/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.str("refresh_token")}})
		if ref.status != http.StatusOK || ref.str("refresh_token") != tok.str("refresh_token") ||
			ref.str("access_token") == tok.str("access_token") || ref.str("stripe_user_id") != chosen.ID {
			t.Fatalf("status %d: %s", ref.status, ref.raw)
		}
		for _, access := range []string{ref.str("access_token"), tok.str("access_token")} {
			if acct := h.get("/v1/account", bearer(access)); acct.status != http.StatusOK {
				t.Fatalf("an access token stopped working after the refresh: %d", acct.status)
			}
		}
	})

	t.Run("a refresh may narrow read_write to read_only but not widen", func(t *testing.T) {
		ref := h.post("/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.str("refresh_token")}, "scope": {"read_write"}})
		if ref.status != http.StatusBadRequest || ref.str("error") != "invalid_scope" {
			t.Fatalf("status %d: %s", ref.status, ref.raw)
		}
	})

	t.Run("deauthorize revokes the account's tokens", func(t *testing.T) {
		form := url.Values{"client_id": {h.info.ClientID}, "stripe_user_id": {chosen.ID}}
		d := h.post("/oauth/deauthorize", bearer(h.info.SecretKey), form)
		if d.status != http.StatusOK || d.raw != "{\n  \"stripe_user_id\": \""+chosen.ID+"\"\n}\n" {
			t.Fatalf("status %d: %q", d.status, d.raw)
		}
		if acct := h.get("/v1/account", bearer(tok.str("access_token"))); acct.status != http.StatusUnauthorized {
			t.Fatalf("access token still works: %d", acct.status)
		}
		ref := h.post("/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.str("refresh_token")}})
		if ref.status != http.StatusBadRequest || ref.str("error") != "invalid_grant" {
			t.Fatalf("refresh after deauthorize: %d %s", ref.status, ref.raw)
		}
		again := h.post("/oauth/deauthorize", bearer(h.info.SecretKey), form)
		if again.status != http.StatusUnauthorized || again.str("error") != "invalid_client" ||
			again.str("error_description") != "This application is not connected to stripe account "+chosen.ID+", or that account does not exist." {
			t.Fatalf("second deauthorize: %d %s", again.status, again.raw)
		}
	})
}

func TestConnectTokenEndpointAcceptsTheKeyThreeWays(t *testing.T) {
	h := newHarness(t, Options{Seed: 22})
	ways := map[string]func(form url.Values) reply{
		"client_secret in the body": func(f url.Values) reply {
			f.Set("client_secret", h.info.SecretKey)
			return h.post("/oauth/token", "", f)
		},
		"Bearer auth": func(f url.Values) reply { return h.post("/oauth/token", bearer(h.info.SecretKey), f) },
		"Basic auth":  func(f url.Values) reply { return h.post("/oauth/token", basic(h.info.SecretKey), f) },
	}
	for name, send := range ways {
		t.Run(name, func(t *testing.T) {
			code := h.authorizeAs("/oauth/authorize", h.connectQuery(), h.info.Accounts[0].ID)
			if r := send(url.Values{"grant_type": {"authorization_code"}, "code": {code}}); r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.raw)
			}
		})
	}
}

func TestAuthorizationCodes(t *testing.T) {
	h := newHarness(t, Options{Seed: 23})
	acct := h.info.Accounts[0].ID

	t.Run("a replayed code is refused and revokes the tokens issued with it", func(t *testing.T) {
		code := h.authorizeAs("/oauth/authorize", h.connectQuery(), acct)
		first := h.connectToken(code)
		replay := h.connectToken(code)
		if replay.status != http.StatusBadRequest || replay.str("error") != "invalid_grant" ||
			!strings.Contains(replay.str("error_description"), "has already been used") {
			t.Fatalf("replay: %d %s", replay.status, replay.raw)
		}
		if strings.Contains(replay.raw, code) || strings.Contains(replay.raw, code[3:]) {
			t.Fatal("the error echoes the code")
		}
		if r := h.get("/v1/account", bearer(first.str("access_token"))); r.status != http.StatusUnauthorized {
			t.Fatalf("token from the replayed code still works: %d", r.status)
		}
	})

	t.Run("a code with another redirect_uri is refused, and the right one still works", func(t *testing.T) {
		code := h.authorizeAs("/oauth/authorize", h.connectQuery(), acct)
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_secret": {h.info.SecretKey}, "redirect_uri": {"http://127.0.0.1:1/elsewhere"}}
		if r := h.post("/oauth/token", "", form); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("wrong redirect_uri: %d %s", r.status, r.raw)
		}
		form.Set("redirect_uri", testRedirect)
		if r := h.post("/oauth/token", "", form); r.status != http.StatusOK {
			t.Fatalf("right redirect_uri: %d %s", r.status, r.raw)
		}
	})

	t.Run("a code expires after CodeTTL", func(t *testing.T) {
		code := h.authorizeAs("/oauth/authorize", h.connectQuery(), acct)
		h.clock.Advance(5*time.Minute + time.Second)
		if r := h.connectToken(code); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" ||
			!strings.Contains(r.str("error_description"), "expired") {
			t.Fatalf("expired code: %d %s", r.status, r.raw)
		}
	})

	t.Run("an unknown code is refused without echoing it", func(t *testing.T) {
		r := h.connectToken("ac_DoesNotExist0000000000000wxyz")
		if r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" || strings.Contains(r.raw, "DoesNotExist") {
			t.Fatalf("unknown code: %d %s", r.status, r.raw)
		}
	})

	t.Run("a Stripe Apps code does not work at Connect's token endpoint", func(t *testing.T) {
		code := h.authorizeAs("/oauth/v2/authorize", h.appsQuery(), acct)
		if r := h.connectToken(code); r.status != http.StatusBadRequest || r.str("error") != "invalid_grant" {
			t.Fatalf("apps code at /oauth/token: %d %s", r.status, r.raw)
		}
	})
}

func TestTokenEndpointErrors(t *testing.T) {
	h := newHarness(t, Options{Seed: 24})
	code := h.authorizeAs("/oauth/authorize", h.connectQuery(), h.info.Accounts[0].ID)
	wrongKey := "sk_test_" + strings.Repeat("Z", 95) + "9876"

	cases := []struct {
		name, path, auth string
		form             url.Values
		status           int
		err, desc        string
	}{
		{"a wrong secret key", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_secret": {wrongKey}},
			401, "invalid_client", "Invalid API Key provided: sk_test_" + strings.Repeat("*", 95) + "9876"},
		{"no secret key", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}},
			401, "invalid_client", "No authentication credentials were provided. Send your secret API key in the Authorization header using the Bearer authentication method"},
		{"a restricted key instead of the secret key", "/oauth/token", bearer(h.info.Accounts[0].APIKey), url.Values{"grant_type": {"authorization_code"}, "code": {code}},
			401, "invalid_client", ""},
		{"Basic auth with the client id as username", "/v1/oauth/token", "", nil, 401, "invalid_client", ""},
		{"the secret key in the body at the Stripe Apps endpoint", "/v1/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_secret": {h.info.SecretKey}},
			401, "invalid_client", ""},
		{"an unknown client_id", "/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"ca_other"}},
			401, "invalid_client", "No such application: 'ca_other'"},
		{"no grant type", "/oauth/token", bearer(h.info.SecretKey), url.Values{"code": {code}}, 400, "invalid_request", "No grant type specified"},
		{"an unsupported grant type", "/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type", "Unsupported grant type: password"},
		{"no code", "/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"authorization_code"}}, 400, "invalid_request", "No authorization code provided"},
		{"no refresh token", "/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"refresh_token"}}, 400, "invalid_request", "No refresh token provided"},
	}
	for _, c := range cases {
		t.Run("answers "+c.err+" for "+c.name, func(t *testing.T) {
			var r reply
			if c.form == nil { // the x/oauth2 "in header" style: Basic client_id:client_secret
				req, _ := http.NewRequest(http.MethodPost, h.base+c.path, strings.NewReader(url.Values{"grant_type": {"authorization_code"}, "code": {code}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(h.info.ClientID, h.info.SecretKey)
				r = h.do(req)
			} else {
				r = h.post(c.path, c.auth, c.form)
			}
			if r.status != c.status || r.str("error") != c.err || (c.desc != "" && r.str("error_description") != c.desc) {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
			if got := keysOf(r.json); !slices.Equal(got, []string{"error", "error_description"}) {
				t.Fatalf("error keys %v", got)
			}
			if strings.Contains(r.raw, h.info.SecretKey) || strings.Contains(r.raw, wrongKey) {
				t.Fatal("the error echoes a whole key")
			}
		})
	}
	t.Run("the code survived all the refused attempts", func(t *testing.T) {
		if r := h.connectToken(code); r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
	})
}
