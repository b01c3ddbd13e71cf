package credentials

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Classes of failure that are this package's own (domain kinds); Key's
// errors also match stripeapi's classes, domain.ErrNotFound and
// domain.ErrCanceled (see Key).
var (
	// ErrNoBroker: an OAuth token must be renewed and no token broker is
	// configured.
	ErrNoBroker error = domain.KindNoBrokerRenew
	// ErrRenewRefused: the broker refused a renewal for a reason other than
	// the refresh token (such as an unknown client), or answered with
	// something Ledgerline can't use.
	ErrRenewRefused error = domain.KindBrokerRefused
	// ErrKeychainRefused: Stripe rotated the tokens but the keychain would
	// not store them. The old refresh token is already dead, so the new
	// tokens live only in this Source's memory until a later Key saves them;
	// if the app quits first, the connection needs re-authentication.
	ErrKeychainRefused error = domain.KindKeychainRefused
)

var (
	errRefreshRefused = domain.E(domain.KindRefreshRefused, nil)
	errNoRefreshToken = domain.E(domain.KindNoRefreshToken, nil)
	errNoBroker       = domain.E(domain.KindNoBrokerRenew, nil)
	errUnusableAnswer = domain.E(domain.KindBrokerUnusable, nil)
	errBrokerTrouble  = domain.E(domain.KindBrokerTrouble, nil)
	errUnusableItem   = domain.E(domain.KindKeychainCorrupt, nil)
	// errForgotten: Forget ran while a flight was out; Key asks again once.
	errForgotten = domain.E(domain.KindCredentialsChanged, nil)
)

// refreshError sorts an error from the broker's token endpoint. The
// oauth2 error's own text (which holds the response body) is not kept.
func refreshError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		switch {
		case re.ErrorCode == "invalid_grant":
			return errRefreshRefused
		case re.ErrorCode == "server_error", re.ErrorCode == "temporarily_unavailable", status >= 500:
			return errBrokerTrouble
		default:
			return domain.E(domain.KindBrokerRefused, nil,
				domain.FactCode, cleanCode(re.ErrorCode), domain.FactHTTPStatus, strconv.Itoa(status))
		}
	}
	var ue *url.Error
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ue) || errors.As(err, &ne) {
		return domain.E(domain.KindBrokerUnreachable, err)
	}
	return errUnusableAnswer
}

// cleanCode is an OAuth error code fit to show (RFC 6749's characters
// only, short), else "".
func cleanCode(code string) string {
	if len(code) > 64 {
		return ""
	}
	for _, r := range code {
		if !(r == '_' || r == '-' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return ""
		}
	}
	return code
}

// loadError is a keychain read failure: the keychain's own error (a missing
// item matches domain.ErrNotFound), with context for logs.
func loadError(err error) error {
	return fmt.Errorf("reading credentials from the keychain: %w", err)
}

// keychainRefusedError is a failed save of rotated tokens: what is at stake
// is that the previous refresh token is already dead. The keychain's error
// stays reachable with errors.Is.
func keychainRefusedError(err error) error {
	return domain.E(domain.KindKeychainRefused, err)
}

// waitError is what a caller gets when its ctx ends while it waits.
func waitError(ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return domain.E(domain.KindRenewTimedOut, ctxErr)
	}
	return domain.E(domain.KindCanceled, ctxErr)
}
