package broker

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

const (
	testClientID  = "ca_testplatform"
	testSecretKey = "sk_test_platformsecret0123456789"
)

// fakeClock and syncBuffer are the shared test helpers.
type (
	fakeClock  = testkit.Clock
	syncBuffer = testkit.LogBuffer
)

// testEnv is a broker on a real loopback HTTP server in front of a fake Stripe.
type testEnv struct {
	t      *testing.T
	broker *Broker
	srv    *httptest.Server
	stripe *fakeStripe
	clock  *fakeClock
	logs   *syncBuffer
	http   *http.Client // plays the browser and the app; follows no redirects
}

func newTestEnv(t *testing.T, flavor Flavor, tweak ...func(*Config)) *testEnv {
	t.Helper()
	fs := newFakeStripe(t, flavor, testClientID, testSecretKey)
	env := &testEnv{
		t: t, stripe: fs,
		clock: testkit.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)),
		logs:  &syncBuffer{},
		http: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	// The broker's public URL must be known before the server starts, so
	// reserve the listener first.
	env.srv = httptest.NewUnstartedServer(nil)
	cfg := Config{
		Flavor: flavor, ClientID: testClientID, SecretKey: testSecretKey,
		PublicURL:   "http://" + env.srv.Listener.Addr().String(),
		ConnectBase: fs.srv.URL, APIBase: fs.srv.URL,
		Now:    env.clock.Now,
		Logger: slog.New(slog.NewJSONHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		// The fake clock stands still, so no bucket refills: the stories
		// here are not about limits (limits_test.go is).
		Limits: Limits{PerClientBurst: 1 << 20, OverallBurst: 1 << 20, UpstreamBurst: 1 << 20},
	}
	for _, f := range tweak {
		f(&cfg)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	env.broker = b
	env.srv.Config.Handler = b.Handler()
	env.srv.Start()
	t.Cleanup(env.srv.Close)
	return env
}

// testApp is the desktop app's side of one sign-in.
type testApp struct {
	redirectURI, state, verifier, challenge string
}

func newTestApp() testApp {
	verifier := base64.RawURLEncoding.EncodeToString([]byte(randHex(24))) // 64 chars
	sum := sha256.Sum256([]byte(verifier))
	return testApp{
		redirectURI: "http://127.0.0.1:49152/callback",
		state:       "st_" + randHex(16),
		verifier:    verifier,
		challenge:   base64.RawURLEncoding.EncodeToString(sum[:]),
	}
}

func (a testApp) authorizeParams() url.Values {
	return url.Values{
		"response_type": {"code"}, "client_id": {ClientID}, "redirect_uri": {a.redirectURI},
		"state": {a.state}, "code_challenge": {a.challenge}, "code_challenge_method": {"S256"},
	}
}

func (e *testEnv) get(path string, q url.Values) *http.Response {
	e.t.Helper()
	u := e.srv.URL + path
	if q != nil {
		u += "?" + q.Encode()
	}
	resp, err := e.http.Get(u)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// postForm sends a form the way golang.org/x/oauth2 does and decodes the JSON answer.
func (e *testEnv) postForm(path string, form url.Values) (int, map[string]any) {
	e.t.Helper()
	resp, err := e.http.PostForm(e.srv.URL+path, form)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		e.t.Fatalf("POST %s: answer is not JSON (%d): %s", path, resp.StatusCode, raw)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("POST %s: Cache-Control = %q, want no-store", path, cc)
	}
	return resp.StatusCode, body
}

// authorize sends the app's request and returns the sealed state from the
// broker's redirect to Stripe, checking that redirect's shape.
func (e *testEnv) authorize(app testApp) string {
	e.t.Helper()
	resp := e.get(pathAuthorize, app.authorizeParams())
	loc := mustRedirect(e.t, resp)
	wantPath := "/oauth/v2/authorize"
	if e.broker.cfg.Flavor == FlavorConnect {
		wantPath = "/oauth/authorize"
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != e.stripe.srv.URL+wantPath {
		e.t.Fatalf("authorize redirected to %s, want Stripe's %s", got, e.stripe.srv.URL+wantPath)
	}
	q := loc.Query()
	if q.Get("client_id") != testClientID || q.Get("redirect_uri") != e.srv.URL+pathStripeCallback {
		e.t.Fatalf("Stripe authorize URL has client_id=%q redirect_uri=%q", q.Get("client_id"), q.Get("redirect_uri"))
	}
	if e.broker.cfg.Flavor == FlavorConnect && (q.Get("response_type") != "code" || q.Get("scope") != "read_only") {
		e.t.Fatalf("connect authorize URL lacks response_type=code&scope=read_only: %s", loc.RawQuery)
	}
	st := q.Get("state")
	if st == "" || strings.Contains(st, app.state) || strings.Contains(st, app.challenge) {
		e.t.Fatalf("the state sent to Stripe must be sealed, got %q", st)
	}
	return st
}

// connect runs authorize, Stripe's approval and the callback, and returns
// the broker code from the redirect to the app's loopback URI.
func (e *testEnv) connect(app testApp, account string) string {
	e.t.Helper()
	sealed := e.authorize(app)
	stripeCode := e.stripe.approve(account)
	resp := e.get(pathStripeCallback, url.Values{"code": {stripeCode}, "state": {sealed}, "scope": {"read_only"}})
	loc := mustRedirect(e.t, resp)
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != app.redirectURI {
		e.t.Fatalf("callback redirected to %s, want the app's %s", got, app.redirectURI)
	}
	q := loc.Query()
	if q.Get("state") != app.state {
		e.t.Fatalf("callback returned state %q, want the app's %q", q.Get("state"), app.state)
	}
	code := q.Get("code")
	if code == "" || strings.Contains(code, stripeCode) {
		e.t.Fatalf("the code for the app must seal Stripe's code, got %q", code)
	}
	return code
}

func (e *testEnv) exchange(app testApp, code string) (int, map[string]any) {
	e.t.Helper()
	return e.postForm(pathToken, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {app.redirectURI},
		"code_verifier": {app.verifier}, "client_id": {ClientID},
	})
}

func mustRedirect(t *testing.T, resp *http.Response) *url.URL {
	t.Helper()
	if resp.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want 302; body: %s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatalf("Location: %v", err)
	}
	return loc
}

// wantOAuthError checks an RFC 6749 §5.2 answer.
func wantOAuthError(t *testing.T, status int, body map[string]any, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || body["error"] != wantCode {
		t.Fatalf("got %d %v, want %d error=%s", status, body, wantStatus, wantCode)
	}
	if d, _ := body["error_description"].(string); d == "" {
		t.Errorf("error %s has no error_description", wantCode)
	}
}

// wantAppError checks a redirect to the app's loopback URI carrying an error.
func wantAppError(t *testing.T, resp *http.Response, app testApp, wantCode string, wantState bool) url.Values {
	t.Helper()
	loc := mustRedirect(t, resp)
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != app.redirectURI {
		t.Fatalf("error redirected to %s, want the app's %s", got, app.redirectURI)
	}
	q := loc.Query()
	if q.Get("error") != wantCode || q.Get("error_description") == "" {
		t.Fatalf("error redirect query %v, want error=%s with a description", q, wantCode)
	}
	if wantState && q.Get("state") != app.state {
		t.Fatalf("error redirect state %q, want %q", q.Get("state"), app.state)
	}
	return q
}

// wantPage checks an HTML error page that redirects nowhere.
func wantPage(t *testing.T, resp *http.Response, wantStatus int) string {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus || resp.Header.Get("Location") != "" {
		t.Fatalf("status %d Location %q, want %d and no redirect", resp.StatusCode, resp.Header.Get("Location"), wantStatus)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "<h1>") {
		t.Fatalf("want an HTML page, got %s: %s", resp.Header.Get("Content-Type"), body)
	}
	return string(body)
}

// newReplica starts a second broker with the same settings as env's, as a
// load balancer's second instance would run.
func newReplica(t *testing.T, env *testEnv) *httptest.Server {
	t.Helper()
	return newReplicaWith(t, env.broker.cfg)
}

// newReplicaWith starts a broker with cfg, as another instance would run.
func newReplicaWith(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	b, err := New(cfg)
	if err != nil {
		t.Fatalf("New replica: %v", err)
	}
	srv := httptest.NewServer(b.Handler())
	t.Cleanup(srv.Close)
	return srv
}
