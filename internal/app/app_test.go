package app

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// sandboxApp opens the real app in sandbox mode on a fresh data dir, with
// an in-memory keychain and a log captured in logs.
type sandboxApp struct {
	*App
	browser *testkit.FormBrowser
	keys    secrets.Backend
	logs    *testkit.LogBuffer
}

func openSandboxApp(t *testing.T, keys secrets.Backend) *sandboxApp {
	t.Helper()
	if keys == nil {
		keys = secrets.NewMemoryBackend()
	}
	s := &sandboxApp{browser: &testkit.FormBrowser{}, keys: keys, logs: &testkit.LogBuffer{}}
	cfg := config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Sandbox: true}
	a, err := Open(context.Background(), cfg, Options{
		OpenURL:         func(u string) error { return s.browser.OpenURL(u) },
		KeychainBackend: keys,
		KeychainService: "Ledgerline-test",
		SignInTimeout:   20 * time.Second,
		Logger:          slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	s.App = a
	return s
}

func (s *sandboxApp) connections(t *testing.T) []domain.Connection {
	t.Helper()
	list, err := s.Store.ListConnections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestConnectThroughTheSandbox(t *testing.T) {
	ctx := context.Background()

	t.Run("connects the chosen account and saves the record and its tokens", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		want := s.Sandbox.Info.Accounts[1]
		s.browser.Account = want.ID
		conn, err := s.Connect.ConnectStripe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.browser.Wait(); err != nil {
			t.Fatal(err)
		}
		if conn.AccountID != want.ID || conn.Name != want.Name || conn.Livemode || conn.Status != domain.StatusConnected || conn.AuthMethod != domain.AuthOAuth {
			t.Errorf("connection %+v, want account %s %q in test mode", conn, want.ID, want.Name)
		}
		if !strings.Contains(s.browser.Final, "Ledgerline is connected") {
			t.Errorf("the browser was left on %q", s.browser.Final)
		}
		stored, err := s.Store.GetConnection(ctx, conn.ID)
		if err != nil || stored.AccountID != want.ID {
			t.Fatalf("stored %+v, %v", stored, err)
		}
		creds, err := s.Keychain.LoadCredentials(ctx, conn.ID)
		if err != nil {
			t.Fatal(err)
		}
		acct, err := s.Stripe.Account(ctx, creds.AccessToken)
		if err != nil || acct.ID != want.ID {
			t.Errorf("the stored token reads %+v, %v", acct, err)
		}
		if creds.RefreshToken == "" || creds.Expiry.IsZero() {
			t.Errorf("Stripe Apps tokens should come with a refresh token and an expiry: %v", creds)
		}
	})

	t.Run("denied consent says so and stores nothing", func(t *testing.T) {
		keys := secrets.NewMemoryBackend()
		s := openSandboxApp(t, keys)
		s.browser.Deny = true
		_, err := s.Connect.ConnectStripe(ctx)
		if !errors.Is(err, authflow.ErrDenied) {
			t.Fatalf("err = %v, want ErrDenied", err)
		}
		_ = s.browser.Wait()
		if n := len(s.connections(t)); n != 0 || keys.Len() != 0 {
			t.Errorf("%d records and %d keychain items after a denial", n, keys.Len())
		}
	})

	t.Run("a keychain that fails leaves no record behind", func(t *testing.T) {
		s := openSandboxApp(t, failingSet{secrets.NewMemoryBackend()})
		_, err := s.Connect.ConnectStripe(ctx)
		if !errors.Is(err, secrets.ErrUnavailable) {
			t.Fatalf("err = %v", err)
		}
		_ = s.browser.Wait()
		if n := len(s.connections(t)); n != 0 {
			t.Errorf("%d records after the keychain refused the tokens", n)
		}
	})

	t.Run("the same account can't be added twice", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		if _, err := s.Connect.ConnectStripe(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := s.Connect.ConnectStripe(ctx)
		if _, f := domain.KindOf(err); !errors.Is(err, domain.ErrAlreadyConnected) || f[domain.FactName] == "" {
			t.Errorf("err = %v", err)
		}
		_ = s.browser.Wait()
		if n := len(s.connections(t)); n != 1 {
			t.Errorf("%d records, want 1", n)
		}
	})
}

func TestReauthenticate(t *testing.T) {
	ctx := context.Background()
	t.Run("signing in to the same account restores the connection with new tokens", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		conn, err := s.Connect.ConnectStripe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := s.Keychain.LoadCredentials(ctx, conn.ID)
		if err := s.Store.SetStatus(ctx, conn.ID, domain.StatusNeedsReauth, domain.KindRevokedOAuth, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		got, err := s.Connect.Reauthenticate(ctx, conn.ID)
		if err != nil {
			t.Fatal(err)
		}
		after, _ := s.Keychain.LoadCredentials(ctx, conn.ID)
		stored, _ := s.Store.GetConnection(ctx, conn.ID)
		if got.Status != domain.StatusConnected || stored.Status != domain.StatusConnected || stored.StatusReason != "" {
			t.Errorf("after re-authentication: %+v", stored)
		}
		if after.AccessToken == before.AccessToken {
			t.Error("the keychain still holds the old token")
		}
		_ = s.browser.Wait()
	})

	t.Run("signing in to another account says so and changes nothing", func(t *testing.T) {
		s := openSandboxApp(t, nil)
		s.browser.Account = s.Sandbox.Info.Accounts[0].ID
		conn, err := s.Connect.ConnectStripe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_ = s.browser.Wait()
		before, _ := s.Keychain.LoadCredentials(ctx, conn.ID)
		_ = s.Store.SetStatus(ctx, conn.ID, domain.StatusNeedsReauth, domain.KindRevokedOAuth, nil, time.Now())

		s.browser.Account = s.Sandbox.Info.Accounts[2].ID
		_, err = s.Connect.Reauthenticate(ctx, conn.ID)
		if _, f := domain.KindOf(err); !errors.Is(err, domain.KindSignedInToOther) || f[domain.FactName] != conn.Name {
			t.Fatalf("err = %v", err)
		}
		_ = s.browser.Wait()
		after, _ := s.Keychain.LoadCredentials(ctx, conn.ID)
		stored, _ := s.Store.GetConnection(ctx, conn.ID)
		if after.AccessToken != before.AccessToken || stored.Status != domain.StatusNeedsReauth {
			t.Error("re-authenticating as another account changed the connection")
		}
	})
}

func TestDisconnect(t *testing.T) {
	ctx := context.Background()
	for _, deleteData := range []bool{false, true} {
		name := "keeps the record as disconnected"
		if deleteData {
			name = "removes the record when asked to delete the data"
		}
		t.Run("revokes the token at Stripe, deletes the keychain item and "+name, func(t *testing.T) {
			keys := secrets.NewMemoryBackend()
			s := openSandboxApp(t, keys)
			conn, err := s.Connect.ConnectStripe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_ = s.browser.Wait()
			creds, _ := s.Keychain.LoadCredentials(ctx, conn.ID)
			if err := s.Connect.Disconnect(ctx, conn.ID, deleteData); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Stripe.Account(ctx, creds.AccessToken); !errors.Is(err, stripeapi.ErrNeedsReauth) {
				t.Errorf("the old token still works at Stripe: %v", err)
			}
			if keys.Len() != 0 {
				t.Error("the keychain item is still there")
			}
			stored, err := s.Store.GetConnection(ctx, conn.ID)
			switch {
			case deleteData && !errors.Is(err, domain.ErrNotFound):
				t.Errorf("record still there: %+v, %v", stored, err)
			case !deleteData && (err != nil || stored.Status != domain.StatusDisconnected):
				t.Errorf("record %+v, %v; want status disconnected", stored, err)
			}
		})
	}
}

// TestNoSecretLeaks connects, refreshes and disconnects, then searches
// every file in the data dir (database, WAL, shared memory) and the log for
// each token Ledgerline held. None may appear.
func TestNoSecretLeaks(t *testing.T) {
	ctx := context.Background()
	s := openSandboxApp(t, nil)
	conn, err := s.Connect.ConnectStripe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.browser.Wait()
	first, _ := s.Keychain.LoadCredentials(ctx, conn.ID)

	// Refresh through the broker, as the Stripe client does when the access
	// token expires, and keep the rotated tokens.
	flow, err := authflow.New(authflow.Config{BrokerURL: s.Config.BrokerURL, OpenURL: s.browser.OpenURL})
	if err != nil {
		t.Fatal(err)
	}
	expired := oauthToken(first)
	expired.Expiry = time.Now().Add(-time.Minute)
	refreshed, err := flow.OAuth2Config("").TokenSource(flow.OAuth2Context(ctx), expired).Token()
	if err != nil {
		t.Fatal(err)
	}
	if refreshed.RefreshToken == first.RefreshToken {
		t.Fatal("the refresh token did not rotate")
	}
	if err := s.Connect.Disconnect(ctx, conn.ID, false); err != nil {
		t.Fatal(err)
	}
	secretsHeld := []string{first.AccessToken, first.RefreshToken, refreshed.AccessToken, refreshed.RefreshToken}

	var files []string
	err = filepath.WalkDir(s.Config.DataDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in the data dir: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range secretsHeld {
			if bytes.Contains(data, []byte(sec)) {
				t.Errorf("%s contains a token", filepath.Base(f))
			}
		}
	}
	logs := s.logs.String()
	if logs == "" {
		t.Error("nothing was logged, so the log check proves nothing")
	}
	for _, sec := range secretsHeld {
		if strings.Contains(logs, sec) {
			t.Error("the log contains a token")
		}
	}
}

// failingSet is a keychain that reads and deletes but refuses to store.
type failingSet struct{ secrets.Backend }

func (failingSet) Set(string, string, string) error {
	return errors.New("org.freedesktop.Secret.Error.IsLocked: Cannot create an item in a locked collection")
}
