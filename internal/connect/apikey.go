package connect

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
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

// WarningSecretKey is the warning returned with a connection made from an
// sk_ key: a secret key can change anything in the account, and a
// read-only restricted key is safer. A code, not words: the window and the
// command line word it.
const WarningSecretKey = "secret_key"

// maxKeyLength is far above Stripe's longest keys; longer input is not a key.
const maxKeyLength = 256

var keyShape = regexp.MustCompile(`^(rk|sk)_(live|test)_[A-Za-z0-9]{16,}$`)

// ErrBadKey marks input that is not a usable Stripe API key; the error
// returned is one of its variants (domain.KindKeyEmpty, …).
var ErrBadKey error = domain.KindBadKey

// parsedKey is a key that passed the shape checks.
type parsedKey struct {
	key      string
	livemode bool
	scope    string
	warning  string
}

// parseKey trims the pasted text and checks it is a restricted or secret
// key. Its errors match ErrBadKey, say which way the text is wrong (a
// variant of domain.KindBadKey) and never repeat the input.
func parseKey(raw string) (parsedKey, error) {
	key := strings.TrimSpace(raw)
	switch {
	case key == "":
		return parsedKey{}, domain.E(domain.KindKeyEmpty, nil)
	case len(key) > maxKeyLength:
		return parsedKey{}, domain.E(domain.KindKeyTooLong, nil, domain.FactLength, strconv.Itoa(len(key)))
	case strings.HasPrefix(key, "pk_"):
		return parsedKey{}, domain.E(domain.KindKeyPublishable, nil)
	case strings.HasPrefix(key, "whsec_"):
		return parsedKey{}, domain.E(domain.KindKeyWebhookSecret, nil)
	case !keyShape.MatchString(key):
		return parsedKey{}, domain.E(domain.KindKeyMalformed, nil)
	}
	p := parsedKey{key: key, livemode: strings.Contains(key[:8], "live"), scope: ScopeRestrictedKey}
	if strings.HasPrefix(key, "sk_") {
		p.scope, p.warning = ScopeSecretKey, WarningSecretKey
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
		return stripeapi.Account{}, domain.E(domain.KindKeyUnknown, err)
	case errors.Is(err, stripeapi.ErrPermission):
		_, facts := domain.KindOf(err)
		return stripeapi.Account{}, &domain.Error{Kind: domain.KindKeyCantReadAccount, Facts: facts, Cause: err}
	default:
		return stripeapi.Account{}, fmt.Errorf("checking the API key with Stripe: %w", err)
	}
}

// ConnectWithAPIKey links a Stripe account through a restricted (or
// secret) API key: it trims the pasted text, checks its shape, asks Stripe
// which account it belongs to, and saves the record and the key both or
// neither. warning is WarningSecretKey for secret keys, else "". Errors: ErrBadKey (a
// variant saying what is wrong), domain.ErrAlreadyConnected, stripeapi's classes, keychain
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
// returns domain.KindKeyOtherAccount and changes nothing.
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
		return domain.Connection{}, "", otherAccount(domain.KindKeyOtherAccount, acct, p.livemode, old)
	}
	upd := old
	upd.Name, upd.Scope, upd.AuthMethod = acct.Name, p.scope, domain.AuthAPIKey
	upd.Status, upd.StatusReason, upd.StatusFacts, upd.StatusCheckedAt = domain.StatusConnected, "", nil, s.now()
	creds := secrets.Credentials{Method: domain.AuthAPIKey, APIKey: p.key}
	err = s.p.Records.UpdateConnectionWith(ctx, upd, func(ctx context.Context) error {
		return s.p.Credentials.SaveCredentials(ctx, id, creds)
	})
	s.p.Forget(id)
	if err != nil {
		return domain.Connection{}, "", fmt.Errorf("saving the new key: %w", err)
	}
	return upd, p.warning, nil
}
