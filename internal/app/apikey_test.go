package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/connect"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

func TestConnectWithAPIKey(t *testing.T) {
	ctx := context.Background()

	t.Run("a restricted key with a trailing newline connects that key's account", func(t *testing.T) {
		keys := secrets.NewMemoryBackend()
		s := openSandboxApp(t, keys)
		acct := s.Sandbox.Info.Accounts[2]
		conn, warning, err := s.Connect.ConnectWithAPIKey(ctx, "  "+acct.APIKey+"\r\n")
		if err != nil {
			t.Fatal(err)
		}
		if warning != "" || conn.AccountID != acct.ID || conn.Name != acct.Name || conn.AuthMethod != domain.AuthAPIKey || conn.Livemode || conn.Scope != connect.ScopeRestrictedKey {
			t.Errorf("connection %+v, warning %q", conn, warning)
		}
		creds, err := s.Keychain.LoadCredentials(ctx, conn.ID)
		if err != nil || creds.APIKey != acct.APIKey || creds.Method != domain.AuthAPIKey {
			t.Errorf("keychain holds %v (%v)", creds, err)
		}
	})

	t.Run("a secret key connects with a warning that a restricted key is safer", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		_, warning, err := s.Connect.ConnectWithAPIKey(ctx, s.Sandbox.Info.SecretKey)
		if err != nil {
			t.Fatal(err)
		}
		if warning != connect.WarningSecretKey {
			t.Errorf("warning %q", warning)
		}
	})

	unknown := "rk_test_" + strings.Repeat("Zq9", 33)
	bad := []struct {
		name, key string
		kind      domain.Kind
	}{
		{"a publishable key", "pk_test_" + strings.Repeat("a", 40), domain.KindKeyPublishable},
		{"an empty line", "\n", domain.KindKeyEmpty},
		{"10 kB of garbage", strings.Repeat("garbage!", 1280), domain.KindKeyTooLong},
		{"a webhook secret", "whsec_" + strings.Repeat("b", 32), domain.KindKeyWebhookSecret},
		{"a key-looking word with spaces", "rk_test_abc def ghi jkl mno pqr", domain.KindKeyMalformed},
		{"a valid-looking key the sandbox doesn't know", unknown, domain.KindKeyUnknown},
	}
	for _, tc := range bad {
		t.Run("refuses "+tc.name+" with a clear message and stores nothing", func(t *testing.T) {
			keys := secrets.NewMemoryBackend()
			s := openSandboxApp(t, keys)
			_, _, err := s.Connect.ConnectWithAPIKey(ctx, tc.key)
			if k, _ := domain.KindOf(err); !errors.Is(err, connect.ErrBadKey) || k != tc.kind {
				t.Fatalf("err = %v, want kind %s", err, tc.kind)
			}
			if strings.TrimSpace(tc.key) != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.key)) {
				t.Error("the error repeats the key")
			}
			if n := len(s.connections(t)); n != 0 || keys.Len() != 0 {
				t.Errorf("%d records and %d keychain items", n, keys.Len())
			}
		})
	}

	t.Run("a keychain write failure after a good key leaves no record", func(t *testing.T) {
		s := openSandboxApp(t, failingSet{secrets.NewMemoryBackend()})
		_, _, err := s.Connect.ConnectWithAPIKey(ctx, s.Sandbox.Info.Accounts[0].APIKey)
		if err == nil || !strings.Contains(err.Error(), "keychain") {
			t.Fatalf("err = %v, want the keychain's error", err)
		}
		if n := len(s.connections(t)); n != 0 {
			t.Errorf("%d records", n)
		}
	})

	t.Run("the same account can't be added twice; re-authentication is offered", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		key := s.Sandbox.Info.Accounts[0].APIKey
		if _, _, err := s.Connect.ConnectWithAPIKey(ctx, key); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.Connect.ConnectWithAPIKey(ctx, key)
		if _, f := domain.KindOf(err); !errors.Is(err, domain.ErrAlreadyConnected) || f[domain.FactAccountID] != s.Sandbox.Info.Accounts[0].ID {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("a new key for another account changes nothing", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		conn, _, err := s.Connect.ConnectWithAPIKey(ctx, s.Sandbox.Info.Accounts[0].APIKey)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = s.Connect.ReauthenticateWithAPIKey(ctx, conn.ID, s.Sandbox.Info.Accounts[1].APIKey)
		if !errors.Is(err, domain.KindKeyOtherAccount) {
			t.Fatalf("err = %v", err)
		}
		creds, _ := s.Keychain.LoadCredentials(ctx, conn.ID)
		if creds.APIKey != s.Sandbox.Info.Accounts[0].APIKey {
			t.Error("the key was replaced")
		}
	})
}
