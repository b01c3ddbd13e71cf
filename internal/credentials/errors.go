package credentials

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// Classes of failure that are this package's own; Key's errors also match
// stripeapi's classes, domain.ErrNotFound and domain.ErrCanceled (see Key).
var (
	// ErrNoBroker: an OAuth token must be renewed and no token broker is
	// configured.
	ErrNoBroker = errors.New("Ledgerline can't renew its Stripe access without its sign-in service.")
	// ErrRenewRefused: the broker refused a renewal for a reason other than
	// the refresh token (such as an unknown client), or answered with
	// something Ledgerline can't use.
	ErrRenewRefused = errors.New("Ledgerline's sign-in service refused to renew its Stripe access.")
	// ErrKeychainRefused: Stripe rotated the tokens but the keychain would
	// not store them. The old refresh token is already dead, so the new
	// tokens live only in this Source's memory until a later Key saves them;
	// if the app quits first, the connection needs re-authentication.
	ErrKeychainRefused = errors.New("The system keychain refused to store renewed Stripe access.")
)

type sentenceError = domain.SentenceError

var (
	errRefreshRefused = &sentenceError{Kind: stripeapi.ErrNeedsReauth,
		Msg: "Stripe no longer accepts Ledgerline's sign-in for this connection: it was revoked in Stripe, " +
			"has expired, or was replaced. Re-authenticate the connection to continue; the data already copied is kept."}
	errNoRefreshToken = &sentenceError{Kind: stripeapi.ErrNeedsReauth,
		Msg: "Ledgerline's Stripe access for this connection has expired and can't be renewed automatically. " +
			"Re-authenticate the connection to continue."}
	errNoBroker = &sentenceError{Kind: ErrNoBroker,
		Msg: "This connection signed in through Ledgerline's sign-in service, and none is set up here, so its " +
			"Stripe access can't be renewed. Set LEDGERLINE_BROKER_URL (or --broker-url), or connect with an API key instead."}
	errUnusableAnswer = &sentenceError{Kind: ErrRenewRefused,
		Msg: "Ledgerline's sign-in service gave an answer Ledgerline couldn't use while renewing Stripe access. " +
			"Ledgerline will try again; update Ledgerline if it keeps happening."}
	errBrokerTrouble = &sentenceError{Kind: stripeapi.ErrStripeDown,
		Msg: "Stripe or Ledgerline's sign-in service had a problem renewing Ledgerline's Stripe access. Ledgerline will try again."}
	errUnusableItem = &sentenceError{Kind: secrets.ErrCorrupt,
		Msg: "The keychain item for this connection doesn't hold usable Stripe credentials. Connect the account again."}
	// errForgotten: Forget ran while a flight was out; Key asks again once.
	errForgotten = &sentenceError{Kind: domain.ErrCanceled,
		Msg: "This connection's credentials changed while Ledgerline was reading them. Try again."}
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
			return &sentenceError{Kind: ErrRenewRefused, Msg: fmt.Sprintf(
				"Ledgerline's sign-in service refused to renew its Stripe access (%s). "+
					"Update Ledgerline; if that doesn't help, re-authenticate the connection.", refusalName(re.ErrorCode, status))}
		}
	}
	var ue *url.Error
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ue) || errors.As(err, &ne) {
		return &sentenceError{Kind: stripeapi.ErrNetwork, Cause: err,
			Msg: "Ledgerline couldn't reach its sign-in service to renew its Stripe access. " +
				"Check your internet connection; Ledgerline will try again."}
	}
	return errUnusableAnswer
}

// refusalName is an OAuth error code fit to show (RFC 6749's characters
// only, short), else the HTTP status.
func refusalName(code string, status int) string {
	ok := code != "" && len(code) <= 64
	for _, r := range code {
		if !(r == '_' || r == '-' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			ok = false
		}
	}
	if ok {
		return code
	}
	return fmt.Sprintf("HTTP %d", status)
}

// loadError words a keychain read failure.
func loadError(err error) error {
	if errors.Is(err, domain.ErrNotFound) {
		return &sentenceError{Kind: domain.ErrNotFound, Cause: err,
			Msg: "Ledgerline has no saved credentials for this connection in the system keychain. Connect it again."}
	}
	return fmt.Errorf("Ledgerline couldn't read this connection's credentials from the system keychain. %w", err)
}

// keychainRefusedError words a failed save of rotated tokens. It says what
// is at stake: the previous refresh token is already dead.
func keychainRefusedError(err error) error {
	return &sentenceError{Kind: ErrKeychainRefused, Cause: err, Msg: "Stripe renewed Ledgerline's access to this account, " +
		"but the system keychain refused to store it, and the previous sign-in no longer works (Stripe replaces it at " +
		"every renewal). Unlock the keychain: Ledgerline keeps the new sign-in in memory and saves it as soon as the " +
		"keychain accepts it. If Ledgerline is closed before then, unlock the keychain and re-authenticate the connection. " +
		"The keychain said: " + err.Error()}
}

// waitError is what a caller gets when its ctx ends while it waits.
func waitError(ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return &sentenceError{Kind: stripeapi.ErrNetwork, Cause: ctxErr,
			Msg: "Renewing Ledgerline's Stripe access took too long. Ledgerline will try again."}
	}
	return &sentenceError{Kind: domain.ErrCanceled, Cause: ctxErr,
		Msg: "Stopped waiting for this connection's Stripe access: the request was canceled."}
}
