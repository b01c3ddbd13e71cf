// Package connect links, re-authenticates and disconnects Stripe accounts.
// It joins the sign-in (authflow), the Stripe API (stripeapi), the records
// (store) and the secrets (keychain) so that a connection is saved whole or
// not at all. It has no UI: the window and the command line both use it.
package connect

import (
	"context"
	"time"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// Records is the part of the store the service uses.
type Records interface {
	CreateConnection(ctx context.Context, c domain.Connection, beforeCommit func(context.Context) error) error
	GetConnection(ctx context.Context, id string) (domain.Connection, error)
	UpdateConnection(ctx context.Context, c domain.Connection) error
	UpdateConnectionWith(ctx context.Context, c domain.Connection, beforeCommit func(context.Context) error) error
	DeleteConnection(ctx context.Context, id string) error
}

// Credentials is the part of the keychain the service uses.
type Credentials interface {
	SaveCredentials(ctx context.Context, connID string, c secrets.Credentials) error
	LoadCredentials(ctx context.Context, connID string) (secrets.Credentials, error)
	DeleteCredentials(ctx context.Context, connID string) error
}

// SignIn runs the browser sign-in against the token broker.
type SignIn interface {
	Login(ctx context.Context, opts authflow.LoginOptions) (*authflow.Result, error)
	// Revoke ends the grant a refresh token belongs to (authflow.Flow.Revoke).
	Revoke(ctx context.Context, refreshToken string) error
}

// Accounts reads the Stripe account a key or token belongs to.
type Accounts interface {
	Account(ctx context.Context, key string) (stripeapi.Account, error)
}

// ErrNoBroker: this copy of Ledgerline has no token broker configured, so
// "Connect with Stripe" cannot run.
var ErrNoBroker error = domain.KindNoBroker

// Params build a Service. SignIn may be nil when no broker is configured.
type Params struct {
	Records     Records
	Credentials Credentials
	SignIn      SignIn
	Accounts    Accounts
	// Mode asks the broker for "test" or "live" access; "" for its default.
	Mode string
	Now  func() time.Time
	// Forget drops whatever a cache holds for a connection whose secret
	// changed or went away (credentials.Source.Forget); optional.
	Forget func(connID string)
}

// Service implements the window's and the command line's connection actions.
type Service struct {
	p Params
}

// New returns a Service.
func New(p Params) *Service {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Forget == nil {
		p.Forget = func(string) {}
	}
	return &Service{p: p}
}

// CanSignIn reports whether Connect with Stripe can run (a broker is set).
func (s *Service) CanSignIn() bool { return s.p.SignIn != nil }

func (s *Service) now() time.Time { return s.p.Now().UTC() }

// credentialsFrom turns a sign-in result into what the keychain keeps.
func credentialsFrom(r *authflow.Result) secrets.Credentials {
	return secrets.Credentials{
		Method:       domain.AuthOAuth,
		AccessToken:  r.Token.AccessToken,
		RefreshToken: r.Token.RefreshToken,
		TokenType:    r.Token.TokenType,
		Scope:        r.Scope,
		Expiry:       r.Token.Expiry,
	}
}
