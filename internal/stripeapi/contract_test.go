package stripeapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// Contract tests: every request the Client makes goes to stripe-mock, which
// checks it against Stripe's own OpenAPI description and answers 400 to
// anything the real API would refuse (an unknown parameter, a wrong type, a
// missing field). stripe-mock's lists hold one fixture object and ignore
// filters, so this checks request shapes, not sync logic.
//
// Install: go install github.com/stripe/stripe-mock@v0.203.0. Without it
// these tests skip, unless LEDGERLINE_CONTRACT_TESTS=1 (as in CI), where a
// missing stripe-mock fails them.

// contractCalls is every request the Client makes, by Client method. Add a
// row with each new call (list endpoints: one page with limit and a
// created filter, and one with starting_after).
var contractCalls = []struct {
	method string // the Client method the row exercises
	name   string
	call   func(ctx context.Context, c *Client, key string) error
}{
	{"Account", "GET /v1/account", func(ctx context.Context, c *Client, key string) error {
		a, err := c.Account(ctx, key)
		if err == nil && !strings.HasPrefix(a.ID, "acct_") {
			err = fmt.Errorf("the account came back without an id: %+v", a)
		}
		return err
	}},
}

// contractKeys are the two kinds of secret Ledgerline calls Stripe with.
var contractKeys = []struct{ name, key string }{
	{"an OAuth access token", "sk_test_contractOAuthToken0123456789"},
	{"a restricted key", "rk_test_contractRestrictedKey0123456789"},
}

func TestContractCoversEveryCall(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range contractCalls {
		covered[c.method] = true
	}
	typ := reflect.TypeOf(&Client{})
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if strings.HasSuffix(name, "For") { // the KeySource forms call the keyed method
			continue
		}
		if !covered[name] {
			t.Errorf("Client.%s makes a Stripe request but has no row in contractCalls", name)
		}
	}
}

func TestContractWithStripeMock(t *testing.T) {
	base := startStripeMock(t)
	c := New(Options{APIBase: base, MaxNetworkRetries: -1})
	ctx := context.Background()
	for _, k := range contractKeys {
		for _, call := range contractCalls {
			t.Run(call.name+" with "+k.name, func(t *testing.T) {
				if err := call.call(ctx, c, k.key); err != nil {
					t.Errorf("stripe-mock refused the request: %v", err)
				}
			})
		}
	}

	t.Run("stripe-mock does refuse a request Stripe's API description doesn't allow", func(t *testing.T) {
		params := &stripe.AccountParams{Params: stripe.Params{Context: ctx}}
		params.AddExtra("not_a_stripe_parameter", "1")
		var a stripe.Account
		err := Classify(c.backend.Call(http.MethodGet, "/v1/account", contractKeys[1].key, params, &a))
		if !errors.Is(err, ErrRequest) || !strings.Contains(err.Error(), "validation") {
			t.Errorf("err = %v, want ErrRequest from stripe-mock's validation", err)
		}
	})

	t.Run("a key that isn't a test key is refused without quoting it", func(t *testing.T) {
		_, err := c.Account(ctx, "sk_live_notATestKey0123")
		if !errors.Is(err, ErrNeedsReauth) || strings.Contains(err.Error(), "sk_live") {
			t.Errorf("err = %v, want ErrNeedsReauth without the key", err)
		}
	})
}

// startStripeMock runs stripe-mock on free loopback ports until the test
// ends and returns its HTTP base URL.
func startStripeMock(t *testing.T) string {
	t.Helper()
	bin, where := findStripeMock()
	if bin == "" {
		msg := "stripe-mock not found (looked in " + where + "); install it with " +
			"`go install github.com/stripe/stripe-mock@v0.203.0`"
		if os.Getenv("LEDGERLINE_CONTRACT_TESTS") == "1" {
			t.Fatal(msg + "; LEDGERLINE_CONTRACT_TESTS=1 makes this a failure")
		}
		t.Skip(msg + "; set LEDGERLINE_CONTRACT_TESTS=1 to make this a failure")
	}
	var lastErr error
	for range 3 { // a free port can be taken between finding and binding it
		base, err := runStripeMock(t, bin)
		if err == nil {
			return base
		}
		lastErr = err
	}
	t.Fatal(lastErr)
	return ""
}

// findStripeMock looks on PATH, then in $GOBIN and each $(go env GOPATH)/bin.
func findStripeMock() (path, lookedIn string) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, ""
	}
	var dirs []string
	if gobin := goEnv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	for _, gp := range filepath.SplitList(goEnv("GOPATH")) {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "stripe-mock")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, ""
		}
	}
	return "", "PATH and " + strings.Join(dirs, ", ")
}

// goEnv is `go env NAME` from the toolchain running the test.
func goEnv(name string) string {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	out, err := exec.Command(goBin, "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// runStripeMock starts one stripe-mock on two free loopback ports, waits
// until it answers and stops it when the test ends.
func runStripeMock(t *testing.T, bin string) (string, error) {
	httpAddr, httpsAddr := freeLoopbackAddr(t), freeLoopbackAddr(t)
	// -http-addr/-https-addr rather than -http-port/-https-port: the port
	// flags bind every interface, and the tests stay on loopback.
	cmd := exec.Command(bin, "-http-addr", httpAddr, "-https-addr", httpsAddr)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting stripe-mock: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	base := "http://" + httpAddr
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-exited:
			return "", fmt.Errorf("stripe-mock exited before answering (%v): %s", err, out.String())
		default:
		}
		if answers(base) {
			t.Cleanup(stop)
			return base, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", fmt.Errorf("stripe-mock did not answer within 20 s: %s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func answers(base string) bool {
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/account", nil)
	req.Header.Set("Authorization", "Bearer sk_test_123")
	resp, err := (&http.Client{Timeout: time.Second}).Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// freeLoopbackAddr is 127.0.0.1 with a port that was free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// lockedBuffer collects stripe-mock's output for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
