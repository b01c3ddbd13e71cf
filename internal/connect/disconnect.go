package connect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Disconnect revokes Ledgerline's access at Stripe (through the broker, for
// OAuth connections), deletes the keychain item, and then either marks the
// record disconnected (deleteData false: the data already copied stays
// attributed to it) or removes the record (deleteData true).
//
// If the revocation fails, nothing changes and the error says why, so the
// person can try again rather than leave a live token behind. An API key
// can't be revoked from here: the status reason (domain.KindDisconnectedKey)
// makes the window tell the owner to delete it in Stripe's dashboard.
func (s *Service) Disconnect(ctx context.Context, id string, deleteData bool) error {
	c, err := s.p.Records.GetConnection(ctx, id)
	if err != nil {
		return err
	}
	creds, err := s.p.Credentials.LoadCredentials(ctx, id)
	missing := errors.Is(err, domain.ErrNotFound)
	if err != nil && !missing {
		return fmt.Errorf("reading the credentials of %s to disconnect it: %w", c.ID, err)
	}
	reason := domain.KindDisconnected
	if !missing && creds.Method == domain.AuthOAuth && creds.AccessToken != "" {
		if s.p.SignIn == nil {
			return domain.E(domain.KindNoBrokerRevoke, nil, domain.FactName, c.Name)
		}
		if err := s.p.SignIn.Revoke(ctx, creds.AccessToken); err != nil {
			return fmt.Errorf("revoking the access to %s: %w", c.ID, err)
		}
	}
	if !missing && creds.Method == domain.AuthAPIKey {
		reason = domain.KindDisconnectedKey
	}
	s.p.Forget(id)
	if err := s.p.Credentials.DeleteCredentials(ctx, id); err != nil {
		return fmt.Errorf("deleting the keychain item of %s after revoking its access: %w", c.ID, err)
	}
	if deleteData {
		return s.p.Records.DeleteConnection(ctx, id)
	}
	c.Status = domain.StatusDisconnected
	c.StatusReason, c.StatusFacts = reason, nil
	c.StatusCheckedAt = s.now()
	return s.p.Records.UpdateConnection(ctx, c)
}
