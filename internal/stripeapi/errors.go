package stripeapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Classes of failure. Classify wraps every error in one of them, so callers
// test with errors.Is and show the error's sentence as it is.
var (
	ErrNeedsReauth = errors.New("Stripe no longer accepts Ledgerline's access to this account. Re-authenticate to continue.")
	ErrPermission  = errors.New("The access Ledgerline holds is missing a permission it needs.")
	ErrRateLimited = errors.New("Stripe is limiting how fast Ledgerline may ask. It will slow down and try again.")
	ErrStripeDown  = errors.New("Stripe is having problems right now. Ledgerline will try again.")
	ErrNetwork     = errors.New("Ledgerline can't reach Stripe. Check your internet connection.")
	ErrRequest     = errors.New("Stripe refused a request from Ledgerline.")
)

// classified is an error with a class and a sentence for a person. It
// never carries Stripe's own message for auth failures: those quote part
// of the key.
type classified struct {
	class error
	msg   string
	cause error
}

func (e *classified) Error() string   { return e.msg }
func (e *classified) Unwrap() []error { return []error{e.class, e.cause} }

// Classify sorts an error from a Stripe call into one of the classes above.
// Context cancellation stays recognisable as domain.ErrCanceled.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", domain.ErrCanceled, err)
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		switch {
		case se.HTTPStatusCode == http.StatusUnauthorized:
			return &classified{ErrNeedsReauth, ErrNeedsReauth.Error(), errors.New("stripe: 401")}
		case se.HTTPStatusCode == http.StatusForbidden:
			return &classified{ErrPermission, ErrPermission.Error(), errors.New("stripe: 403")}
		case se.HTTPStatusCode == http.StatusTooManyRequests:
			return &classified{ErrRateLimited, ErrRateLimited.Error(), err}
		case se.HTTPStatusCode >= 500:
			return &classified{ErrStripeDown, fmt.Sprintf("%s (HTTP %d)", ErrStripeDown, se.HTTPStatusCode), err}
		default:
			return &classified{ErrRequest, fmt.Sprintf("%s Stripe said: %s", ErrRequest, se.Msg), err}
		}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &classified{ErrNetwork, ErrNetwork.Error(), err}
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return &classified{ErrNetwork, ErrNetwork.Error(), err}
	}
	return &classified{ErrNetwork, ErrNetwork.Error() + " (" + err.Error() + ")", err}
}
