package secrets

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// The largest credential Ledgerline stores is an OAuth one. Stripe's
// tokens are far shorter than 255 characters (its ids' documented limit),
// so credentials with 255-character tokens, the longest scope and a
// connection id like every other are the upper bound: they must fit the
// strictest keychain (Windows', 2,560 bytes) with room to spare.
func TestTheLargestCredentialFitsEveryKeychain(t *testing.T) {
	ctx := context.Background()
	s := New(Options{Service: "Ledgerline Sandbox", Backend: NewMemoryBackend()})
	largest := Credentials{Method: domain.AuthOAuth, AccessToken: "sk_live_" + strings.Repeat("x", 247),
		RefreshToken: "rt_" + strings.Repeat("y", 252), TokenType: "bearer", Scope: "stripe_apps read_only read_write",
		Expiry: time.Date(2026, 12, 8, 3, 30, 0, 123456789, time.UTC)}
	connID := domain.NewConnectionID()
	if err := s.SaveCredentials(ctx, connID, largest); err != nil {
		t.Fatalf("the largest credential: %v", err)
	}
	doc, err := s.Get(ctx, connID)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc) > windowsMaxSecret/2 {
		t.Errorf("the largest credential takes %d bytes: less than half Windows' %d would leave little room", len(doc), windowsMaxSecret)
	}
	if err := fitsEveryKeychain("Ledgerline Sandbox", connID, doc); err != nil {
		t.Errorf("%d bytes don't fit every keychain: %v", len(doc), err)
	}
}

// A future credential too large for one of the keychains fails on every
// system, with ErrTooLarge's sentence and never the value.
func TestACredentialTooLargeForAKeychainFailsEverywhere(t *testing.T) {
	ctx := context.Background()
	s := New(Options{Service: "Ledgerline", Backend: NewMemoryBackend()})
	for name, size := range map[string]int{"over Windows' 2,560 bytes": windowsMaxSecret + 1, "at Windows' limit, over macOS's command once encoded": 0} {
		t.Run(name, func(t *testing.T) {
			secret := strings.Repeat("z", size)
			if size == 0 {
				// Windows takes it; a service name long enough makes macOS's
				// command too long.
				secret = strings.Repeat("z", windowsMaxSecret)
				s = New(Options{Service: strings.Repeat("L", 700), Backend: NewMemoryBackend()})
			}
			err := s.Set(ctx, "conn_x", secret)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Set = %v, want ErrTooLarge", err)
			}
			if strings.Contains(err.Error(), secret[:50]) {
				t.Error("the error holds the value")
			}
		})
	}
	if err := s.Set(ctx, "conn_x", strings.Repeat("z", 100)); err != nil {
		t.Errorf("a small secret: %v", err)
	}
}
