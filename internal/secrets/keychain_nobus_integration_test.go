//go:build linux

package secrets_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// These tests use the real go-keyring and godbus in a D-Bus environment that
// is broken on purpose. godbus keeps one session-bus connection per process,
// so each case runs the test binary again (TestKeychainHelperProcess) with
// the environment it needs.

const (
	helperEnv    = "LEDGERLINE_SECRETS_HELPER"
	helperSecret = "at_HELPER_SECRET_8080"
)

// TestKeychainHelperProcess is not a test by itself: the subprocess tests
// run it to call Store.Set once and print what came back as JSON.
func TestKeychainHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("runs only as a subprocess of the broken-D-Bus tests")
	}
	s := secrets.New(secrets.Options{Service: "Ledgerline-test-helper", Timeout: 10 * time.Second})
	err := s.Set(context.Background(), "conn_helper", helperSecret)
	if err == nil {
		_ = s.Delete(context.Background(), "conn_helper")
	}
	kind := "none"
	for name, k := range map[string]error{"unavailable": secrets.ErrUnavailable, "locked": secrets.ErrLocked,
		"timeout": secrets.ErrTimeout, "not found": secrets.ErrNotFound} {
		if errors.Is(err, k) {
			kind = name
		}
	}
	reason := ""
	var e *secrets.Error
	if errors.As(err, &e) {
		reason = e.Reason
	}
	_ = json.NewEncoder(os.Stdout).Encode(map[string]string{"kind": kind, "reason": reason, "text": fmt.Sprint(err)})
}

type helperResult struct{ Kind, Reason string }

// runHelper runs TestKeychainHelperProcess with env changed by set (a value
// of "" removes the variable).
func runHelper(t *testing.T, set map[string]string) helperResult {
	t.Helper()
	env := []string{helperEnv + "=1"}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if _, replaced := set[name]; !replaced && name != helperEnv {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestKeychainHelperProcess$", "-test.count=1")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper process: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "{") {
			var r helperResult
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("helper output %q: %v", line, err)
			}
			if strings.Contains(line, helperSecret) {
				t.Fatalf("the error shows the secret: %s", line)
			}
			return r
		}
	}
	t.Fatalf("helper printed no result:\n%s", out)
	return helperResult{}
}

func TestRealKeychainWithoutSessionBus(t *testing.T) {
	requireRealKeychain(t)
	assertNoBus := func(t *testing.T, r helperResult) {
		t.Helper()
		if r.Kind != "unavailable" || r.Reason != domain.KeychainNoSessionBus {
			t.Fatalf("got %s: %q; want ErrUnavailable for want of a session bus", r.Kind, r.Reason)
		}
	}

	t.Run("a bus address where nothing listens", func(t *testing.T) {
		dead := "unix:path=" + filepath.Join(t.TempDir(), "no-bus")
		assertNoBus(t, runHelper(t, map[string]string{"DBUS_SESSION_BUS_ADDRESS": dead}))
	})

	t.Run("no bus address, and no dbus-launch to start one", func(t *testing.T) {
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join("/run/user", u.Uid, "bus")); err == nil {
			t.Skip("this machine has a per-user bus at /run/user/" + u.Uid + "/bus, which godbus finds without the variable")
		}
		assertNoBus(t, runHelper(t, map[string]string{"DBUS_SESSION_BUS_ADDRESS": "", "PATH": t.TempDir()}))
	})
}

func TestRealKeychainWithoutSecretService(t *testing.T) {
	requireRealKeychain(t)
	addr := startBareBus(t)
	r := runHelper(t, map[string]string{"DBUS_SESSION_BUS_ADDRESS": addr})
	if r.Kind != "unavailable" || r.Reason != domain.KeychainNoService {
		t.Fatalf("got %s: %q; want unavailable: %q", r.Kind, r.Reason, domain.KeychainNoService)
	}
}

// startBareBus starts a private dbus-daemon that can activate no services,
// so org.freedesktop.secrets is provided by nobody, and returns its address.
func startBareBus(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Fatal("dbus-daemon is missing; install the dbus package")
	}
	dir, err := os.MkdirTemp("", "llbus") // short: socket paths are limited to ~108 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	conf := filepath.Join(dir, "bus.conf")
	err = os.WriteFile(conf, []byte(fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <!-- the policy of dbus's own session.conf; a narrower one leaves calls unanswered -->
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`, dir)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--print-address=1", "--nofork")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the bus address: %v", err)
	}
	return strings.TrimSpace(line)
}
