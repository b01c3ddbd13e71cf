package connect

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// These unit tests cover the paths the sandbox can't provoke; the app
// package tests the service end to end through the sandbox and broker.

type fakeRecords struct {
	commitErr error // returned after beforeCommit succeeds
	created   []domain.Connection
	byID      map[string]domain.Connection
}

func (f *fakeRecords) CreateConnection(ctx context.Context, c domain.Connection, before func(context.Context) error) error {
	if err := before(ctx); err != nil {
		return err
	}
	if f.commitErr != nil {
		return f.commitErr
	}
	f.created = append(f.created, c)
	return nil
}
func (f *fakeRecords) GetConnection(_ context.Context, id string) (domain.Connection, error) {
	c, ok := f.byID[id]
	if !ok {
		return c, domain.ErrNotFound
	}
	return c, nil
}
func (f *fakeRecords) UpdateConnection(context.Context, domain.Connection) error { return nil }
func (f *fakeRecords) UpdateConnectionWith(ctx context.Context, c domain.Connection, before func(context.Context) error) error {
	return before(ctx)
}
func (f *fakeRecords) DeleteConnection(context.Context, string) error { return nil }

type fakeSignIn struct {
	result    *authflow.Result
	revokeErr error
	revoked   []string
	// onRevoke, when set, answers Revoke instead of revokeErr.
	onRevoke func(tok string) error
}

func (f *fakeSignIn) Login(context.Context, authflow.LoginOptions) (*authflow.Result, error) {
	return f.result, nil
}
func (f *fakeSignIn) Revoke(_ context.Context, tok string) error {
	f.revoked = append(f.revoked, tok)
	if f.onRevoke != nil {
		return f.onRevoke(tok)
	}
	return f.revokeErr
}

type fakeAccounts map[string]stripeapi.Account

func (f fakeAccounts) Account(_ context.Context, key string) (stripeapi.Account, error) {
	if a, ok := f[key]; ok {
		return a, nil
	}
	return stripeapi.Account{}, stripeapi.Classify(errors.New("dial tcp: connection refused"))
}

func newService(rec *fakeRecords, keys *secrets.Store, sign *fakeSignIn, accts fakeAccounts) *Service {
	return New(Params{Records: rec, Credentials: keys, SignIn: sign, Accounts: accts,
		Now: func() time.Time { return time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC) }})
}

func TestConnectStripeUnits(t *testing.T) {
	ctx := context.Background()
	res := &authflow.Result{Token: &oauth2.Token{AccessToken: "sk_test_tok", RefreshToken: "rt_x"}, AccountID: "acct_1"}

	t.Run("a record that fails to commit takes its keychain item back", func(t *testing.T) {
		backend := secrets.NewMemoryBackend()
		rec := &fakeRecords{commitErr: errors.New("disk I/O error")}
		s := newService(rec, secrets.New(secrets.Options{Backend: backend}), &fakeSignIn{result: res}, fakeAccounts{"sk_test_tok": {ID: "acct_1", Name: "Acme"}})
		_, err := s.ConnectStripe(ctx)
		if err == nil || !strings.Contains(err.Error(), "disk I/O error") {
			t.Fatalf("err = %v", err)
		}
		if backend.Len() != 0 {
			t.Error("the keychain item was left behind")
		}
	})

	t.Run("no broker means a sentence, not a sign-in", func(t *testing.T) {
		s := New(Params{Records: &fakeRecords{}, Accounts: fakeAccounts{}})
		if _, err := s.ConnectStripe(ctx); !errors.Is(err, ErrNoBroker) || s.CanSignIn() {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("an account Stripe can't be asked about connects nothing", func(t *testing.T) {
		backend := secrets.NewMemoryBackend()
		rec := &fakeRecords{}
		s := newService(rec, secrets.New(secrets.Options{Backend: backend}), &fakeSignIn{result: res}, fakeAccounts{})
		_, err := s.ConnectStripe(ctx)
		if !errors.Is(err, stripeapi.ErrNetwork) || len(rec.created) != 0 || backend.Len() != 0 {
			t.Errorf("err = %v, %d records, %d items", err, len(rec.created), backend.Len())
		}
	})
}

func TestDisconnectUnits(t *testing.T) {
	ctx := context.Background()
	conn := domain.Connection{ID: "conn_1", Name: "Acme", AccountID: "acct_1", AuthMethod: domain.AuthOAuth}
	oauthCreds := secrets.Credentials{Method: domain.AuthOAuth, AccessToken: "sk_test_tok", RefreshToken: "rt_old"}
	setup := func(t *testing.T, creds secrets.Credentials, sign *fakeSignIn) (*Service, *secrets.Store, *secrets.MemoryBackend) {
		t.Helper()
		backend := secrets.NewMemoryBackend()
		keys := secrets.New(secrets.Options{Backend: backend})
		if err := keys.SaveCredentials(ctx, "conn_1", creds); err != nil {
			t.Fatal(err)
		}
		c := conn
		c.AuthMethod = creds.Method
		return newService(&fakeRecords{byID: map[string]domain.Connection{"conn_1": c}}, keys, sign, nil), keys, backend
	}

	// Issue 12: Disconnect revoked with the access token, which is dead an
	// hour after sign-in in the Stripe Apps flavour.
	t.Run("revokes with the refresh token, whatever the access token's age", func(t *testing.T) {
		sign := &fakeSignIn{}
		s, _, backend := setup(t, oauthCreds, sign)
		reason, err := s.Disconnect(ctx, "conn_1", false)
		if err != nil || reason != domain.KindDisconnected {
			t.Fatalf("reason %q, err %v", reason, err)
		}
		if len(sign.revoked) != 1 || sign.revoked[0] != "rt_old" {
			t.Fatalf("revoked with %v, want the refresh token", sign.revoked)
		}
		if backend.Len() != 0 {
			t.Error("the keychain item is still there")
		}
	})

	t.Run("a failed revocation changes nothing", func(t *testing.T) {
		sign := &fakeSignIn{revokeErr: authflow.ErrBrokerUnreachable}
		s, keys, backend := setup(t, oauthCreds, sign)
		_, err := s.Disconnect(ctx, "conn_1", false)
		if !errors.Is(err, authflow.ErrBrokerUnreachable) {
			t.Fatalf("err = %v", err)
		}
		if backend.Len() != 1 {
			t.Fatal("the keychain item is gone although access was not revoked")
		}
		if kept, _ := keys.LoadCredentials(ctx, "conn_1"); kept.RefreshToken != "rt_old" {
			t.Error("the kept item changed")
		}
	})

	t.Run("a failure after the broker rotated the token keeps the renewed tokens, so trying again works", func(t *testing.T) {
		sign := &fakeSignIn{revokeErr: &authflow.RotatedError{Err: domain.E(domain.KindBrokerTrouble, nil),
			Token: &oauth2.Token{AccessToken: "sk_test_new", RefreshToken: "rt_new", Expiry: time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)}}}
		s, keys, _ := setup(t, oauthCreds, sign)
		if _, err := s.Disconnect(ctx, "conn_1", false); !errors.Is(err, domain.KindBrokerTrouble) {
			t.Fatalf("err = %v", err)
		}
		kept, err := keys.LoadCredentials(ctx, "conn_1")
		if err != nil || kept.RefreshToken != "rt_new" || kept.AccessToken != "sk_test_new" || kept.Method != domain.AuthOAuth {
			t.Fatalf("kept %v, %v; want the renewed tokens", kept.RefreshToken, err)
		}
		sign.revokeErr = nil
		if reason, err := s.Disconnect(ctx, "conn_1", false); err != nil || reason != domain.KindDisconnected {
			t.Fatalf("retry: %q %v", reason, err)
		}
		if sign.revoked[1] != "rt_new" {
			t.Errorf("the retry revoked with %q", sign.revoked[1])
		}
	})

	t.Run("a refresh token Stripe no longer renews forgets the tokens and says the removal is unconfirmed", func(t *testing.T) {
		sign := &fakeSignIn{revokeErr: domain.E(domain.KindRevokeUnconfirmed, nil)}
		s, _, backend := setup(t, oauthCreds, sign)
		reason, err := s.Disconnect(ctx, "conn_1", false)
		if err != nil || reason != domain.KindDisconnectedUnconfirmed {
			t.Fatalf("reason %q, err %v", reason, err)
		}
		if backend.Len() != 0 {
			t.Error("a dead token was kept")
		}
	})

	t.Run("a token a sync rotated meanwhile is revoked with the newer one from the keychain", func(t *testing.T) {
		var keys *secrets.Store
		sign := &fakeSignIn{}
		sign.onRevoke = func(tok string) error {
			if tok == "rt_old" {
				// Between the read and the revoke, a sync renewed the tokens.
				_ = keys.SaveCredentials(ctx, "conn_1", secrets.Credentials{Method: domain.AuthOAuth, AccessToken: "sk_test_2", RefreshToken: "rt_synced"})
				return domain.E(domain.KindRevokeUnconfirmed, nil)
			}
			return nil
		}
		s, k, backend := setup(t, oauthCreds, sign)
		keys = k
		reason, err := s.Disconnect(ctx, "conn_1", false)
		if err != nil || reason != domain.KindDisconnected || len(sign.revoked) != 2 || sign.revoked[1] != "rt_synced" {
			t.Fatalf("reason %q, err %v, revoked with %v", reason, err, sign.revoked)
		}
		if backend.Len() != 0 {
			t.Error("the keychain item is still there")
		}
	})

	t.Run("an API key is forgotten locally, with advice to delete it in Stripe", func(t *testing.T) {
		sign := &fakeSignIn{}
		s, _, backend := setup(t, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: "rk_test_abc"}, sign)
		reason, err := s.Disconnect(ctx, "conn_1", false)
		if err != nil || reason != domain.KindDisconnectedKey {
			t.Fatal(reason, err)
		}
		if len(sign.revoked) != 0 || backend.Len() != 0 {
			t.Errorf("revoked %d tokens; %d items left", len(sign.revoked), backend.Len())
		}
	})
}

func TestAPIKeyRefusalsAreKinds(t *testing.T) {
	ctx := context.Background()
	s := newService(&fakeRecords{}, secrets.New(secrets.Options{Backend: secrets.NewMemoryBackend()}), nil, fakeAccounts{})
	for raw, want := range map[string]domain.Kind{
		"":                                 domain.KindKeyEmpty,
		strings.Repeat("x", 300):           domain.KindKeyTooLong,
		"pk_test_51AbCdEfGhIjKlMnOpQrStUv": domain.KindKeyPublishable,
		"whsec_abc":                        domain.KindKeyWebhookSecret,
		"hello":                            domain.KindKeyMalformed,
	} {
		_, _, err := s.ConnectWithAPIKey(ctx, raw)
		if k, _ := domain.KindOf(err); k != want || !errors.Is(err, ErrBadKey) {
			t.Errorf("%.20q: kind %q (%v), want %q", raw, k, err, want)
		}
		if raw != "" && strings.Contains(err.Error(), raw) {
			t.Errorf("the error repeats the input: %v", err)
		}
	}
}
