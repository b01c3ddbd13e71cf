package brokertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// replica is one ledgerline-broker process.
type replica struct {
	name, addr string
	env        []string
	cmd        *exec.Cmd
	logs       *lockedBuffer // stdout: the JSON request lines, across restarts
}

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

func (r *replica) start(t *testing.T, bin string) {
	t.Helper()
	r.cmd = exec.Command(bin)
	r.cmd.Env = append(os.Environ(), append(r.env, "BROKER_ADDR="+r.addr)...)
	r.cmd.Stdout = r.logs
	r.cmd.Stderr = r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, r.name+" live", func() bool {
		resp, err := http.Get("http://" + r.addr + "/livez")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const haproxyConfig = `global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend brokers
    bind %s
    http-request set-header X-Forwarded-For %%[src]
    default_backend brokers
backend brokers
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
%s`

// Three broker processes behind HAProxy (round robin, /readyz checks)
// complete 100 sign-ins against the sandbox while one replica is stopped
// with SIGTERM, as an orchestrator stops it, and started again: none fails.
func TestSignInsSurviveAReplicaRestartBehindHAProxy(t *testing.T) {
	needBrokerTests(t)
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		t.Fatal("haproxy is missing: .ci/deps.sh test installs it")
	}
	bin := buildBroker(t)
	stripeBase, info := startSandbox(t)
	front := freeAddr(t)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	env := []string{
		"STRIPE_CLIENT_ID=" + info.ClientID, "STRIPE_SECRET_KEY=" + info.SecretKey,
		"STRIPE_API_BASE=" + stripeBase, "STRIPE_CONNECT_BASE=" + stripeBase,
		"BROKER_PUBLIC_URL=http://" + front,
		"BROKER_SEALING_KEYS=k1:" + base64.StdEncoding.EncodeToString(key),
		"BROKER_TRUSTED_PROXIES=127.0.0.1", "BROKER_DRAIN=1s",
		"BROKER_RATE_PER_CLIENT=1000", "BROKER_RATE_PER_CLIENT_BURST=5000",
		"BROKER_RATE_UPSTREAM=1000", "BROKER_RATE_UPSTREAM_BURST=1000",
	}
	var replicas []*replica
	var servers strings.Builder
	for i := 1; i <= 3; i++ {
		r := &replica{name: fmt.Sprintf("b%d", i), addr: freeAddr(t), env: env, logs: &lockedBuffer{}}
		r.start(t, bin)
		replicas = append(replicas, r)
		fmt.Fprintf(&servers, "    server %s %s check inter 200ms fall 1 rise 2\n", r.name, r.addr)
	}
	t.Cleanup(func() {
		for _, r := range replicas {
			_ = r.cmd.Process.Kill()
			_, _ = r.cmd.Process.Wait()
		}
	})
	cfg := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(haproxyConfig, front, servers.String())), 0o600); err != nil {
		t.Fatal(err)
	}
	hp := exec.Command(haproxy, "-f", cfg, "-db")
	var hpLog lockedBuffer
	hp.Stdout, hp.Stderr = &hpLog, &hpLog
	if err := hp.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hp.Process.Kill(); _, _ = hp.Process.Wait() })
	brokerURL := "http://" + front
	waitFor(t, "HAProxy", func() bool {
		resp, err := http.Get(brokerURL + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})

	app := newAppListener(t)
	const total, workers = 100, 4
	var done, failed atomic.Int32
	var failures sync.Map
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if _, err := signIn(context.Background(), brokerURL, app); err != nil {
					failed.Add(1)
					failures.Store(i, err.Error())
				}
				done.Add(1)
			}
		}()
	}
	// The restart: once a quarter of the sign-ins are done, b2 gets SIGTERM
	// (it fails /readyz, drains, finishes what it has, exits), and comes back.
	restarted := make(chan error, 1)
	var stoppedAt, backAt int32
	var logsAtRestart int
	go func() {
		for done.Load() < total/4 {
			time.Sleep(10 * time.Millisecond)
		}
		r := replicas[1]
		if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			restarted <- err
			return
		}
		if err := r.cmd.Wait(); err != nil {
			restarted <- fmt.Errorf("%s exited with %v", r.name, err)
			return
		}
		stoppedAt = done.Load()
		logsAtRestart = len(r.logs.String())
		r.start(t, bin)
		backAt = done.Load()
		restarted <- nil
	}()
	start := time.Now()
	for i := 0; i < total; i++ {
		jobs <- i
		time.Sleep(40 * time.Millisecond) // about 25 sign-ins a second: the restart happens among them
	}
	close(jobs)
	wg.Wait()
	if err := <-restarted; err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	failures.Range(func(k, v any) bool {
		t.Errorf("sign-in %v failed: %v", k, v)
		return true
	})
	if failed.Load() != 0 {
		t.Fatalf("%d of %d sign-ins failed\nHAProxy: %s", failed.Load(), total, hpLog.String())
	}
	for _, r := range replicas {
		n := strings.Count(r.logs.String(), `"path":"/oauth/`)
		t.Logf("%s answered %d of the sign-ins' requests", r.name, n)
		if n == 0 {
			t.Errorf("%s served no sign-in request: the balancer did not spread the load", r.name)
		}
	}
	if !strings.Contains(replicas[1].logs.String(), `"msg":"draining"`) {
		t.Error("the stopped replica did not drain")
	}
	t.Logf("b2 stopped after %d sign-ins and was serving again after %d", stoppedAt, backAt)
	if backAt >= total {
		t.Error("the restart did not happen while sign-ins were running")
	}
	if after := replicas[1].logs.String()[logsAtRestart:]; !strings.Contains(after, `"path":"/oauth/`) {
		t.Error("the restarted replica served no sign-in")
	}
	t.Logf("%d sign-ins through HAProxy and 3 replicas in %v, one replica restarted, 0 failed", total, took.Round(time.Millisecond))
}
