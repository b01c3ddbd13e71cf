package broker

import (
	"errors"
	"net/http"
)

// revokeResponse is {} when the account was disconnected. When there was
// nothing to revoke, RFC 7009 §2.2 still asks for 200; AlreadyInvalid and
// Detail say so.
type revokeResponse struct {
	AlreadyInvalid bool   `json:"already_invalid,omitempty"`
	Detail         string `json:"detail,omitempty"`
}

// handleRevoke disconnects the Stripe account that an access token belongs
// to (RFC 7009 shape: POST token=…). The broker first asks Stripe whose
// token it is (GET /v1/account with the token as bearer), so nobody can
// disconnect an account they hold no token for; then it deauthorizes that
// account with the platform's secret key.
func (b *Broker) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if !allowOnly(w, r, http.MethodPost) {
		return
	}
	form, ok := b.readForm(w, r)
	if !ok {
		return
	}
	if !b.checkClient(w, r, form, false) {
		return
	}
	token := form.Get("token")
	if token == "" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "token is missing.")
		return
	}
	nothing := func(detail string) {
		noteOutcome(r, "nothing to revoke")
		writeJSON(w, http.StatusOK, revokeResponse{AlreadyInvalid: true, Detail: detail})
	}
	if !isToken(token, 1024) {
		nothing("The token is not a Stripe token, so there was nothing to revoke.")
		return
	}
	account, err := b.stripe.accountFor(r.Context(), token)
	switch {
	case errors.Is(err, errTokenNotAccepted):
		nothing("Stripe no longer accepts this token, so there was nothing to revoke.")
		return
	case err != nil:
		b.writeRevokeError(w, r, err, "Stripe would not say which account the token belongs to.")
		return
	}
	err = b.stripe.deauthorize(r.Context(), account)
	var se *stripeError
	switch {
	case errors.As(err, &se) && se.Kind == stripeRejected && se.Code == "invalid_client":
		// Stripe's answer when the account is no longer connected to the platform.
		nothing("Stripe says the account is not connected to this platform, so there was nothing to revoke.")
		return
	case err != nil:
		b.writeRevokeError(w, r, err, "Stripe refused to disconnect the account.")
		return
	}
	noteOutcome(r, "deauthorized "+account)
	writeJSON(w, http.StatusOK, revokeResponse{})
}

// writeRevokeError answers 502/503 temporarily_unavailable when Stripe is
// unreachable or overloaded, and 502 server_error with refused otherwise.
func (b *Broker) writeRevokeError(w http.ResponseWriter, r *http.Request, err error, refused string) {
	switch {
	case transient(err):
		b.writeStripeError(w, r, err, "")
	default:
		writeOAuthError(w, r, http.StatusBadGateway, "server_error", refused)
		addOutcome(r, err.Error())
	}
}
