package stripeapi

import (
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// NewBackend returns a bare stripe-go backend configured like New's (API
// base, HTTP client, no stripe-go logging or telemetry), for callers that
// read list pages as raw JSON instead of typed structs (the sync engine):
// its NewRequest builds a request with Stripe's auth and version headers,
// and its ResponseToError decodes Stripe's error answers.
// MaxNetworkRetries follows Options (default 2, negative for none); a
// caller that retries and rate-limits on its own passes -1.
//
// Errors from the backend are stripe-go's own: pass them through Classify
// before showing them.
func NewBackend(o Options) *stripe.BackendImplementation {
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
	// GetBackendWithConfig makes a *BackendImplementation for APIBackend.
	return stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
		URL:               stripe.String(o.APIBase),
		HTTPClient:        hc,
		MaxNetworkRetries: stripe.Int64(retries),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		EnableTelemetry:   stripe.Bool(false),
	}).(*stripe.BackendImplementation)
}
