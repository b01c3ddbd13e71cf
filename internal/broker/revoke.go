package broker

import (
	"errors"
	"net/http"
	"strings"
)

// revokeResponse is the answer to a revocation that removed the grant at
// Stripe: Revoked is always true, StripeUserID names the account.
type revokeResponse struct {
	Revoked      bool   `json:"revoked"`
	StripeUserID string `json:"stripe_user_id"`
}

// revokeFailure is an RFC 6749 §5.2 error for a revocation that did not
// finish after Stripe had already rotated the refresh token (the apps
// flavour): it carries the new tokens, so the app keeps a refresh token that
// works and can try again. Without them the app's only copy would be dead.
type revokeFailure struct {
	oauthErrorBody
	*tokenResponse // nil unless the refresh token rotated
}

// handleRevoke removes Ledgerline's grant for the account a refresh token
// belongs to (POST token=…&token_type_hint=refresh_token, RFC 7009 shape).
//
// The broker accepts only refresh tokens, and only those Stripe will renew
// for this platform's secret key: that renewal is the proof that the
// credential was issued through this broker, and its answer names the
// account. Then the broker deauthorizes that account with the secret key.
// An access token, or any API key, is refused before any call to Stripe
// (unsupported_token_type), so a key that merely reads an account cannot
// disconnect it, and an expired access token cannot make the broker report
// a live grant as gone.
//
// The answer is the truth about the grant, not RFC 7009 §2.2's "200 for a
// token you don't know": 200 {"revoked":true,…} only when Stripe has no
// grant left; 400 invalid_grant when Stripe no longer renews the token, so
// the broker cannot tell; 502/503 when Stripe failed, with the rotated
// tokens when the refresh had already happened (see revokeFailure).
func (b *Broker) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if !allowOnly(w, r, http.MethodPost) {
		return
	}
	form, ok := b.readForm(w, r)
	if !ok {
		return
	}
	if !b.checkClient(w, r, form, true) {
		return
	}
	token := form.Get("token")
	switch hint := form.Get("token_type_hint"); {
	case token == "":
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "token is missing.")
		return
	case hint != "" && hint != "refresh_token":
		writeOAuthError(w, r, http.StatusBadRequest, "unsupported_token_type",
			"The broker revokes by refresh token only: send the refresh token with token_type_hint=refresh_token.")
		return
	case !looksLikeRefreshToken(token):
		writeOAuthError(w, r, http.StatusBadRequest, "unsupported_token_type",
			"This is not a Stripe refresh token; the broker revokes by refresh token only.")
		return
	}
	// Two calls to Stripe (renew, deauthorize) are budgeted up front, so a
	// revocation is never cut off between them by the limit.
	if !b.allowUpstream(w, r, 2) {
		return
	}
	tokens, err := b.stripe.refresh(r.Context(), token)
	b.noteGrant(r, err)
	if err != nil {
		b.writeStripeError(w, r, err, "Stripe no longer renews this refresh token: the access was removed, has expired, or the token was replaced. The broker cannot tell whether the account is still connected.")
		return
	}
	account := tokens.StripeUserID
	if account == "" {
		// Stripe's answer should name the account; ask with the new token if not.
		if account, err = b.stripe.accountFor(r.Context(), tokens.AccessToken); err != nil {
			b.revokeFailed(w, r, tokens, err, "Stripe would not say which account the token belongs to.")
			return
		}
	}
	if !strings.HasPrefix(account, "acct_") {
		b.revokeFailed(w, r, tokens, &stripeError{Kind: stripeUnexpected, Status: http.StatusOK}, "Stripe named no account for the token.")
		return
	}
	err = b.stripe.deauthorize(r.Context(), account)
	var se *stripeError
	if errors.As(err, &se) && se.Kind == stripeRejected && se.Code == "invalid_client" {
		// Stripe's answer both when the account is no longer connected and
		// when the broker's key is wrong: the fresh access token tells which.
		if _, aerr := b.stripe.accountFor(r.Context(), tokens.AccessToken); errors.Is(aerr, errTokenNotAccepted) {
			err = nil
		}
	}
	if err != nil {
		b.revokeFailed(w, r, tokens, err, "Stripe refused to disconnect the account.")
		return
	}
	noteOutcome(r, "deauthorized "+account)
	writeJSON(w, http.StatusOK, revokeResponse{Revoked: true, StripeUserID: account})
}

// revokeFailed answers a revocation that failed after the refresh: 502/503
// temporarily_unavailable when Stripe was unreachable or overloaded, 502
// server_error otherwise, with the tokens Stripe just issued when the
// refresh token rotated.
func (b *Broker) revokeFailed(w http.ResponseWriter, r *http.Request, t stripeTokens, err error, refused string) {
	status, code, desc := http.StatusBadGateway, "server_error", refused
	var se *stripeError
	if errors.As(err, &se) {
		switch se.Kind {
		case stripeUnreachable:
			code, desc = "temporarily_unavailable", "Stripe could not be reached; try again in a moment."
		case stripeUnavailable:
			status, code, desc = http.StatusServiceUnavailable, "temporarily_unavailable", "Stripe is temporarily unavailable; try again in a moment."
		}
	}
	noteOutcome(r, code+": "+desc)
	addOutcome(r, err.Error())
	out := revokeFailure{oauthErrorBody: oauthErrorBody{Error: code, Description: desc}}
	if b.cfg.Flavor == FlavorApps && t.RefreshToken != "" {
		tr := b.tokenResponse(t)
		out.tokenResponse = &tr
	}
	writeJSON(w, status, out)
}

// looksLikeRefreshToken is the cheap shape check before any call to
// Stripe: Stripe's refresh tokens are rt_ followed by letters and digits.
func looksLikeRefreshToken(s string) bool {
	rest, ok := strings.CutPrefix(s, "rt_")
	if !ok || len(rest) < 16 || len(rest) > 255 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
