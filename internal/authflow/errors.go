package authflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Errors that Login and Revoke return; test them with errors.Is. They are
// domain kinds; the errors returned carry the facts a message needs (the
// wait, the broker's host) and never a secret.
var (
	// ErrBusy: another Login on the same Flow has not finished yet.
	ErrBusy error = domain.KindSignInBusy
	// ErrDenied: the person clicked Deny on Stripe's authorization page.
	ErrDenied error = domain.KindSignInDenied
	// ErrTimeout: no sign-in response came back in time. The error Login
	// returns names the wait it actually used (domain.FactWait).
	ErrTimeout error = domain.KindSignInTimedOut
	// ErrBrokerUnreachable: the network failed on the way to the token
	// broker. The error Login returns names the broker's host
	// (domain.FactHost). It also matches stripeapi's ErrNetwork
	// (domain.KindOffline).
	ErrBrokerUnreachable error = domain.KindBrokerUnreachable
	// ErrBrowser: Config.OpenURL failed, so the sign-in never started.
	ErrBrowser error = domain.KindBrowserFailed
)

func canceledError(cause error) error {
	return domain.E(domain.KindSignInCanceled, cause)
}

func timeoutError(wait time.Duration, cause error) error {
	w := ""
	if wait > 0 {
		w = wait.String()
	}
	return domain.E(domain.KindSignInTimedOut, cause, domain.FactWait, w)
}

func unreachableError(host string, cause error) error {
	return domain.E(domain.KindBrokerUnreachable, cause, domain.FactHost, host)
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

// Error is technical text for logs: the code, the status and the
// (cleaned) description.
func (e *BrokerError) Error() string {
	msg := "sign-in service error " + e.Code
	if e.Code == "" {
		msg = "sign-in service error"
	}
	if e.StatusCode != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// Kind is the domain kind of e, chosen by Code.
func (e *BrokerError) Kind() domain.Kind {
	switch e.Code {
	case "invalid_grant":
		return domain.KindSignInExpired
	case "server_error", "temporarily_unavailable":
		return domain.KindBrokerTrouble
	case "invalid_client", "unauthorized_client":
		return domain.KindClientRejected
	case codeInvalidResponse, "":
		return domain.KindBrokerUnusable
	default:
		return domain.KindBrokerRefused
	}
}

// KindFacts makes a BrokerError a domain.Classified error.
func (e *BrokerError) KindFacts() (domain.Kind, domain.Facts) {
	f := domain.Facts{}
	if e.Code != "" && e.Code != codeInvalidResponse {
		f[domain.FactCode] = e.Code
	}
	if e.StatusCode != 0 {
		f[domain.FactHTTPStatus] = strconv.Itoa(e.StatusCode)
	}
	if e.Description != "" {
		f[domain.FactDescription] = e.Description
	}
	return e.Kind(), f
}

// Unwrap is e's kind, so errors.Is(err, domain.KindBrokerRefused) and the
// like work.
func (e *BrokerError) Unwrap() error { return e.Kind() }

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
