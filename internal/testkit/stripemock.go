package testkit

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// StartStripeMock runs Stripe's stripe-mock on free loopback ports until the test
// ends and returns its HTTP base URL.
func StartStripeMock(t testing.TB) string {
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
func runStripeMock(t testing.TB, bin string) (string, error) {
	httpAddr, httpsAddr := freeLoopbackAddr(t), freeLoopbackAddr(t)
	// -http-addr/-https-addr rather than -http-port/-https-port: the port
	// flags bind every interface, and the tests stay on loopback.
	cmd := exec.Command(bin, "-http-addr", httpAddr, "-https-addr", httpsAddr)
	var out LogBuffer
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
func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
