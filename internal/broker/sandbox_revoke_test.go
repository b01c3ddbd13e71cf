package broker_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/broker"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// Issue 12's first finding, replayed on the sandbox: an hour after sign-in
// the Stripe Apps access token has expired. Before the fix the broker
// answered 200 "already_invalid" to a revoke with it, the app forgot its
// tokens, and the year-long refresh token still worked at Stripe.
func TestDisconnectAfterAnHourLeavesNoGrant(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	rig := newSandboxRig(t, broker.FlavorApps, func(o *sandbox.Options) { o.Now = clock.Now })
	ctx := context.Background()
	verifier := oauth2.GenerateVerifier()
	got, account := rig.signIn(rand.Text(), verifier, "authorize")
	tok, err := rig.oauthConfig().Exchange(ctx, got.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}

	// Given an hour has passed: the access token has expired, the refresh token has not.
	clock.Advance(61 * time.Minute)
	if status, _ := rig.accountIDFor(tok.AccessToken); status != http.StatusUnauthorized {
		t.Fatalf("the access token still reads the account an hour later (%d)", status)
	}

	// When something revokes with the expired access token, the broker refuses: it proves nothing.
	status, body := postForm(t, rig.brokerURL+"/oauth/revoke", url.Values{"token": {tok.AccessToken}, "client_id": {broker.ClientID}})
	if status != http.StatusBadRequest || !strings.Contains(body, "unsupported_token_type") || strings.Contains(body, "revoked") {
		t.Fatalf("revoke with the expired access token: %d %s", status, body)
	}

	// When the app revokes with its refresh token, as it now does,
	status, body = postForm(t, rig.brokerURL+"/oauth/revoke", url.Values{"token": {tok.RefreshToken}, "token_type_hint": {"refresh_token"}, "client_id": {broker.ClientID}})
	if status != http.StatusOK || !strings.Contains(body, `"revoked":true`) || !strings.Contains(body, account) {
		t.Fatalf("revoke with the refresh token: %d %s", status, body)
	}

	// then the refresh token no longer renews at the broker,
	ts := rig.oauthConfig().TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: clock.Now().Add(-time.Minute)})
	if _, err := ts.Token(); !isInvalidGrant(err) {
		t.Fatalf("refresh after the revoke: %v, want invalid_grant", err)
	}
	// and the sandbox holds no live grant for the account: its own
	// deauthorize answers that the application is not connected.
	req, _ := http.NewRequest(http.MethodPost, rig.info.BaseURL+"/v1/oauth/deauthorize",
		strings.NewReader(url.Values{"client_id": {rig.info.ClientID}, "stripe_user_id": {account}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(rig.info.SecretKey, "")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the sandbox still deauthorizes %s (%d): a grant was left", account, resp.StatusCode)
	}
}
