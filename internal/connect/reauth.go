package connect

import (
	"context"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Reauthenticate runs the sign-in again for an existing connection. The
// person must pick the same Stripe account in the same mode; if they pick
// another, it says so and changes nothing. On success the new tokens and
// the record (status connected) are saved together.
func (s *Service) Reauthenticate(ctx context.Context, id string) (domain.Connection, error) {
	old, err := s.p.Records.GetConnection(ctx, id)
	if err != nil {
		return domain.Connection{}, err
	}
	if s.p.SignIn == nil {
		return domain.Connection{}, ErrNoBroker
	}
	res, acct, err := s.signIn(ctx)
	if err != nil {
		return domain.Connection{}, err
	}
	if acct.ID != old.AccountID || res.Livemode != old.Livemode {
		return domain.Connection{}, fmt.Errorf("You signed in to %s (%s, %s mode), but this connection is for %s (%s, %s mode). Nothing was changed. "+
			"Click Re-authenticate again and choose %s in Stripe.",
			acct.Name, acct.ID, modeWord(res.Livemode), old.Name, old.AccountID, modeWord(old.Livemode), old.Name)
	}
	now := s.now()
	upd := old
	upd.Name = acct.Name
	upd.Scope = res.Scope
	upd.AuthMethod = domain.AuthOAuth
	upd.Status = domain.StatusConnected
	upd.StatusDetail = ""
	upd.StatusCheckedAt = now
	creds := credentialsFrom(res)
	err = s.p.Records.UpdateConnectionWith(ctx, upd, func(ctx context.Context) error {
		return s.p.Credentials.SaveCredentials(ctx, id, creds)
	})
	s.p.Forget(id)
	if err != nil {
		return domain.Connection{}, fmt.Errorf("Re-authentication did not finish: %w", err)
	}
	return upd, nil
}

func modeWord(live bool) string {
	if live {
		return "live"
	}
	return "test"
}
