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

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/ledgerline/ledgerline/internal/domain"
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
		name   string
		err    error
		kind   error
		reason string // the Error's Reason, a fact the window words
	}{
		{
			name:   "no session bus address at all",
			err:    errors.New("dbus: couldn't determine address of session bus"),
			kind:   ErrUnavailable,
			reason: domain.KeychainNoSessionBus,
		},
		{
			name:   "dbus-launch missing while autolaunching a bus",
			err:    &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound},
			kind:   ErrUnavailable,
			reason: domain.KeychainNoSessionBus,
		},
		{
			name:   "a bus address nobody answers on",
			err:    realDialError(t),
			kind:   ErrUnavailable,
			reason: domain.KeychainNoSessionBus,
		},
		{
			name: "org.freedesktop.secrets not provided",
			err: dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown",
				Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}},
			kind:   ErrUnavailable,
			reason: domain.KeychainNoService,
		},
		{
			name:   "the keychain daemon failed to start on activation",
			err:    dbus.NewError("org.freedesktop.DBus.Error.Spawn.ChildExited", []any{"Process exited with status 1"}),
			kind:   ErrUnavailable,
			reason: domain.KeychainNoService,
		},
		{
			name: "unlock prompt dismissed or not shown",
			err:  errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"),
			kind: ErrLocked,
		},
		{
			name: "Secret Service says the item is locked",
			err:  dbus.NewError("org.freedesktop.Secret.Error.IsLocked", []any{"Cannot get secret of a locked object"}),
			kind: ErrLocked,
		},
		{
			name:   "no such collection",
			err:    dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject", Body: []any{"The collection does not exist"}},
			kind:   ErrUnavailable,
			reason: domain.KeychainNoCollection,
		},
		{
			name: "the bus gave up waiting for the daemon",
			err:  dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply", Body: []any{"Did not receive a reply."}},
			kind: ErrTimeout,
		},
		{
			name:   "an unknown D-Bus error",
			err:    dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied", Body: []any{"Rejected send message"}},
			kind:   ErrUnavailable,
			reason: domain.KeychainSecretService,
		},
		{
			name:   "anything else",
			err:    dbus.ErrClosed,
			kind:   ErrUnavailable,
			reason: domain.KeychainSecretService,
		},
		{
			name: "not found, wrapped",
			err:  fmt.Errorf("lookup: %w", keyring.ErrNotFound),
			kind: ErrNotFound,
		},
		{
			name: "too much data",
			err:  keyring.ErrSetDataTooBig,
			kind: ErrTooLarge,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind, reason := classify(c.err, "linux")
			if kind != c.kind || reason != c.reason {
				t.Fatalf("kind, reason = %v, %q; want %v, %q", kind, reason, c.kind, c.reason)
			}
		})
	}
}

func TestClassifyOtherPlatforms(t *testing.T) {
	t.Run("macOS failures are the macOS Keychain's", func(t *testing.T) {
		kind, msg := classify(&exec.ExitError{}, "darwin")
		if kind != ErrUnavailable || msg != domain.KeychainMacOS {
			t.Fatalf("%v: %q", kind, msg)
		}
	})
	t.Run("Windows failures are Credential Manager's", func(t *testing.T) {
		kind, msg := classify(errors.New("Element not found."), "windows")
		if kind != ErrUnavailable || msg != domain.KeychainWindows {
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
	t.Run("an unsupported platform is told apart", func(t *testing.T) {
		kind, msg := classify(keyring.ErrUnsupportedPlatform, "plan9")
		if kind != ErrUnavailable || msg != domain.KeychainUnsupported {
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
		t.Run(name+": the secret is in neither the text nor the detail", func(t *testing.T) {
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
