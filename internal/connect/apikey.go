package connect

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// Key kinds Ledgerline accepts; their names are the connection's Scope.
const (
	ScopeRestrictedKey = "restricted_key"
	ScopeSecretKey     = "secret_key"
)

// createKeyHelp says where in Stripe's dashboard the right key is made.
const createKeyHelp = "In Stripe's dashboard, open Developers › API keys › Create restricted key, " +
	"give it Read access to the data you want in Ledgerline, and paste the key that starts with rk_live_ (or rk_test_ for test mode)."

// SecretKeyWarning is returned with a connection made from an sk_ key.
const SecretKeyWarning = "This is a secret key, which can change anything in your Stripe account. " +
	"Ledgerline only reads, so a read-only restricted key is safer: " + createKeyHelp

// maxKeyLength is far above Stripe's longest keys; longer input is not a key.
const maxKeyLength = 256

var keyShape = regexp.MustCompile(`^(rk|sk)_(live|test)_[A-Za-z0-9]{16,}$`)

// ErrBadKey marks input that is not a usable Stripe API key.
var ErrBadKey = errors.New("not a usable Stripe API key")

// keyError is a sentence about a pasted key that matches ErrBadKey.
func keyError(msg string) error { return &domain.SentenceError{Msg: msg, Kind: ErrBadKey} }

// parsedKey is a key that passed the shape checks.
type parsedKey struct {
	key      string
	livemode bool
	scope    string
	warning  string
}

// parseKey trims the pasted text and checks it is a restricted or secret
// key. Its errors match ErrBadKey, say which key to create and where, and
// never repeat the input.
func parseKey(raw string) (parsedKey, error) {
	key := strings.TrimSpace(raw)
	bad := func(msg string) (parsedKey, error) {
		return parsedKey{}, keyError(msg + " " + createKeyHelp)
	}
	switch {
	case key == "":
		return bad("No API key was given.")
	case len(key) > maxKeyLength:
		return bad(fmt.Sprintf("That is %d characters long, which is not a Stripe API key.", len(key)))
	case strings.HasPrefix(key, "pk_"):
		return bad("That is a publishable key (pk_…), which can't read your payments or invoices.")
	case strings.HasPrefix(key, "whsec_"):
		return bad("That is a webhook signing secret (whsec_…), not an API key.")
	case !keyShape.MatchString(key):
		return bad("That doesn't look like a Stripe restricted or secret API key.")
	}
	p := parsedKey{key: key, livemode: strings.Contains(key[:8], "live"), scope: ScopeRestrictedKey}
	if strings.HasPrefix(key, "sk_") {
		p.scope, p.warning = ScopeSecretKey, SecretKeyWarning
	}
	return p, nil
}

// checkKey asks Stripe which account the key belongs to.
func (s *Service) checkKey(ctx context.Context, p parsedKey) (stripeapi.Account, error) {
	acct, err := s.p.Accounts.Account(ctx, p.key)
	switch {
	case err == nil:
		return acct, nil
	case errors.Is(err, stripeapi.ErrNeedsReauth):
		return stripeapi.Account{}, keyError("Stripe doesn't recognise this API key. Check that you copied all of it, and that it hasn't been deleted or rolled in Stripe's dashboard. Nothing was saved.")
	case errors.Is(err, stripeapi.ErrPermission):
		return stripeapi.Account{}, fmt.Errorf("Stripe accepted the key, but it may not read the account's details. %w", err)
	default:
		return stripeapi.Account{}, fmt.Errorf("Ledgerline couldn't check the key with Stripe, so nothing was saved. %w", err)
	}
}

// ConnectWithAPIKey links a Stripe account through a restricted (or
// secret) API key: it trims the pasted text, checks its shape, asks Stripe
// which account it belongs to, and saves the record and the key both or
// neither. warning is non-empty for secret keys. Errors: ErrBadKey (with
// what to do), domain.ErrAlreadyConnected, stripeapi's classes, keychain
// errors. The key is never in an error, a log or the database.
func (s *Service) ConnectWithAPIKey(ctx context.Context, raw string) (conn domain.Connection, warning string, err error) {
	p, err := parseKey(raw)
	if err != nil {
		return domain.Connection{}, "", err
	}
	acct, err := s.checkKey(ctx, p)
	if err != nil {
		return domain.Connection{}, "", err
	}
	now := s.now()
	conn = domain.Connection{
		ID:              domain.NewConnectionID(),
		Provider:        domain.ProviderStripe,
		Name:            acct.Name,
		AccountID:       acct.ID,
		Livemode:        p.livemode,
		Scope:           p.scope,
		AuthMethod:      domain.AuthAPIKey,
		Status:          domain.StatusConnected,
		ConnectedAt:     now,
		StatusCheckedAt: now,
	}
	if err := s.saveNew(ctx, conn, secrets.Credentials{Method: domain.AuthAPIKey, APIKey: p.key}); err != nil {
		return domain.Connection{}, "", err
	}
	return conn, p.warning, nil
}

// ReauthenticateWithAPIKey replaces the key of an existing connection. The
// new key must belong to the same account in the same mode; otherwise it
// says so and changes nothing.
func (s *Service) ReauthenticateWithAPIKey(ctx context.Context, id, raw string) (domain.Connection, string, error) {
	old, err := s.p.Records.GetConnection(ctx, id)
	if err != nil {
		return domain.Connection{}, "", err
	}
	p, err := parseKey(raw)
	if err != nil {
		return domain.Connection{}, "", err
	}
	acct, err := s.checkKey(ctx, p)
	if err != nil {
		return domain.Connection{}, "", err
	}
	if acct.ID != old.AccountID || p.livemode != old.Livemode {
		return domain.Connection{}, "", fmt.Errorf("That key belongs to %s (%s, %s mode), but this connection is for %s (%s, %s mode). Nothing was changed.",
			acct.Name, acct.ID, modeWord(p.livemode), old.Name, old.AccountID, modeWord(old.Livemode))
	}
	upd := old
	upd.Name, upd.Scope, upd.AuthMethod = acct.Name, p.scope, domain.AuthAPIKey
	upd.Status, upd.StatusDetail, upd.StatusCheckedAt = domain.StatusConnected, "", s.now()
	creds := secrets.Credentials{Method: domain.AuthAPIKey, APIKey: p.key}
	err = s.p.Records.UpdateConnectionWith(ctx, upd, func(ctx context.Context) error {
		return s.p.Credentials.SaveCredentials(ctx, id, creds)
	})
	s.p.Forget(id)
	if err != nil {
		return domain.Connection{}, "", fmt.Errorf("The new key was not saved: %w", err)
	}
	return upd, p.warning, nil
}
