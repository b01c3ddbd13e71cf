// Package gokeyringmock_test drives secrets.Store's default backend
// (go-keyring's package functions) through keyring.MockInit and
// MockInitWithError. It is a package of its own on purpose: MockInit swaps
// go-keyring's process-wide provider and cannot be undone, so in the secrets
// package's test binary it would silently turn the real-keychain integration
// tests into mock tests.
package gokeyringmock_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// These tests share go-keyring's global provider, so none runs in parallel.

func TestDefaultBackendWithGoKeyringMock(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	s := secrets.New(secrets.Options{Service: "Ledgerline-mock"})

	t.Run("set, get, overwrite and delete go through go-keyring", func(t *testing.T) {
		if err := s.Set(ctx, "conn_a", "one"); err != nil {
			t.Fatalf("Set: %v", err)
		}
		if v, err := keyring.Get("Ledgerline-mock", "conn_a"); err != nil || v != "one" {
			t.Fatalf("go-keyring holds %q, %v", v, err)
		}
		if err := s.Set(ctx, "conn_a", "two"); err != nil {
			t.Fatalf("overwrite: %v", err)
		}
		if v, err := s.Get(ctx, "conn_a"); err != nil || v != "two" {
			t.Fatalf("Get = %q, %v", v, err)
		}
		if err := s.Delete(ctx, "conn_a"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get(ctx, "conn_a"); !errors.Is(err, secrets.ErrNotFound) || !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("Get after delete: %v", err)
		}
	})

	t.Run("credentials round-trip and deleting twice is fine", func(t *testing.T) {
		in := secrets.Credentials{Method: domain.AuthOAuth, AccessToken: "at_mock", RefreshToken: "rt_mock",
			Expiry: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		if err := s.SaveCredentials(ctx, "conn_b", in); err != nil {
			t.Fatalf("Save: %v", err)
		}
		out, err := s.LoadCredentials(ctx, "conn_b")
		if err != nil || out.AccessToken != "at_mock" || out.RefreshToken != "rt_mock" || !out.Expiry.Equal(in.Expiry) {
			t.Fatalf("Load = %v, %v", out, err)
		}
		for i := 0; i < 2; i++ {
			if err := s.DeleteCredentials(ctx, "conn_b"); err != nil {
				t.Fatalf("DeleteCredentials #%d: %v", i+1, err)
			}
		}
	})
}

func TestDefaultBackendWithGoKeyringMockErrors(t *testing.T) {
	const secret = "sk_live_MOCK_SECRET_1234"
	ctx := context.Background()
	cases := []struct {
		name   string
		err    error
		kind   error
		reason string // the Error's Reason, which the window and the CLI word
	}{
		{"no session bus", errors.New("dbus: couldn't determine address of session bus"),
			secrets.ErrUnavailable, domain.KeychainNoSessionBus},
		{"no Secret Service", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown",
			Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}},
			secrets.ErrUnavailable, domain.KeychainNoService},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"),
			secrets.ErrLocked, ""},
		{"too big", keyring.ErrSetDataTooBig, secrets.ErrTooLarge, ""},
		{"not found", keyring.ErrNotFound, secrets.ErrNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keyring.MockInitWithError(c.err)
			s := secrets.New(secrets.Options{Service: "Ledgerline-mock"})
			for op, err := range map[string]error{
				"set":    s.Set(ctx, "conn_a", secret),
				"get":    func() error { _, err := s.Get(ctx, "conn_a"); return err }(),
				"delete": s.Delete(ctx, "conn_a"),
			} {
				if !errors.Is(err, c.kind) {
					t.Errorf("%s: err = %v, want kind %v", op, err, c.kind)
					continue
				}
				if _, f := domain.KindOf(err); f[domain.FactReason] != c.reason {
					t.Errorf("%s: reason %q, want %q", op, f[domain.FactReason], c.reason)
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s: error contains the secret", op)
				}
			}
		})
	}
}
