package ui

import (
	"context"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/status"
)

// ConnectionSource lists the connections with their last known status. It
// must answer from local storage alone: no network, no keychain.
type ConnectionSource interface {
	ListConnections(ctx context.Context) ([]domain.Connection, error)
}

// Connector runs the actions that change connections. Each call may block
// for minutes (the person signs in in the browser) and must return when ctx
// is canceled with an error matching domain.ErrCanceled. Errors are
// sentences written for a person.
type Connector interface {
	// CanSignIn reports whether Connect with Stripe can run: a sign-in
	// service (the token broker) is configured, or the sandbox runs.
	CanSignIn() bool
	// ConnectStripe links a new Stripe account and returns its record.
	ConnectStripe(ctx context.Context) (domain.Connection, error)
	// Reauthenticate signs in again for an existing connection.
	Reauthenticate(ctx context.Context, id string) (domain.Connection, error)
	// ConnectWithAPIKey links an account through a pasted restricted (or
	// secret) API key; warning is a sentence to show beside the success.
	ConnectWithAPIKey(ctx context.Context, key string) (c domain.Connection, warning string, err error)
	// ReauthenticateWithAPIKey replaces the key of an API-key connection.
	ReauthenticateWithAPIKey(ctx context.Context, id, key string) (c domain.Connection, warning string, err error)
	// Disconnect revokes access and forgets the connection's secrets;
	// deleteData also removes the data already copied to this computer. It
	// returns the disconnected status reason (connect.Service.Disconnect);
	// on an error nothing was forgotten and the person may try again.
	Disconnect(ctx context.Context, id string, deleteData bool) (domain.Kind, error)
}

// StatusChecker checks connections in the background (internal/status).
// Run calls OnResults from its own goroutine; Trigger asks for a run now.
type StatusChecker interface {
	Run(ctx context.Context, s status.Schedule)
	Trigger()
}
