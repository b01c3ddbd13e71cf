package authflow

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"golang.org/x/oauth2"
)

// fakeBroker plays the token broker on 127.0.0.1. Each stub a test
// registers must be called before the test ends; a call to an unregistered
// path fails the test.
type fakeBroker struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	stubs map[string]http.HandlerFunc
	calls map[string]int

	authorizeQueries []url.Values
	tokenForms       []url.Values
	revokeForms      []url.Values
	issued           map[string]issuedCode // code → what it is bound to
	accessTokens     []string
	refreshTokens    []string
}

type issuedCode struct {
	challenge   string
	redirectURI string
	used        bool
}

const testAccount = "acct_1TestAccount0001"

func newFakeBroker(t *testing.T) *fakeBroker {
	t.Helper()
	b := &fakeBroker{t: t, stubs: map[string]http.HandlerFunc{}, calls: map[string]int{}, issued: map[string]issuedCode{}}
	b.srv = httptest.NewServer(http.HandlerFunc(b.serve))
	t.Cleanup(func() {
		b.srv.Close()
		b.mu.Lock()
		defer b.mu.Unlock()
		for path := range b.stubs {
			if b.calls[path] == 0 {
				t.Errorf("fake broker: stub %s was never called", path)
			}
		}
	})
	return b
}

func (b *fakeBroker) URL() string { return b.srv.URL }

func (b *fakeBroker) serve(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	stub, ok := b.stubs[r.URL.Path]
	b.calls[r.URL.Path]++
	b.mu.Unlock()
	if !ok {
		b.t.Errorf("fake broker: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	stub(w, r)
}

func (b *fakeBroker) handle(path string, h http.HandlerFunc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stubs[path] = h
}

func (b *fakeBroker) callCount(path string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls[path]
}

func randomHex(prefix string) string {
	var x [20]byte
	_, _ = rand.Read(x[:])
	return prefix + hex.EncodeToString(x[:])
}

// approves plays /oauth/authorize with the person clicking Allow: a fresh
// code bound to the challenge and redirect URI, sent back to the loopback.
func (b *fakeBroker) approves() {
	b.handle("/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if !b.checkAuthorize(w, q) {
			return
		}
		code := randomHex("ac_")
		b.mu.Lock()
		b.issued[code] = issuedCode{challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri")}
		b.mu.Unlock()
		back := url.Values{"code": {code}, "state": {q.Get("state")}}
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
	})
}

// denies plays /oauth/authorize with the person clicking Deny.
func (b *fakeBroker) denies() {
	b.handle("/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if !b.checkAuthorize(w, q) {
			return
		}
		back := url.Values{"error": {"access_denied"}, "error_description": {"The user denied your request"}, "state": {q.Get("state")}}
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
	})
}

func (b *fakeBroker) checkAuthorize(w http.ResponseWriter, q url.Values) bool {
	b.mu.Lock()
	b.authorizeQueries = append(b.authorizeQueries, q)
	b.mu.Unlock()
	ru, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("response_type") != "code", q.Get("client_id") != DefaultClientID,
		err != nil, ru.Scheme != "http", ru.Hostname() != "127.0.0.1", ru.Path != "/callback",
		q.Get("code_challenge_method") != "S256", len(q.Get("code_challenge")) != 43, q.Get("state") == "":
		b.t.Errorf("fake broker: bad authorize request %v", q)
		http.Error(w, "bad request", http.StatusBadRequest)
		return false
	}
	return true
}

// issuesTokens plays /oauth/token: it checks the code, redirect URI and
// PKCE verifier the way the real broker does and returns Stripe tokens.
func (b *fakeBroker) issuesTokens() {
	b.handle("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		form := b.tokenForm(r)
		b.mu.Lock()
		ic, ok := b.issued[form.Get("code")]
		valid := ok && !ic.used && form.Get("grant_type") == "authorization_code" &&
			form.Get("client_id") == DefaultClientID && form.Get("redirect_uri") == ic.redirectURI &&
			oauth2.S256ChallengeFromVerifier(form.Get("code_verifier")) == ic.challenge
		if ok {
			ic.used = true
			b.issued[form.Get("code")] = ic
		}
		at, rt := randomHex("at_"), randomHex("rt_")
		if valid {
			b.accessTokens = append(b.accessTokens, at)
			b.refreshTokens = append(b.refreshTokens, rt)
		}
		b.mu.Unlock()
		if !valid {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "code, redirect_uri or verifier mismatch"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": at, "token_type": "bearer", "refresh_token": rt, "expires_in": 3600,
			"scope": "stripe_apps", "stripe_user_id": testAccount, "livemode": true,
			"stripe_publishable_key": "pk_live_TestKey",
		})
	})
}

// refusesTokens plays /oauth/token answering with an OAuth error; describe
// builds the error_description from the form (to echo secrets back).
func (b *fakeBroker) refusesTokens(status int, code string, describe func(url.Values) string) {
	b.handle("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		form := b.tokenForm(r)
		writeJSON(w, status, map[string]any{"error": code, "error_description": describe(form)})
	})
}

func (b *fakeBroker) tokenForm(r *http.Request) url.Values {
	if err := r.ParseForm(); err != nil {
		b.t.Errorf("fake broker: token form: %v", err)
	}
	b.mu.Lock()
	b.tokenForms = append(b.tokenForms, r.PostForm)
	b.mu.Unlock()
	return r.PostForm
}

// issuedTokens returns the access and refresh tokens handed out so far.
func (b *fakeBroker) issuedTokens() (access, refresh []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.accessTokens...), append([]string(nil), b.refreshTokens...)
}

func (b *fakeBroker) authorizeQuery(i int) url.Values {
	b.mu.Lock()
	defer b.mu.Unlock()
	if i >= len(b.authorizeQueries) {
		b.t.Fatalf("fake broker: only %d authorize requests recorded", len(b.authorizeQueries))
	}
	return b.authorizeQueries[i]
}

func (b *fakeBroker) lastAuthorize() url.Values {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.authorizeQueries) == 0 {
		b.t.Fatal("fake broker: no authorize request recorded")
	}
	return b.authorizeQueries[len(b.authorizeQueries)-1]
}

func (b *fakeBroker) lastTokenForm() url.Values {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.tokenForms) == 0 {
		b.t.Fatal("fake broker: no token request recorded")
	}
	return b.tokenForms[len(b.tokenForms)-1]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
