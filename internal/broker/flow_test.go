package broker

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// appOAuthConfig is the desktop app's golang.org/x/oauth2 configuration
// for this broker, as the contract describes it.
func appOAuthConfig(env *testEnv, app testApp) *oauth2.Config {
	return &oauth2.Config{
		ClientID:    ClientID,
		RedirectURL: app.redirectURI,
		Endpoint: oauth2.Endpoint{
			AuthURL:   env.srv.URL + pathAuthorize,
			TokenURL:  env.srv.URL + pathToken,
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

func TestConnectFlow(t *testing.T) {
	for _, flavor := range []Flavor{FlavorApps, FlavorConnect} {
		t.Run(string(flavor)+" flavour: connect, exchange with PKCE, refresh, revoke", func(t *testing.T) {
			// Given a broker in front of Stripe and the app's x/oauth2 client.
			env := newTestEnv(t, flavor)
			fs := env.stripe
			fs.expect("POST "+fs.tokenPath(), "POST "+fs.deauthorizePath())
			app := newTestApp()
			conf := appOAuthConfig(env, app)
			ctx := context.WithValue(context.Background(), oauth2.HTTPClient, env.http)

			// When the app opens the authorization URL x/oauth2 builds with S256 PKCE,
			authURL := conf.AuthCodeURL(app.state, oauth2.S256ChallengeOption(app.verifier))
			resp, err := env.http.Get(authURL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// then the broker sends the browser to Stripe with its own callback and a sealed state.
			loc := mustRedirect(t, resp)
			if !strings.HasPrefix(loc.String(), fs.srv.URL) || loc.Query().Get("redirect_uri") != env.srv.URL+pathStripeCallback {
				t.Fatalf("authorize went to %s", loc)
			}
			sealedState := loc.Query().Get("state")

			// When the owner allows access and Stripe calls the broker back,
			stripeCode := fs.approve("acct_1Happy")
			resp = env.get(pathStripeCallback, url.Values{"code": {stripeCode}, "state": {sealedState}})
			// then the browser goes to the app's loopback listener with a broker code and the app's state.
			back := mustRedirect(t, resp)
			if back.Scheme+"://"+back.Host+back.Path != app.redirectURI || back.Query().Get("state") != app.state {
				t.Fatalf("callback sent the browser to %s", back)
			}
			code := back.Query().Get("code")
			if len(fs.callsTo(fs.tokenPath())) != 0 {
				t.Fatal("the broker exchanged Stripe's code before the app proved PKCE")
			}

			// When the app exchanges the code with its verifier,
			tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(app.verifier))
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			// then it holds Stripe's tokens and account fields,
			if !strings.HasPrefix(tok.AccessToken, "sk_test_fakeaccess") || tok.RefreshToken == "" || tok.TokenType != "bearer" {
				t.Fatalf("token: type %q, access set %v, refresh set %v", tok.TokenType, tok.AccessToken != "", tok.RefreshToken != "")
			}
			if tok.Extra("stripe_user_id") != "acct_1Happy" || tok.Extra("livemode") != false || tok.Extra("stripe_publishable_key") != "pk_test_acct_1Happy" {
				t.Fatalf("account fields: %v %v %v", tok.Extra("stripe_user_id"), tok.Extra("livemode"), tok.Extra("stripe_publishable_key"))
			}
			wantScope := map[Flavor]string{FlavorApps: "stripe_apps", FlavorConnect: "read_only"}[flavor]
			if tok.Extra("scope") != wantScope {
				t.Fatalf("scope %v, want %s", tok.Extra("scope"), wantScope)
			}
			if hasExpiry := !tok.Expiry.IsZero(); hasExpiry != (flavor == FlavorApps) {
				t.Fatalf("expiry %v: apps tokens last an hour, connect tokens don't expire", tok.Expiry)
			}
			// and Stripe saw its own code with the platform's credentials, as the flavour sends them.
			call := fs.callsTo(fs.tokenPath())[0]
			if call.Form["code"] != stripeCode || call.Form["grant_type"] != "authorization_code" {
				t.Fatalf("Stripe token call form: %v", call.Form)
			}
			if flavor == FlavorApps && (call.BasicUser != testSecretKey || call.Form["client_secret"] != "") {
				t.Fatal("apps flavour must send the secret key as basic auth only")
			}
			if flavor == FlavorConnect && (call.Form["client_secret"] != testSecretKey || call.BasicUser != "") {
				t.Fatal("connect flavour must send client_secret in the body only")
			}

			// When the access token is due, x/oauth2 refreshes through the broker
			ts := conf.TokenSource(ctx, &oauth2.Token{AccessToken: "old", RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)})
			tok2, err := ts.Token()
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			// and gets Stripe's new tokens, the rotated refresh token as is.
			refreshCalls := fs.callsTo(fs.tokenPath())
			if last := refreshCalls[len(refreshCalls)-1]; last.Form["grant_type"] != "refresh_token" || last.Form["refresh_token"] != tok.RefreshToken {
				t.Fatalf("refresh was not forwarded to Stripe: %v", last.Form)
			}
			if tok2.RefreshToken == "" || tok2.RefreshToken == tok.RefreshToken || tok2.AccessToken == tok.AccessToken {
				t.Fatal("refresh did not return Stripe's new tokens")
			}
			if flavor == FlavorApps {
				// The used refresh token is dead at Stripe, and the broker says invalid_grant.
				status, body := env.postForm(pathToken, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {ClientID}})
				wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
				if strings.Contains(body["error_description"].(string), tok.RefreshToken) {
					t.Fatal("the error repeats the refresh token")
				}
			}

			// When the app disconnects with its refresh token,
			revokeWith := tok2.RefreshToken
			status, body := env.postForm(pathRevoke, url.Values{"token": {revokeWith}, "token_type_hint": {"refresh_token"}, "client_id": {ClientID}})
			// then the broker learns the account by renewing the token at Stripe and deauthorizes it.
			if status != http.StatusOK || body["revoked"] != true || body["stripe_user_id"] != "acct_1Happy" {
				t.Fatalf("revoke: %d %v, want 200 revoked for acct_1Happy", status, body)
			}
			if fs.isConnected("acct_1Happy") {
				t.Fatal("the account is still connected at Stripe")
			}
			renew := fs.callsTo(fs.tokenPath())
			if last := renew[len(renew)-1]; last.Form["grant_type"] != "refresh_token" || last.Form["refresh_token"] != revokeWith {
				t.Fatalf("the account was not learnt by renewing the app's refresh token: %v", last.Form)
			}
			deauth := fs.callsTo(fs.deauthorizePath())[0]
			if deauth.Form["stripe_user_id"] != "acct_1Happy" || deauth.Form["client_id"] != testClientID || deauth.BasicUser != testSecretKey {
				t.Fatalf("deauthorize call: %+v", deauth.Form)
			}

			// And revoking again says truthfully that Stripe no longer renews the token.
			status, body = env.postForm(pathRevoke, url.Values{"token": {revokeWith}, "token_type_hint": {"refresh_token"}, "client_id": {ClientID}})
			wantOAuthError(t, status, body, http.StatusBadRequest, "invalid_grant")
			if n := len(fs.callsTo(fs.deauthorizePath())); n != 1 {
				t.Fatalf("deauthorize called %d times, want once", n)
			}
		})
	}

	t.Run("an IPv6 loopback redirect and an explicit matching mode are accepted", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		env.stripe.expect("POST /v1/oauth/token")
		app := newTestApp()
		app.redirectURI = "http://[::1]:65535/callback"
		params := app.authorizeParams()
		params.Set("mode", "test")
		resp := env.get(pathAuthorize, params)
		sealed := mustRedirect(t, resp).Query().Get("state")
		resp = env.get(pathStripeCallback, url.Values{"code": {env.stripe.approve("acct_v6")}, "state": {sealed}})
		loc := mustRedirect(t, resp)
		if !strings.HasPrefix(loc.String(), "http://[::1]:65535/callback?") {
			t.Fatalf("went to %s", loc)
		}
		status, body := env.exchange(app, loc.Query().Get("code"))
		if status != http.StatusOK || body["stripe_user_id"] != "acct_v6" {
			t.Fatalf("exchange: %d %v", status, body)
		}
	})

	t.Run("two replicas sharing the settings complete one flow between them", func(t *testing.T) {
		// The state sealed by one replica is opened by the other, with no shared store.
		env := newTestEnv(t, FlavorApps)
		env.stripe.expect("POST /v1/oauth/token")
		other := newReplica(t, env)
		app := newTestApp()
		sealed := env.authorize(app)
		resp, err := env.http.Get(other.URL + pathStripeCallback + "?" + url.Values{"code": {env.stripe.approve("acct_rep")}, "state": {sealed}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		code := mustRedirect(t, resp).Query().Get("code")
		status, body := env.exchange(app, code)
		if status != http.StatusOK || body["stripe_user_id"] != "acct_rep" {
			t.Fatalf("exchange at the first replica: %d %v", status, body)
		}
	})

	t.Run("health check answers ok", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps)
		resp := env.get(pathHealth, nil)
		buf := make([]byte, 8)
		n, _ := resp.Body.Read(buf)
		if resp.StatusCode != http.StatusOK || string(buf[:n]) != "ok" {
			t.Fatalf("healthz: %d %q", resp.StatusCode, buf[:n])
		}
	})
}
