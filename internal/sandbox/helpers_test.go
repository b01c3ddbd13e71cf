package sandbox

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// fakeClock and syncBuffer are the shared test helpers.
type (
	fakeClock  = testkit.Clock
	syncBuffer = testkit.LogBuffer
)

// harness is a sandbox served by httptest on 127.0.0.1, with a fake clock,
// a captured log and a client that does not follow redirects (a browser's
// redirect is what the tests inspect).
type harness struct {
	t      *testing.T
	sb     *Server
	base   string
	info   Info
	clock  *fakeClock
	logs   *syncBuffer
	client *http.Client
}

const testRedirect = "http://127.0.0.1:53682/callback"

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, clock: testkit.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), logs: &syncBuffer{}}
	opts.Now = h.clock.Now
	opts.Logger = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sb, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	h.sb, h.base = sb, srv.URL
	h.info = sb.Info()
	h.info.BaseURL = srv.URL
	h.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return h
}

// page is an authorize page as a browser sees it.
type page struct {
	status   int
	body     string
	location string
	nonce    string
	accounts []string // radio values, in page order
	checked  string
}

var (
	nonceField = regexp.MustCompile(`name="authorization_request" value="([^"]+)"`)
	radio      = regexp.MustCompile(`name="account" value="(acct_[^"]+)"( checked)?`)
)

// open GETs an authorize URL (path "/oauth/authorize" or "/oauth/v2/authorize").
func (h *harness) open(path string, q url.Values) page {
	h.t.Helper()
	resp, err := h.client.Get(h.base + path + "?" + q.Encode())
	if err != nil {
		h.t.Fatalf("GET %s: %v", path, err)
	}
	return readPage(h.t, resp)
}

func readPage(t *testing.T, resp *http.Response) page {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location")}
	if m := nonceField.FindStringSubmatch(p.body); m != nil {
		p.nonce = m[1]
	}
	for _, m := range radio.FindAllStringSubmatch(p.body, -1) {
		p.accounts = append(p.accounts, m[1])
		if m[2] != "" {
			p.checked = m[1]
		}
	}
	return p
}

// answer POSTs the page's form as a browser on the sandbox's own origin would.
func (h *harness) answer(path string, q url.Values, form url.Values) page {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.base+path+"?"+q.Encode(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.base)
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("POST %s: %v", path, err)
	}
	return readPage(h.t, resp)
}

// connectQuery is a good Connect authorize request.
func (h *harness) connectQuery() url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {h.info.ClientID}, "scope": {"read_only"},
		"redirect_uri": {testRedirect}, "state": {"st-123"}}
}

// appsQuery is a good Stripe Apps authorize request.
func (h *harness) appsQuery() url.Values {
	return url.Values{"client_id": {h.info.ClientID}, "redirect_uri": {testRedirect}, "state": {"st-456"}}
}

// authorizeAs walks the page and clicks "Authorize access" for account,
// returning the code from the redirect.
func (h *harness) authorizeAs(path string, q url.Values, account string) string {
	h.t.Helper()
	p := h.open(path, q)
	if p.status != http.StatusOK || p.nonce == "" {
		h.t.Fatalf("authorize page: status %d, nonce %q", p.status, p.nonce)
	}
	got := h.answer(path, q, url.Values{"authorization_request": {p.nonce}, "account": {account}, "action": {"authorize"}})
	if got.status != http.StatusFound {
		h.t.Fatalf("authorize answer: status %d, body %s", got.status, got.body)
	}
	u, err := url.Parse(got.location)
	if err != nil {
		h.t.Fatalf("redirect %q: %v", got.location, err)
	}
	code := u.Query().Get("code")
	if !strings.HasPrefix(code, "ac_") {
		h.t.Fatalf("redirect %q has no ac_ code", got.location)
	}
	return code
}

// reply is a decoded JSON response.
type reply struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

func (r reply) str(key string) string { s, _ := r.json[key].(string); return s }

// apiErr returns the {"error":{…}} object of a REST error.
func (r reply) apiErr() map[string]any { m, _ := r.json["error"].(map[string]any); return m }

// post sends a form with an optional Authorization header value.
func (h *harness) post(path, authorization string, form url.Values) reply {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return h.do(req)
}

// get sends a GET with an optional Authorization header value.
func (h *harness) get(path, authorization string) reply {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.base+path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return h.do(req)
}

func (h *harness) do(req *http.Request) reply {
	h.t.Helper()
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	if err := json.Unmarshal(b, &r.json); err != nil {
		h.t.Fatalf("%s %s: body is not JSON: %v\n%s", req.Method, req.URL.Path, err, b)
	}
	return r
}

func bearer(key string) string { return "Bearer " + key }

func basic(user string) string {
	req, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	req.SetBasicAuth(user, "")
	return req.Header.Get("Authorization")
}

// keysOf returns a JSON object's keys, sorted.
func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
