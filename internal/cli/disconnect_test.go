package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

func TestDisconnectCommand(t *testing.T) {
	// Issue 12: a revocation that does not finish must keep the keychain
	// item and say how to try again.
	t.Run("a broker that can't be reached keeps everything and says how to try again", func(t *testing.T) {
		dir := t.TempDir()
		conn := sampleConnection(0)
		seed(t, dir, conn)
		keys := secrets.NewMemoryBackend()
		err := secrets.New(secrets.Options{Backend: keys}).SaveCredentials(context.Background(), conn.ID,
			secrets.Credentials{Method: domain.AuthOAuth, AccessToken: "sk_test_expiredaccess", RefreshToken: "rt_stillgood0123456789"})
		if err != nil {
			t.Fatal(err)
		}
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()

		code, out, errOut := runCLI(t, Env{Keychain: keys}, "--data-dir", dir, "--broker-url", down.URL, "disconnect", conn.ID)
		if code == 0 || strings.Contains(out, "is disconnected") {
			t.Fatalf("exit %d, out %q", code, out)
		}
		if !strings.Contains(errOut, "still connected") || !strings.Contains(errOut, "ledgerline disconnect "+conn.ID) || !strings.Contains(errOut, "sign-in service") {
			t.Errorf("stderr %q", errOut)
		}
		if strings.Contains(errOut, "rt_stillgood") {
			t.Error("the refresh token was printed")
		}
		if keys.Len() != 1 {
			t.Error("the keychain item is gone although nothing was revoked")
		}
		_, list, _ := runCLI(t, Env{Keychain: keys}, "--data-dir", dir, "connections", "--json")
		if !strings.Contains(list, `"status": "connected"`) {
			t.Errorf("the connection's status changed: %s", list)
		}
	})
}
