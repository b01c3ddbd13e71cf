package stripeapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"

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

// classified is an error from a Stripe call with its class and a sentence
// for a person; it never carries Stripe's own message for auth failures:
// those quote part of the key.
func classified(class error, msg string, cause error) error {
	return &domain.SentenceError{Msg: msg, Kind: class, Cause: cause}
}

// Classify sorts an error from a Stripe call into one of the classes above:
//
//   - context cancellation: an error matching domain.ErrCanceled;
//   - Stripe's answers by status: 401 ErrNeedsReauth, 403 ErrPermission
//     (naming the missing permission when Stripe does), 429 ErrRateLimited,
//     5xx ErrStripeDown, any other ErrRequest with Stripe's message, keys
//     and tokens blotted out;
//   - failures on the way (refused connections, timeouts, the caller's
//     deadline) and answers that aren't Stripe's JSON (a captive portal, a
//     proxy page): ErrNetwork.
//
// A *stripe.Error stays reachable with errors.As for its Code, Type and
// RequestID; its Msg is emptied for 401 and 403 and redacted otherwise.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", domain.ErrCanceled, err)
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		return classifyStripe(se)
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return classified(ErrNetwork, ErrNetwork.Error(), err)
	}
	// stripe-go reports an unreadable answer with a sample of its body,
	// which could hold anything: keep only that it happened.
	return classified(ErrNetwork,
		"Ledgerline got an answer it couldn't read instead of Stripe's. If this network needs you to sign in "+
			"(a hotel or café page), do that; otherwise Stripe may be having problems. Ledgerline will try again.",
		errors.New("stripe: unreadable answer"))
}

func classifyStripe(se *stripe.Error) error {
	status := se.HTTPStatusCode
	clean := &stripe.Error{Code: se.Code, Type: se.Type, HTTPStatusCode: status, RequestID: se.RequestID,
		Param: se.Param, DocURL: se.DocURL}
	switch {
	case status == http.StatusUnauthorized:
		return classified(ErrNeedsReauth, ErrNeedsReauth.Error(), clean)
	case status == http.StatusForbidden:
		msg := ErrPermission.Error()
		if p, ok := parsePermission(se.Msg); ok {
			msg = p.sentence()
		}
		return classified(ErrPermission, msg, clean)
	}
	clean.Msg = redactSecrets(se.Msg)
	switch {
	case status == http.StatusTooManyRequests:
		return classified(ErrRateLimited, ErrRateLimited.Error(), clean)
	case status >= 500:
		return classified(ErrStripeDown, fmt.Sprintf("%s (HTTP %d)", ErrStripeDown, status), clean)
	case clean.Msg == "":
		return classified(ErrRequest, fmt.Sprintf("%s (HTTP %d)", ErrRequest, status), clean)
	default:
		return classified(ErrRequest, fmt.Sprintf("%s Stripe said: %s", ErrRequest, clean.Msg), clean)
	}
}

// secretLike matches what Stripe, stripe-mock or a proxy might quote back:
// API keys and access tokens, refresh tokens, codes, and Authorization
// header values.
var secretLike = regexp.MustCompile(`(?i)\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_*…]*|\b(?:rt|ac)_[A-Za-z0-9_]{8,}|\b(?:basic|bearer)\s+[A-Za-z0-9._~+/=*-]+`)

// maxStripeMessage bounds how much of Stripe's message a person is shown.
const maxStripeMessage = 300

// redactSecrets blots anything key-like out of msg and shortens it.
func redactSecrets(msg string) string {
	msg = secretLike.ReplaceAllString(msg, "[redacted]")
	if r := []rune(msg); len(r) > maxStripeMessage {
		msg = string(r[:maxStripeMessage]) + "…"
	}
	return msg
}
