package connect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// ConnectStripe runs the sign-in in the browser, reads the account it
// granted, and saves the record (SQLite) and its tokens (keychain) both or
// neither. Errors: ErrNoBroker; authflow's (denied, timeout, canceled,
// broker unreachable, …); stripeapi's classes when the account can't be
// read; domain.ErrAlreadyConnected when that account is linked already; a
// keychain error when the tokens could not be stored (then nothing is).
func (s *Service) ConnectStripe(ctx context.Context) (domain.Connection, error) {
	if s.p.SignIn == nil {
		return domain.Connection{}, ErrNoBroker
	}
	res, acct, err := s.signIn(ctx)
	if err != nil {
		return domain.Connection{}, err
	}
	now := s.now()
	conn := domain.Connection{
		ID:              domain.NewConnectionID(),
		Provider:        domain.ProviderStripe,
		Name:            acct.Name,
		AccountID:       acct.ID,
		Livemode:        res.Livemode,
		Scope:           res.Scope,
		AuthMethod:      domain.AuthOAuth,
		Status:          domain.StatusConnected,
		ConnectedAt:     now,
		StatusCheckedAt: now,
	}
	if err := s.saveNew(ctx, conn, credentialsFrom(res)); err != nil {
		return domain.Connection{}, err
	}
	return conn, nil
}

// signIn logs in and reads the account the new token belongs to.
func (s *Service) signIn(ctx context.Context) (*authflow.Result, stripeapi.Account, error) {
	res, err := s.p.SignIn.Login(ctx, authflow.LoginOptions{Mode: s.p.Mode})
	if err != nil {
		return nil, stripeapi.Account{}, err
	}
	acct, err := s.p.Accounts.Account(ctx, res.Token.AccessToken)
	if err != nil {
		return nil, stripeapi.Account{}, fmt.Errorf("reading the account after sign-in: %w", err)
	}
	if res.AccountID != "" && res.AccountID != acct.ID {
		return nil, stripeapi.Account{}, domain.E(domain.KindGrantMismatch, nil,
			domain.FactGrantedAccountID, res.AccountID, domain.FactAccountID, acct.ID)
	}
	return res, acct, nil
}

// saveNew stores a new record and its credentials, both or neither.
func (s *Service) saveNew(ctx context.Context, conn domain.Connection, creds secrets.Credentials) error {
	saved := false
	err := s.p.Records.CreateConnection(ctx, conn, func(ctx context.Context) error {
		if err := s.p.Credentials.SaveCredentials(ctx, conn.ID, creds); err != nil {
			return err
		}
		saved = true
		return nil
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, domain.ErrAlreadyConnected):
		return domain.E(domain.KindAlreadyConnected, err, domain.FactName, conn.Name, domain.FactAccountID, conn.AccountID,
			domain.FactMode, modeWord(conn.Livemode))
	}
	if saved {
		// The record did not commit after the secret was written: take the
		// secret back so no orphaned token stays in the keychain.
		_ = s.p.Credentials.DeleteCredentials(context.WithoutCancel(ctx), conn.ID)
	}
	return fmt.Errorf("saving the new connection: %w", err)
}
