//go:build linux

// Integration tests against the real Secret Service (gnome-keyring). They run
// only with LEDGERLINE_KEYCHAIN_TESTS=1, and then a missing or broken keychain
// is a failure, not a skip. Run them in a throwaway session, as CI does:
//
//	LEDGERLINE_KEYCHAIN_TESTS=1 dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; go test -race -count=1 ./internal/secrets/...'
//
// The locked-keychain tests lock the login collection and unlock it again
// with its password, LEDGERLINE_KEYCHAIN_PASSWORD (default "pw", as above).
// They check that password before locking anything, so a wrong one fails the
// test instead of leaving a keyring locked.
package secrets_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

const (
	ssName      = "org.freedesktop.secrets"
	ssPath      = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService   = "org.freedesktop.Secret.Service"
	loginPath   = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	gnomeMaster = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"
)

// requireRealKeychain skips unless the real-keychain tests are switched on.
func requireRealKeychain(t *testing.T) {
	t.Helper()
	if os.Getenv("LEDGERLINE_KEYCHAIN_TESTS") != "1" {
		t.Skip("real keychain tests are off; set LEDGERLINE_KEYCHAIN_TESTS=1 and run under " +
			"dbus-run-session with an unlocked gnome-keyring (see keychain_integration_test.go)")
	}
}

// testService is a service name no real Ledgerline item lives under.
func testService(t *testing.T) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "Ledgerline-test-" + hex.EncodeToString(b[:])
}

// realStore returns a Store on the real keychain under a test service, and
// removes whatever the test leaves behind.
func realStore(t *testing.T, timeout time.Duration, accounts ...string) *secrets.Store {
	t.Helper()
	s := secrets.New(secrets.Options{Service: testService(t), Timeout: timeout})
	t.Cleanup(func() {
		for _, a := range accounts {
			if err := s.DeleteCredentials(context.Background(), a); err != nil {
				t.Errorf("cleanup of %s/%s: %v", s.Service(), a, err)
			}
		}
	})
	return s
}

// secretTool runs libsecret's command-line client, an independent witness of
// what is really in the keychain.
func secretTool(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Fatal("secret-tool is missing; install libsecret-tools")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	return string(out), err
}

func TestRealKeychainRoundTrip(t *testing.T) {
	requireRealKeychain(t)
	ctx := context.Background()
	s := realStore(t, 10*time.Second, "conn_real_a", "conn_real_b", "conn_real_c")
	// Quotes, a newline and non-ASCII, as JSON values and odd tokens carry.
	first := "{\"access_token\":\"at_ä€ \\\"q\\\"\"}\nline2"

	t.Run("a missing item is ErrNotFound", func(t *testing.T) {
		_, err := s.Get(ctx, "conn_real_a")
		if !errors.Is(err, secrets.ErrNotFound) || !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("Get of a missing item: %v", err)
		}
	})

	t.Run("set writes a real item that another client can read", func(t *testing.T) {
		if err := s.Set(ctx, "conn_real_a", first); err != nil {
			t.Fatalf("Set: %v", err)
		}
		got, err := s.Get(ctx, "conn_real_a")
		if err != nil || got != first {
			t.Fatalf("Get = %q, %v", got, err)
		}
		out, err := secretTool(t, "", "lookup", "service", s.Service(), "username", "conn_real_a")
		if err != nil || out != first {
			t.Fatalf("secret-tool lookup = %q, %v; want the value Set wrote", out, err)
		}
	})

	t.Run("overwriting replaces the item instead of adding one", func(t *testing.T) {
		if err := s.Set(ctx, "conn_real_a", "second"); err != nil {
			t.Fatalf("overwrite: %v", err)
		}
		if got, err := s.Get(ctx, "conn_real_a"); err != nil || got != "second" {
			t.Fatalf("Get after overwrite = %q, %v", got, err)
		}
		out, err := secretTool(t, "", "search", "--all", "service", s.Service(), "username", "conn_real_a")
		if err != nil {
			t.Fatalf("secret-tool search: %v", err)
		}
		if n := strings.Count(out, "secret = "); n != 1 {
			t.Fatalf("keychain holds %d items for the account, want 1", n)
		}
	})

	t.Run("an item written by another client is read back", func(t *testing.T) {
		if _, err := secretTool(t, "from-secret-tool", "store", "--label=Ledgerline test",
			"service", s.Service(), "username", "conn_real_b"); err != nil {
			t.Fatalf("secret-tool store: %v", err)
		}
		if got, err := s.Get(ctx, "conn_real_b"); err != nil || got != "from-secret-tool" {
			t.Fatalf("Get = %q, %v", got, err)
		}
	})

	t.Run("credentials round-trip through the real keychain", func(t *testing.T) {
		in := secrets.Credentials{Method: domain.AuthOAuth, AccessToken: "at_real_1", RefreshToken: "rt_real_1",
			TokenType: "bearer", Scope: "stripe_apps", Expiry: time.Now().Add(time.Hour).Truncate(time.Second)}
		if err := s.SaveCredentials(ctx, "conn_real_c", in); err != nil {
			t.Fatalf("Save: %v", err)
		}
		out, err := s.LoadCredentials(ctx, "conn_real_c")
		if err != nil || out.AccessToken != in.AccessToken || out.RefreshToken != in.RefreshToken || !out.Expiry.Equal(in.Expiry) {
			t.Fatalf("Load = %v, %v", out, err)
		}
	})

	t.Run("delete removes the item; a second delete is ErrNotFound", func(t *testing.T) {
		if err := s.Delete(ctx, "conn_real_a"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get(ctx, "conn_real_a"); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("Get after Delete: %v", err)
		}
		if _, err := secretTool(t, "", "lookup", "service", s.Service(), "username", "conn_real_a"); err == nil {
			t.Fatal("secret-tool still finds the deleted item")
		}
		if err := s.Delete(ctx, "conn_real_a"); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("second Delete: %v", err)
		}
		if err := s.DeleteCredentials(ctx, "conn_real_a"); err != nil {
			t.Fatalf("DeleteCredentials of a missing item: %v", err)
		}
	})
}
