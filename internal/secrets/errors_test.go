package secrets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Sentences the UI shows, as written in the spec; tests compare them whole.
const (
	wantNoService = "No keychain service is running. Ledgerline keeps secrets in the system keychain " +
		"(GNOME Keyring or KWallet's Secret Service). Install gnome-keyring and sign in again, " +
		"or start it with `gnome-keyring-daemon --start --components=secrets`."
)

// realDialError is what godbus returns when DBUS_SESSION_BUS_ADDRESS names a
// socket nobody listens on.
func realDialError(t *testing.T) error {
	t.Helper()
	_, err := net.Dial("unix", filepath.Join(t.TempDir(), "no-bus"))
	if err == nil {
		t.Fatal("dialing a missing socket succeeded")
	}
	return err
}

func TestClassifyLinux(t *testing.T) {
	cases := []struct {
		name     string
		err      error
		kind     error
		contains []string
		exact    string
	}{
		{
			name:     "no session bus address at all",
			err:      errors.New("dbus: couldn't determine address of session bus"),
			kind:     ErrUnavailable,
			contains: []string{"no desktop session bus", "logged-in desktop session", "dbus-run-session"},
		},
		{
			name:     "dbus-launch missing while autolaunching a bus",
			err:      &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound},
			kind:     ErrUnavailable,
			contains: []string{"no desktop session bus"},
		},
		{
			name:     "a bus address nobody answers on",
			err:      realDialError(t),
			kind:     ErrUnavailable,
			contains: []string{"no desktop session bus"},
		},
		{
			name: "org.freedesktop.secrets not provided",
			err: dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown",
				Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}},
			kind:  ErrUnavailable,
			exact: wantNoService,
		},
		{
			name:  "the keychain daemon failed to start on activation",
			err:   dbus.NewError("org.freedesktop.DBus.Error.Spawn.ChildExited", []any{"Process exited with status 1"}),
			kind:  ErrUnavailable,
			exact: wantNoService,
		},
		{
			name:     "unlock prompt dismissed or not shown",
			err:      errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"),
			kind:     ErrLocked,
			contains: []string{"keychain is locked", "Unlock the \"Login\" keyring"},
		},
		{
			name:     "Secret Service says the item is locked",
			err:      dbus.NewError("org.freedesktop.Secret.Error.IsLocked", []any{"Cannot get secret of a locked object"}),
			kind:     ErrLocked,
			contains: []string{"keychain is locked"},
		},
		{
			name:     "no such collection",
			err:      dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject", Body: []any{"The collection does not exist"}},
			kind:     ErrUnavailable,
			contains: []string{"no default keyring"},
		},
		{
			name:     "the bus gave up waiting for the daemon",
			err:      dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply", Body: []any{"Did not receive a reply."}},
			kind:     ErrTimeout,
			contains: []string{"did not answer in time", "locked and waiting for your password"},
		},
		{
			name:     "an unknown D-Bus error",
			err:      dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied", Body: []any{"Rejected send message"}},
			kind:     ErrUnavailable,
			contains: []string{"Secret Service", "running and unlocked"},
		},
		{
			name:     "anything else",
			err:      dbus.ErrClosed,
			kind:     ErrUnavailable,
			contains: []string{"Secret Service"},
		},
		{
			name:     "not found, wrapped",
			err:      fmt.Errorf("lookup: %w", keyring.ErrNotFound),
			kind:     ErrNotFound,
			contains: []string{"no saved credentials"},
		},
		{
			name:     "too much data",
			err:      keyring.ErrSetDataTooBig,
			kind:     ErrTooLarge,
			contains: []string{"too large"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind, msg := classify(c.err, "linux")
			if kind != c.kind {
				t.Fatalf("kind = %v, want %v", kind, c.kind)
			}
			if c.exact != "" && msg != c.exact {
				t.Fatalf("sentence:\n got %q\nwant %q", msg, c.exact)
			}
			for _, w := range c.contains {
				if !strings.Contains(msg, w) {
					t.Errorf("sentence %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestClassifyOtherPlatforms(t *testing.T) {
	t.Run("macOS failures get a sentence about the macOS Keychain", func(t *testing.T) {
		kind, msg := classify(&exec.ExitError{}, "darwin")
		if kind != ErrUnavailable || !strings.Contains(msg, "macOS Keychain") || !strings.Contains(msg, "Keychain Access") {
			t.Fatalf("%v: %q", kind, msg)
		}
	})
	t.Run("Windows failures get a sentence about Credential Manager", func(t *testing.T) {
		kind, msg := classify(errors.New("Element not found."), "windows")
		if kind != ErrUnavailable || !strings.Contains(msg, "Windows Credential Manager") {
			t.Fatalf("%v: %q", kind, msg)
		}
	})
	t.Run("not found is not found everywhere", func(t *testing.T) {
		for _, goos := range []string{"darwin", "windows", "linux", "freebsd"} {
			if kind, _ := classify(keyring.ErrNotFound, goos); kind != ErrNotFound {
				t.Errorf("%s: kind %v", goos, kind)
			}
		}
	})
	t.Run("an unsupported platform says credentials are kept nowhere else", func(t *testing.T) {
		kind, msg := classify(keyring.ErrUnsupportedPlatform, "plan9")
		if kind != ErrUnavailable || !strings.Contains(msg, "never keeps credentials anywhere else") {
			t.Fatalf("%v: %q", kind, msg)
		}
	})
}

func TestErrorsThroughTheStore(t *testing.T) {
	const secret = "sk_live_SECRET_4242"
	ctx := context.Background()
	// Worst case: a backend whose error text quotes the secret it was given.
	backendErrs := map[string]error{
		"no service": dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"no service for " + secret}},
		"locked":     fmt.Errorf("failed to unlock correct collection '%s'", secret),
		"no bus":     fmt.Errorf("dbus: couldn't determine address of session bus (%s)", secret),
		"unknown":    errors.New("weird failure while storing " + secret),
	}
	for name, berr := range backendErrs {
		t.Run(name+": the secret is in neither the sentence nor the detail", func(t *testing.T) {
			s := New(Options{Backend: failingBackend{berr}})
			err := s.Set(ctx, "conn_a", secret)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T is not *Error", err)
			}
			for _, text := range []string{err.Error(), e.Detail, fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", e)} {
				if strings.Contains(text, secret) {
					t.Fatalf("secret leaked: %q", text)
				}
			}
			if e.Detail == "" || !strings.Contains(e.Detail, "[redacted]") {
				t.Fatalf("detail %q should keep the backend's words with the secret removed", e.Detail)
			}
			if e.Op != "save" || e.Account != "conn_a" {
				t.Fatalf("op %q account %q", e.Op, e.Account)
			}
		})
	}

	t.Run("categories reach the caller through errors.Is", func(t *testing.T) {
		s := New(Options{Backend: failingBackend{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")}})
		_, err := s.Get(ctx, "conn_a")
		if !errors.Is(err, ErrLocked) || errors.Is(err, ErrUnavailable) || errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("err %v matches the wrong categories", err)
		}
	})
}

func TestFormatWait(t *testing.T) {
	cases := map[string]string{"15s": "15 s", "1.5s": "1.5 s", "50ms": "50 ms", "2m": "120 s"}
	for in, want := range cases {
		d, _ := time.ParseDuration(in)
		if got := formatWait(d); got != want {
			t.Errorf("formatWait(%s) = %q, want %q", in, got, want)
		}
	}
}
