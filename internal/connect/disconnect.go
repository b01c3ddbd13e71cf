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
// can't be revoked from here: the status detail tells the owner to delete
// it in Stripe's dashboard.
func (s *Service) Disconnect(ctx context.Context, id string, deleteData bool) error {
	c, err := s.p.Records.GetConnection(ctx, id)
	if err != nil {
		return err
	}
	creds, err := s.p.Credentials.LoadCredentials(ctx, id)
	missing := errors.Is(err, domain.ErrNotFound)
	if err != nil && !missing {
		return fmt.Errorf("Ledgerline needs the keychain to disconnect %s, so nothing was changed. %w", c.Name, err)
	}
	detail := "Disconnected. The data already copied to this computer is kept."
	if !missing && creds.Method == domain.AuthOAuth && creds.AccessToken != "" {
		if s.p.SignIn == nil {
			return fmt.Errorf("Ledgerline can't revoke its access to %s without its sign-in service, so nothing was changed. %w", c.Name, ErrNoBroker)
		}
		if err := s.p.SignIn.Revoke(ctx, creds.AccessToken); err != nil {
			return fmt.Errorf("Ledgerline couldn't revoke its access to %s at Stripe, so nothing was changed. %w", c.Name, err)
		}
	}
	if !missing && creds.Method == domain.AuthAPIKey {
		detail = "Disconnected. To end access for good, delete the API key in Stripe's dashboard (Developers › API keys)."
	}
	s.p.Forget(id)
	if err := s.p.Credentials.DeleteCredentials(ctx, id); err != nil {
		return fmt.Errorf("Access to %s was revoked, but its keychain item could not be deleted. %w", c.Name, err)
	}
	if deleteData {
		return s.p.Records.DeleteConnection(ctx, id)
	}
	c.Status = domain.StatusDisconnected
	c.StatusDetail = detail
	c.StatusCheckedAt = s.now()
	return s.p.Records.UpdateConnection(ctx, c)
}
