// Package stripeapi is Ledgerline's one way to call Stripe's REST API: it
// builds stripe-go v76 clients against a configurable API base (Stripe, the
// local sandbox or stripe-mock) and sorts Stripe's failures into classes
// the UI can word for a person.
package stripeapi

import (
	"context"
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// Options configure a Client.
type Options struct {
	// APIBase is where requests go, e.g. https://api.stripe.com.
	APIBase string
	// HTTPClient carries the requests; default one with a 30 s timeout.
	HTTPClient *http.Client
	// MaxNetworkRetries is how often stripe-go retries network errors and
	// retryable 5xx answers; default 2, negative for none.
	MaxNetworkRetries int64
}

// Client makes Stripe calls with a per-call key or OAuth access token.
// Calls for a saved connection take the key from a KeySource (the *For
// methods) rather than holding one: OAuth tokens expire and are renewed.
type Client struct {
	backend stripe.Backend
}

// New returns a Client. stripe-go's own logging is switched off: its lines
// can carry request details, and Ledgerline logs only what it chooses to.
func New(o Options) *Client {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	retries := o.MaxNetworkRetries
	switch {
	case retries == 0:
		retries = 2
	case retries < 0:
		retries = 0
	}
	return &Client{backend: stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
		URL:               stripe.String(o.APIBase),
		HTTPClient:        hc,
		MaxNetworkRetries: stripe.Int64(retries),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		EnableTelemetry:   stripe.Bool(false),
	})}
}

// Account is what Ledgerline keeps of a Stripe account.
type Account struct {
	ID   string
	Name string // the dashboard display name, else the business name, else the id
}

// Account reads the account that key (an API key or OAuth access token)
// belongs to: GET /v1/account. Errors are classified (see Classify).
func (c *Client) Account(ctx context.Context, key string) (Account, error) {
	params := &stripe.AccountParams{Params: stripe.Params{Context: ctx}}
	var a stripe.Account
	if err := c.backend.Call(http.MethodGet, "/v1/account", key, params, &a); err != nil {
		return Account{}, Classify(err)
	}
	return Account{ID: a.ID, Name: displayName(&a)}, nil
}

// KeySource hands out the secret for a connection's Stripe calls: its API
// key, or an OAuth access token kept fresh. credentials.Source is the one
// Ledgerline uses; its errors are already sentences with a class.
type KeySource interface {
	Key(ctx context.Context, connID string) (string, error)
}

// AccountFor is Account for a saved connection: the key comes from keys
// for each call, so a renewed token is picked up without the caller
// noticing. Errors from keys are returned as they are; Stripe's are
// classified (see Classify).
func (c *Client) AccountFor(ctx context.Context, keys KeySource, connID string) (Account, error) {
	key, err := keys.Key(ctx, connID)
	if err != nil {
		return Account{}, err
	}
	return c.Account(ctx, key)
}

func displayName(a *stripe.Account) string {
	if a.Settings != nil && a.Settings.Dashboard != nil && a.Settings.Dashboard.DisplayName != "" {
		return a.Settings.Dashboard.DisplayName
	}
	if a.BusinessProfile != nil && a.BusinessProfile.Name != "" {
		return a.BusinessProfile.Name
	}
	return a.ID
}
