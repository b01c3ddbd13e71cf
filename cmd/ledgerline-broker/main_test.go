package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// The real program, built and run: JSON logs on stdout, metrics on their
// own address, and SIGTERM draining /readyz before a graceful shutdown
// that lets a slow request in flight finish.
func TestBrokerProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	const secret = "sk_test_programsecret0123"
	const refresh = "rt_inflightrefresh0123456789"
	stripe := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/v1/account":
			_, _ = io.WriteString(w, `{"id":"acct_platform","object":"account"}`)
		case r.URL.Path == "/v1/oauth/token":
			time.Sleep(1500 * time.Millisecond) // still in flight when SIGTERM comes
			_, _ = io.WriteString(w, `{"access_token":"sk_test_newaccess","refresh_token":"rt_rotated0123456789abc","token_type":"bearer","expires_in":3600,"stripe_user_id":"acct_1","livemode":false,"scope":"stripe_apps"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer stripe.Close()

	bin := filepath.Join(t.TempDir(), "ledgerline-broker")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"STRIPE_CLIENT_ID=ca_program", "STRIPE_SECRET_KEY="+secret,
		"BROKER_PUBLIC_URL=http://"+addr, "BROKER_ADDR="+addr, "BROKER_METRICS_ADDR="+metricsAddr,
		"STRIPE_API_BASE="+stripe.URL, "STRIPE_CONNECT_BASE="+stripe.URL, "BROKER_DRAIN=1s")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	var logs strings.Builder
	var logsMu sync.Mutex
	logsDone := make(chan struct{})
	go func() {
		defer close(logsDone)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			logsMu.Lock()
			logs.WriteString(sc.Text() + "\n")
			logsMu.Unlock()
		}
	}()
	first, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil || strings.TrimSpace(first) != "http://"+addr {
		t.Fatalf("first line on stderr %q, %v", first, err)
	}
	base := "http://" + addr
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get(base + "/readyz"); status != http.StatusOK || !strings.Contains(body, "ready") {
		t.Fatalf("readyz: %d %s", status, body)
	}
	get(base + "/oauth/authorize?state=secretstate_in_query&client_id=x")
	if status, body := get("http://" + metricsAddr + "/metrics"); status != http.StatusOK || !strings.Contains(body, `ledgerline_broker_requests_total{endpoint="/readyz",outcome="ok"} 1`) {
		t.Fatalf("metrics: %d\n%.600s", status, body)
	}

	// A refresh in flight when SIGTERM comes,
	inflight := make(chan int, 1)
	go func() {
		resp, err := http.PostForm(base+"/oauth/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"ledgerline-desktop"}, "refresh_token": {refresh}})
		if err != nil {
			inflight <- 0
			return
		}
		resp.Body.Close()
		inflight <- resp.StatusCode
	}()
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	// then /readyz says draining while the listener still accepts,
	if status, body := get(base + "/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "draining") {
		t.Fatalf("readyz after SIGTERM: %d %s", status, body)
	}
	// the request in flight finishes,
	if status := <-inflight; status != http.StatusOK {
		t.Fatalf("the request in flight got %d", status)
	}
	// and the program exits 0.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the program did not stop")
	}
	<-logsDone

	logsMu.Lock()
	text := logs.String()
	logsMu.Unlock()
	requests := 0
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" {
			requests++
			if id, _ := rec["request_id"].(string); len(id) != 16 {
				t.Errorf("a request line without an id: %s", line)
			}
		}
	}
	if requests != 4 { // readyz, authorize, readyz while draining, the refresh
		t.Errorf("%d request lines, want 4:\n%s", requests, text)
	}
	for name, secretValue := range map[string]string{"secret key": secret, "refresh token": refresh, "rotated token": "rt_rotated", "query": "secretstate_in_query"} {
		if strings.Contains(text, secretValue) {
			t.Errorf("the logs hold the %s", name)
		}
	}
	for _, want := range []string{`"msg":"draining"`, `"msg":"stopped"`} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s line", want)
		}
	}
}
