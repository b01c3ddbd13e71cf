package broker

import (
	"errors"
	"net/http"
)

// transient reports whether err means Stripe did not (or may not) have
// handled the request: unreachable, or answering 5xx/429.
func transient(err error) bool {
	var se *stripeError
	return errors.As(err, &se) && (se.Kind == stripeUnreachable || se.Kind == stripeUnavailable)
}

// writeStripeError maps a failed call to Stripe onto an RFC 6749 §5.2
// answer for the app. Stripe's invalid_grant stays invalid_grant, worded by
// invalidGrant; a refusal of the broker's own credentials is the operator's
// problem (server_error); Stripe unreachable or overloaded is
// temporarily_unavailable (502 / 503). Stripe's own error descriptions are
// never passed on: they can quote the code or token that was sent.
func (b *Broker) writeStripeError(w http.ResponseWriter, r *http.Request, err error, invalidGrant string) {
	var se *stripeError
	if !errors.As(err, &se) {
		writeOAuthError(w, r, http.StatusInternalServerError, "server_error", "The broker could not reach Stripe.")
		return
	}
	defer addOutcome(r, se.Error()) // Stripe's status and error code, for the operator
	switch se.Kind {
	case stripeUnreachable:
		writeOAuthError(w, r, http.StatusBadGateway, "temporarily_unavailable", "Stripe could not be reached; try again in a moment.")
	case stripeUnavailable:
		writeOAuthError(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", "Stripe is temporarily unavailable; try again in a moment.")
	case stripeRejected:
		switch se.Code {
		case "invalid_grant":
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", invalidGrant)
		case "invalid_scope":
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_scope", "Stripe refused the requested scope.")
		case "invalid_request":
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "Stripe refused the request as malformed.")
		case "invalid_client", "unauthorized_client", "unsupported_grant_type", "authentication_error":
			writeOAuthError(w, r, http.StatusInternalServerError, "server_error",
				"Stripe refused the broker's own credentials ("+se.Code+"); the broker's operator must check its settings.")
		default:
			writeOAuthError(w, r, http.StatusBadGateway, "server_error", "Stripe refused the request ("+se.Code+").")
		}
	default:
		writeOAuthError(w, r, http.StatusBadGateway, "server_error", "Stripe gave an answer the broker could not use.")
	}
}
