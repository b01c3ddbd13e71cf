package authflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Errors that Login and Revoke return; test them with errors.Is. Their text
// is a sentence a person can act on and never holds a secret.
var (
	// ErrBusy: another Login on the same Flow has not finished yet.
	ErrBusy = errors.New("A Stripe sign-in is already in progress.")
	// ErrDenied: the person clicked Deny on Stripe's authorization page.
	ErrDenied = errors.New("Access was denied in Stripe, so nothing was connected. Click Connect with Stripe to try again.")
	// ErrTimeout: no sign-in response came back in time. The error Login
	// returns names the wait it actually used.
	ErrTimeout = errors.New("Ledgerline waited 5 minutes for Stripe, then stopped waiting. Click Connect with Stripe to try again.")
	// ErrBrokerUnreachable: the network failed on the way to the token
	// broker. The error Login returns names the broker's host.
	ErrBrokerUnreachable = errors.New("Ledgerline couldn't reach its sign-in service. Check your internet connection and try again.")
	// ErrBrowser: Config.OpenURL failed, so the sign-in never started.
	ErrBrowser = errors.New("Ledgerline couldn't open your web browser for the Stripe sign-in.")
)

type sentenceError = domain.SentenceError

func canceledError(cause error) error {
	return &sentenceError{Msg: "The Stripe sign-in was canceled.", Kind: domain.ErrCanceled, Cause: cause}
}

func timeoutError(wait time.Duration, cause error) error {
	msg := "Ledgerline stopped waiting for the Stripe sign-in to finish. Click Connect with Stripe to try again."
	if wait > 0 {
		msg = fmt.Sprintf("Ledgerline waited %s for Stripe, then stopped waiting. Click Connect with Stripe to try again.", humanDuration(wait))
	}
	return &sentenceError{Msg: msg, Kind: ErrTimeout, Cause: cause}
}

func unreachableError(host string, cause error) error {
	msg := fmt.Sprintf("Ledgerline couldn't reach its sign-in service at %s. Check your internet connection and try again.", host)
	return &sentenceError{Msg: msg, Kind: ErrBrokerUnreachable, Cause: cause}
}

// BrokerError is an OAuth error from the token broker (RFC 6749 §4.1.2.1
// through the browser, §5.2 from the token endpoint) or an answer from it
// that Ledgerline could not use. Code and Description are cleaned of
// anything secret before a BrokerError is returned.
type BrokerError struct {
	// Code is the OAuth error code, such as "invalid_grant", or
	// "invalid_response" when the broker's answer was unusable.
	Code string
	// Description is the broker's error_description, shortened; may be empty.
	Description string
	// StatusCode is the HTTP status of the broker's answer; 0 when the error
	// came back through the browser.
	StatusCode int
}

// codeInvalidResponse marks answers that were not a usable OAuth response.
const codeInvalidResponse = "invalid_response"

// Error is a sentence for a person, chosen by Code.
func (e *BrokerError) Error() string {
	var msg string
	switch e.Code {
	case "invalid_grant":
		msg = "The sign-in expired or was already used. Please try again."
	case "server_error", "temporarily_unavailable":
		msg = "Stripe or Ledgerline's sign-in service had a temporary problem. Please try again in a few minutes."
	case "invalid_client", "unauthorized_client":
		msg = fmt.Sprintf("Ledgerline's sign-in service doesn't accept this copy of Ledgerline (%s). Please update Ledgerline.", e.Code)
	case codeInvalidResponse:
		msg = "Ledgerline's sign-in service gave an answer Ledgerline couldn't use. Please try again, and update Ledgerline if it keeps happening."
	case "":
		msg = fmt.Sprintf("Ledgerline's sign-in service gave an unexpected answer (HTTP %d). Please try again in a few minutes.", e.StatusCode)
	default:
		msg = fmt.Sprintf("Ledgerline's sign-in service refused the sign-in (%s). Please try again.", e.Code)
	}
	if e.Description != "" {
		msg += " Details: " + e.Description
	}
	return msg
}

// newBrokerError cleans what the broker sent: codes keep to RFC 6749's
// characters, descriptions are shortened and any known secret is blotted
// out, in case a broker echoes a code or token back.
func newBrokerError(code, description string, status int, secrets []string) *BrokerError {
	return &BrokerError{Code: cleanCode(code), Description: cleanDescription(description, secrets), StatusCode: status}
}

func cleanCode(code string) string {
	if code == "" {
		return ""
	}
	if len(code) > 64 {
		return codeInvalidResponse
	}
	for _, r := range code {
		ok := r == '_' || r == '-' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return codeInvalidResponse
		}
	}
	return code
}

const maxDescription = 200

func cleanDescription(desc string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			desc = strings.ReplaceAll(desc, s, "[redacted]")
		}
	}
	// RFC 6749 §5.2 allows only %x20-21 / %x23-5B / %x5D-7E here.
	var b strings.Builder
	for _, r := range desc {
		if b.Len() >= maxDescription {
			break
		}
		if r >= 0x20 && r <= 0x7e && r != '"' && r != '\\' {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// ClassifyError turns an error from a broker call made with OAuth2Config
// and OAuth2Context (for example a token refresh) into this package's error
// classes: a *BrokerError for OAuth errors (Code "invalid_grant" means the
// owner must sign in again), ErrBrokerUnreachable for network failures, an
// error matching domain.ErrCanceled when ctx was canceled. secrets are
// values (such as the refresh token sent) to blot out of descriptions.
func (f *Flow) ClassifyError(ctx context.Context, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return timeoutError(0, ctxErr)
		}
		return canceledError(ctxErr)
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		return newBrokerError(re.ErrorCode, re.ErrorDescription, status, secrets)
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) {
		return unreachableError(f.broker.Host, err)
	}
	return newBrokerError(codeInvalidResponse, "", 0, secrets)
}

// humanDuration writes 5m0s as "5 minutes" and 30s as "30 seconds".
func humanDuration(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "1 minute"
	case d > time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	case d == time.Second:
		return "1 second"
	case d > time.Second && d%time.Second == 0:
		return fmt.Sprintf("%d seconds", d/time.Second)
	default:
		return d.String()
	}
}
