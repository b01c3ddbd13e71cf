package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

func TestLogsHoldNoSecrets(t *testing.T) {
	h := newHarness(t, Options{Seed: 61})
	acct := h.info.Accounts[0]
	var secrets []string

	// A Connect flow, with a refresh and then a replay.
	q := h.connectQuery()
	q.Set("state", "state-secret-value")
	p := h.open("/oauth/authorize", q)
	secrets = append(secrets, p.nonce, "state-secret-value")
	got := h.answer("/oauth/authorize", q, url.Values{"authorization_request": {p.nonce}, "account": {acct.ID}, "action": {"authorize"}})
	u, _ := url.Parse(got.location)
	code := u.Query().Get("code")
	tok := h.connectToken(code)
	ref := h.post("/oauth/token", bearer(h.info.SecretKey), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.str("refresh_token")}})
	h.connectToken(code)
	secrets = append(secrets, code, tok.str("access_token"), tok.str("refresh_token"), ref.str("access_token"))

	// A Stripe Apps flow with a rotation, REST calls, hooks and failures.
	apps := h.appsGrant(acct.ID)
	rot := h.appsRefresh(apps.str("refresh_token"))
	h.get("/v1/account", bearer(rot.str("access_token")))
	h.get("/v1/account", bearer(acct.APIKey))
	h.get("/v1/account", bearer("sk_test_made_up_key_1234"))
	h.post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {"ac_nope"}, "client_secret": {"sk_test_wrong_secret"}})
	h.post("/_sandbox/revoke", "", url.Values{"token": {rot.str("access_token")}})
	h.post("/_sandbox/revoke", "", url.Values{"api_key": {h.info.Accounts[1].APIKey}})
	secrets = append(secrets, apps.str("access_token"), apps.str("refresh_token"), rot.str("access_token"), rot.str("refresh_token"),
		h.info.SecretKey, acct.APIKey, h.info.Accounts[1].APIKey, "sk_test_made_up_key_1234", "sk_test_wrong_secret", "ac_nope")

	logs := h.logs.String()
	if !strings.Contains(logs, "msg=request") || !strings.Contains(logs, "tokens issued") || !strings.Contains(logs, acct.ID) {
		t.Fatalf("the log did not record the flows:\n%s", logs)
	}
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret under test is empty; the flow above went wrong")
		}
		if strings.Contains(logs, s) {
			t.Errorf("the log contains a secret (%.12s…)", s)
		}
	}
}
