package stripeapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Classes of failure: domain kinds, so errors.Is(err, ErrNeedsReauth) and
// errors.Is(err, domain.KindNeedsReauth) are the same test. Classify wraps
// every error in one of them, inside a *domain.Error with the facts a
// message needs.
var (
	ErrNeedsReauth error = domain.KindNeedsReauth
	ErrPermission  error = domain.KindPermission
	ErrRateLimited error = domain.KindRateLimited
	ErrStripeDown  error = domain.KindStripeDown
	ErrNetwork     error = domain.KindOffline
	ErrRequest     error = domain.KindRequestRefused
)

// Classify sorts an error from a Stripe call into one of the classes above:
//
//   - context cancellation: an error matching domain.ErrCanceled;
//   - Stripe's answers by status: 401 ErrNeedsReauth, 403 ErrPermission
//     (with the missing permission as facts when Stripe names it), 429
//     ErrRateLimited, 5xx ErrStripeDown (FactHTTPStatus), any other
//     ErrRequest with Stripe's message (keys and tokens blotted out) as
//     FactStripeMessage;
//   - failures on the way (refused connections, timeouts, the caller's
//     deadline) and answers that aren't Stripe's JSON (a captive portal, a
//     proxy page): ErrNetwork (the latter as domain.KindUnreadableAnswer).
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
		return domain.E(domain.KindOffline, err)
	}
	// stripe-go reports an unreadable answer with a sample of its body,
	// which could hold anything: keep only that it happened.
	return domain.E(domain.KindUnreadableAnswer, errors.New("stripe: unreadable answer"))
}

func classifyStripe(se *stripe.Error) error {
	status := se.HTTPStatusCode
	clean := &stripe.Error{Code: se.Code, Type: se.Type, HTTPStatusCode: status, RequestID: se.RequestID,
		Param: se.Param, DocURL: se.DocURL}
	code := strconv.Itoa(status)
	switch {
	case status == http.StatusUnauthorized:
		return domain.E(domain.KindNeedsReauth, clean, domain.FactHTTPStatus, code)
	case status == http.StatusForbidden:
		e := domain.E(domain.KindPermission, clean, domain.FactHTTPStatus, code)
		if p, ok := parsePermission(se.Msg); ok {
			p.addTo(e)
		}
		return e
	}
	clean.Msg = redactSecrets(se.Msg)
	switch {
	case status == http.StatusTooManyRequests:
		return domain.E(domain.KindRateLimited, clean)
	case status >= 500:
		return domain.E(domain.KindStripeDown, clean, domain.FactHTTPStatus, code)
	default:
		return domain.E(domain.KindRequestRefused, clean, domain.FactHTTPStatus, code, domain.FactStripeMessage, clean.Msg)
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
