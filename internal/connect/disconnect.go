package connect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// Disconnect revokes Ledgerline's grant at Stripe (through the broker, by
// the refresh token, for OAuth connections), deletes the keychain item, and
// then either marks the record disconnected (deleteData false: the data
// already copied stays attributed to it) or removes the record (deleteData
// true). It returns the reason saved with the status:
//
//   - domain.KindDisconnected: the broker confirmed Stripe holds no grant.
//   - domain.KindDisconnectedKey: an API key, which can't be revoked from
//     here; the owner is told to delete it in Stripe's dashboard.
//   - domain.KindDisconnectedUnconfirmed: Stripe no longer renews the
//     connection's refresh token (or there is none), so no live token is
//     left on this computer but the removal at Stripe could not be
//     confirmed; the owner is told to check the dashboard.
//
// If the revocation fails (the broker or Stripe unreachable or in trouble),
// the keychain item and the record stay, and the error says why, so the
// person can try again rather than leave a live grant behind. When the
// broker rotated the refresh token before failing, the new tokens are saved
// first, so that the next try holds a token that works.
func (s *Service) Disconnect(ctx context.Context, id string, deleteData bool) (domain.Kind, error) {
	c, err := s.p.Records.GetConnection(ctx, id)
	if err != nil {
		return "", err
	}
	creds, err := s.p.Credentials.LoadCredentials(ctx, id)
	missing := errors.Is(err, domain.ErrNotFound)
	if err != nil && !missing {
		return "", fmt.Errorf("reading the credentials of %s to disconnect it: %w", c.ID, err)
	}
	reason := domain.KindDisconnected
	switch {
	case missing:
	case creds.Method == domain.AuthAPIKey:
		reason = domain.KindDisconnectedKey
	case creds.Method == domain.AuthOAuth && (creds.RefreshToken != "" || creds.AccessToken != ""):
		if s.p.SignIn == nil {
			return "", domain.E(domain.KindNoBrokerRevoke, nil, domain.FactName, c.Name)
		}
		if reason, err = s.revoke(ctx, c.ID, creds); err != nil {
			return "", err
		}
	}
	s.p.Forget(id)
	if err := s.p.Credentials.DeleteCredentials(ctx, id); err != nil {
		return "", fmt.Errorf("deleting the keychain item of %s after revoking its access: %w", c.ID, err)
	}
	if deleteData {
		return reason, s.p.Records.DeleteConnection(ctx, id)
	}
	c.Status = domain.StatusDisconnected
	c.StatusReason, c.StatusFacts = reason, nil
	c.StatusCheckedAt = s.now()
	return reason, s.p.Records.UpdateConnection(ctx, c)
}

// revoke asks the broker to end the grant and says which disconnected
// reason the outcome is; an error means nothing may be forgotten.
func (s *Service) revoke(ctx context.Context, id string, creds secrets.Credentials) (domain.Kind, error) {
	if creds.RefreshToken == "" {
		// The broker revokes by refresh token only; with none, the
		// connection's access can't be proven, only forgotten here.
		return domain.KindDisconnectedUnconfirmed, nil
	}
	err := s.p.SignIn.Revoke(ctx, creds.RefreshToken)
	if errors.Is(err, authflow.ErrRevokeUnconfirmed) {
		// A sync may have renewed (and so rotated) the token meanwhile: the
		// keychain then holds a newer one, which can still revoke.
		if now, lerr := s.p.Credentials.LoadCredentials(ctx, id); lerr == nil && now.RefreshToken != "" && now.RefreshToken != creds.RefreshToken {
			creds = now
			err = s.p.SignIn.Revoke(ctx, creds.RefreshToken)
		}
	}
	switch {
	case err == nil:
		return domain.KindDisconnected, nil
	case errors.Is(err, authflow.ErrRevokeUnconfirmed):
		return domain.KindDisconnectedUnconfirmed, nil
	}
	var rot *authflow.RotatedError
	if errors.As(err, &rot) && rot.Token != nil {
		renewed := creds
		renewed.AccessToken, renewed.RefreshToken, renewed.Expiry = rot.Token.AccessToken, rot.Token.RefreshToken, rot.Token.Expiry
		s.p.Forget(id)
		if serr := s.p.Credentials.SaveCredentials(ctx, id, renewed); serr != nil {
			return "", fmt.Errorf("revoking the access to %s: %w; and saving its renewed tokens: %w", id, err, serr)
		}
	}
	return "", fmt.Errorf("revoking the access to %s: %w", id, err)
}
