package connect

import (
	"context"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// Reauthenticate runs the sign-in again for an existing connection. The
// person must pick the same Stripe account in the same mode; if they pick
// another, it returns domain.KindSignedInToOther and changes nothing. On success the new tokens and
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
		return domain.Connection{}, otherAccount(domain.KindSignedInToOther, acct, res.Livemode, old)
	}
	now := s.now()
	upd := old
	upd.Name = acct.Name
	upd.Scope = res.Scope
	upd.AuthMethod = domain.AuthOAuth
	upd.Status = domain.StatusConnected
	upd.StatusReason, upd.StatusFacts = "", nil
	upd.StatusCheckedAt = now
	creds := credentialsFrom(res)
	err = s.p.Records.UpdateConnectionWith(ctx, upd, func(ctx context.Context) error {
		return s.p.Credentials.SaveCredentials(ctx, id, creds)
	})
	s.p.Forget(id)
	if err != nil {
		return domain.Connection{}, fmt.Errorf("saving the re-authentication: %w", err)
	}
	return upd, nil
}

// otherAccount is a sign-in or key that opens acct (in live mode or not)
// when the connection old is for another account or mode.
func otherAccount(k domain.Kind, acct stripeapi.Account, live bool, old domain.Connection) error {
	return domain.E(k, nil, domain.FactAccountName, acct.Name, domain.FactAccountID, acct.ID, domain.FactMode, modeWord(live),
		domain.FactName, old.Name, domain.FactExpectedAccountID, old.AccountID, domain.FactExpectedMode, modeWord(old.Livemode),
		domain.FactAuthMethod, string(old.AuthMethod))
}

func modeWord(live bool) string {
	if live {
		return "live"
	}
	return "test"
}
