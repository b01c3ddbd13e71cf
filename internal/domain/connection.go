// Package domain holds Ledgerline's core types and the errors that every
// other package speaks in. It imports nothing of the project's own and no UI
// toolkit, so every layer can depend on it.
package domain

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// Provider names the kind of data source behind a connection.
type Provider string

// ProviderStripe is the only provider Ledgerline speaks today.
const ProviderStripe Provider = "stripe"

// Label is the provider's name as a person reads it.
func (p Provider) Label() string {
	switch p {
	case ProviderStripe:
		return "Stripe"
	default:
		return string(p)
	}
}

// AuthMethod says how Ledgerline holds access to an account.
type AuthMethod string

const (
	// AuthOAuth means tokens issued through the token broker's OAuth flow.
	AuthOAuth AuthMethod = "oauth"
	// AuthAPIKey means a restricted (or secret) API key pasted by the owner.
	AuthAPIKey AuthMethod = "api_key"
)

// Status is a connection's last known state, kept in SQLite so it can be
// shown without the network or the keychain.
type Status string

const (
	StatusConnected    Status = "connected"
	StatusNeedsReauth  Status = "needs_reauth"
	StatusError        Status = "error"
	StatusDisconnected Status = "disconnected"
)

// Valid reports whether s is one of the four statuses the store accepts.
func (s Status) Valid() bool {
	switch s {
	case StatusConnected, StatusNeedsReauth, StatusError, StatusDisconnected:
		return true
	}
	return false
}

// Connection is one linked data source: a Stripe account and how Ledgerline
// reaches it. It never holds a secret; tokens and keys live in the keychain
// under the connection's ID.
type Connection struct {
	ID         string
	Provider   Provider
	Name       string // the account's display name
	AccountID  string // Stripe's acct_… id
	Livemode   bool
	Scope      string // e.g. "read_only" or "stripe_apps"; empty for API keys
	AuthMethod AuthMethod
	Status     Status
	// StatusReason says why the status is what it is (KindRevokedKey,
	// KindStripeDown, …) and StatusFacts what its words need; "" and nil
	// when there is nothing to say. The window and the command line word
	// them (see StatusError); never a secret.
	StatusReason    Kind
	StatusFacts     Facts
	ConnectedAt     time.Time // UTC
	StatusCheckedAt time.Time // zero when never checked
	LastSyncAt      time.Time // zero when never synced
}

// NeedsReauth reports whether the owner must sign in again before Ledgerline
// can read this account.
func (c Connection) NeedsReauth() bool { return c.Status == StatusNeedsReauth }

// ModeLabel is "Live" or "Test".
func (c Connection) ModeLabel() string {
	if c.Livemode {
		return "Live"
	}
	return "Test"
}

// ShortAccountID abbreviates a long account id for narrow table cells,
// keeping its prefix and last four characters: acct_1Qx…9LmA.
func (c Connection) ShortAccountID() string {
	id := c.AccountID
	if len(id) <= 14 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}

// NewConnectionID returns a fresh random connection id such as
// "conn_k3v9q2m8x1d4f7ha". Random rather than sequential ids keep keychain
// items of different data dirs (a sandbox and a real one) from colliding.
func NewConnectionID() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	return "conn_" + strings.ToLower(enc)
}
