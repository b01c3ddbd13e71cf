package broker

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeStripe imitates Stripe's OAuth endpoints for one platform: it issues
// single-use authorization codes, access tokens and (in the apps flavour)
// rotating refresh tokens, answers GET /v1/account for its tokens and
// deauthorizes accounts. It checks the platform's credentials the way the
// flavour demands and records every call; expect() names calls that must
// happen before the test ends.
type fakeStripe struct {
	t         *testing.T
	srv       *httptest.Server
	flavor    Flavor
	clientID  string
	secretKey string

	mu        sync.Mutex
	calls     []fakeCall
	expected  map[string]bool
	codes     map[string]string // authorization code → account
	access    map[string]string // access token → account
	refresh   map[string]string // refresh token → account
	connected map[string]bool
	status    int            // when non-zero, every answer is this status (e.g. 500)
	failing   map[string]int // path → status every call to it answers
	delay     time.Duration  // how long every answer waits, unless the caller gives up first
	// afterRefresh, when set, runs (with mu held) after a refresh grant, to
	// play a change at Stripe between two of the broker's calls.
	afterRefresh func(account string)
	// failDeauthorizeAsBadKey makes deauthorize refuse the platform's key.
	failDeauthorizeAsBadKey bool
}

type fakeCall struct {
	Method, Path string
	Form         map[string]string
	BasicUser    string
	Bearer       string
}

func newFakeStripe(t *testing.T, flavor Flavor, clientID, secretKey string) *fakeStripe {
	t.Helper()
	f := &fakeStripe{
		t: t, flavor: flavor, clientID: clientID, secretKey: secretKey,
		expected: map[string]bool{}, codes: map[string]string{}, access: map[string]string{},
		refresh: map[string]string{}, connected: map[string]bool{}, failing: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/oauth/token", f.token)
	mux.HandleFunc("POST /oauth/token", f.token)
	mux.HandleFunc("POST /v1/oauth/deauthorize", f.deauthorize)
	mux.HandleFunc("POST /oauth/deauthorize", f.deauthorize)
	mux.HandleFunc("GET /v1/account", f.account)
	f.srv = httptest.NewServer(f.record(mux))
	t.Cleanup(func() {
		f.srv.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for key, seen := range f.expected {
			if !seen {
				t.Errorf("fake Stripe: expected call %s never happened", key)
			}
		}
	})
	return f
}

// expect registers "METHOD /path" as a call that must happen.
func (f *fakeStripe) expect(calls ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range calls {
		if !f.expected[c] {
			f.expected[c] = false
		}
	}
}

// approve plays the account owner clicking "Allow" on Stripe's page: it
// issues a fresh authorization code for account.
func (f *fakeStripe) approve(account string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	code := "ac_" + randHex(12)
	f.codes[code] = account
	return code
}

func (f *fakeStripe) setStatus(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

// failPath makes every call to path answer status (0 heals it).
func (f *fakeStripe) failPath(path string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing[path] = status
}

// setDelay makes every answer wait d.
func (f *fakeStripe) setDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// restrictedKey makes an API key that reads account, as an owner's
// restricted key does: it is no credential the broker issued.
func (f *fakeStripe) restrictedKey(account string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := "rk_test_" + randHex(12)
	f.access[key] = account
	return key
}

// expireAccess makes Stripe refuse an access token, as it does an hour
// after a Stripe Apps token was issued.
func (f *fakeStripe) expireAccess(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.access, token)
}

// rotateSecretKey makes the fake refuse the key the broker holds.
func (f *fakeStripe) rotateSecretKey(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.secretKey = key
}

func (f *fakeStripe) isConnected(account string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.connected[account]
}

func (f *fakeStripe) callsTo(path string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeStripe) tokenPath() string {
	if f.flavor == FlavorConnect {
		return "/oauth/token"
	}
	return "/v1/oauth/token"
}

func (f *fakeStripe) deauthorizePath() string {
	if f.flavor == FlavorConnect {
		return "/oauth/deauthorize"
	}
	return "/v1/oauth/deauthorize"
}

func (f *fakeStripe) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		c := fakeCall{Method: r.Method, Path: r.URL.Path, Form: map[string]string{}}
		for k := range r.PostForm {
			c.Form[k] = r.PostForm.Get(k)
		}
		if u, _, ok := r.BasicAuth(); ok {
			c.BasicUser = u
		}
		c.Bearer, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.expected[r.Method+" "+r.URL.Path] = true
		status, delay := f.status, f.delay
		if fail := f.failing[r.URL.Path]; fail != 0 {
			status = fail
		}
		f.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if status != 0 {
			oauthErr(w, status, "api_error", "fake outage")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// platformAuthOK checks the secret key the way the flavour sends it.
func (f *fakeStripe) platformAuthOK(r *http.Request, allowBody bool) bool {
	f.mu.Lock()
	key := f.secretKey
	f.mu.Unlock()
	if user, pass, ok := r.BasicAuth(); ok {
		return user == key && pass == ""
	}
	return allowBody && r.PostForm.Get("client_secret") == key
}

func (f *fakeStripe) token(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != f.tokenPath() {
		oauthErr(w, http.StatusNotFound, "invalid_request", "wrong token endpoint for this flavour")
		return
	}
	if !f.platformAuthOK(r, f.flavor == FlavorConnect) || (f.flavor == FlavorApps && r.PostForm.Has("client_secret")) {
		oauthErr(w, http.StatusUnauthorized, "invalid_client", "bad platform credentials")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var account string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		account = f.codes[code]
		delete(f.codes, code) // single use, as Stripe's are
		if account == "" {
			// Like Stripe, quote what was sent: the broker must not pass this on.
			oauthErr(w, http.StatusBadRequest, "invalid_grant", "Authorization code does not exist: "+code)
			return
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		account = f.refresh[rt]
		if account == "" {
			oauthErr(w, http.StatusBadRequest, "invalid_grant", "Refresh token does not exist: "+rt)
			return
		}
		if f.flavor == FlavorApps {
			delete(f.refresh, rt) // apps refresh tokens rotate
		}
		if f.afterRefresh != nil {
			defer f.afterRefresh(account)
		}
	default:
		oauthErr(w, http.StatusBadRequest, "unsupported_grant_type", "")
		return
	}
	f.connected[account] = true
	access := "sk_test_fakeaccess" + randHex(8)
	f.access[access] = account
	refresh := "rt_" + randHex(12)
	f.refresh[refresh] = account
	resp := map[string]any{
		"access_token": access, "refresh_token": refresh, "token_type": "bearer",
		"stripe_user_id": account, "livemode": false, "stripe_publishable_key": "pk_test_" + account,
		"scope": "read_only",
	}
	if f.flavor == FlavorApps {
		resp["scope"] = "stripe_apps"
		resp["expires_in"] = 3600
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (f *fakeStripe) account(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := r.BasicAuth(); ok {
		// The platform's key reads the platform's own account (the readiness probe).
		if !f.platformAuthOK(r, false) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "acct_platform", "object": "account"})
		return
	}
	bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	account := f.access[bearer]
	ok := account != "" && f.connected[account]
	f.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": account, "object": "account"})
}

func (f *fakeStripe) deauthorize(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != f.deauthorizePath() {
		oauthErr(w, http.StatusNotFound, "invalid_request", "wrong deauthorize endpoint for this flavour")
		return
	}
	f.mu.Lock()
	badKey := f.failDeauthorizeAsBadKey
	f.mu.Unlock()
	if badKey || !f.platformAuthOK(r, false) || r.PostForm.Get("client_id") != f.clientID {
		oauthErr(w, http.StatusUnauthorized, "invalid_client", "bad platform credentials")
		return
	}
	account := r.PostForm.Get("stripe_user_id")
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.connected[account] {
		oauthErr(w, http.StatusUnauthorized, "invalid_client", "This application is not connected to stripe account "+account)
		return
	}
	delete(f.connected, account)
	// Like Stripe, a deauthorization ends every token of the grant.
	for _, m := range []map[string]string{f.access, f.refresh} {
		for tok, acct := range m {
			if acct == account && !strings.HasPrefix(tok, "rk_") {
				delete(m, tok)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"stripe_user_id": account})
}

func oauthErr(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": description})
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
