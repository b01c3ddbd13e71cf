package broker

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
)

// tokenResponse is what the app receives (RFC 6749 §5.1 plus Stripe's
// account fields). ExpiresIn is set in the apps flavour only.
type tokenResponse struct {
	AccessToken          string `json:"access_token"`
	TokenType            string `json:"token_type"`
	RefreshToken         string `json:"refresh_token,omitempty"`
	ExpiresIn            int64  `json:"expires_in,omitempty"`
	Scope                string `json:"scope,omitempty"`
	StripeUserID         string `json:"stripe_user_id"`
	Livemode             bool   `json:"livemode"`
	StripePublishableKey string `json:"stripe_publishable_key,omitempty"`
}

// handleToken is the token endpoint: grant_type=authorization_code (a
// broker code plus its PKCE verifier, exchanged for Stripe's tokens) and
// grant_type=refresh_token (forwarded to Stripe). Errors follow RFC 6749 §5.2.
func (b *Broker) handleToken(w http.ResponseWriter, r *http.Request) {
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
	switch form.Get("grant_type") {
	case "authorization_code":
		b.grantAuthorizationCode(w, r, form)
	case "refresh_token":
		b.grantRefreshToken(w, r, form)
	case "":
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "grant_type is missing.")
	default:
		writeOAuthError(w, r, http.StatusBadRequest, "unsupported_grant_type", "Only authorization_code and refresh_token are supported.")
	}
}

func (b *Broker) grantAuthorizationCode(w http.ResponseWriter, r *http.Request, form url.Values) {
	code, redirectURI, verifier := form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier")
	if code == "" || redirectURI == "" || verifier == "" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "code, redirect_uri and code_verifier are all required.")
		return
	}
	bad := func(description string) {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", description)
	}
	now := b.now()
	var c codeBody
	switch err := b.seal.open(purposeCode, code, now, &c); {
	case errors.Is(err, errSealExpired):
		bad("The code has expired (codes last 60 seconds); connect again.")
		return
	case err != nil || c.ID == "" || c.StripeCode == "":
		bad("The code is not valid.")
		return
	}
	switch {
	case redirectURI != c.RedirectURI:
		bad("redirect_uri does not match the one the code was issued to.")
	case !validVerifier(verifier):
		bad("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.")
	case !pkceMatches(verifier, c.Challenge):
		bad("code_verifier does not match the code_challenge.")
	case c.Mode != b.mode:
		bad("The code was issued for another mode than this broker serves.")
	case !b.redeemed.claim(c.ID, now.Add(codeLifetime), now):
		bad("The code has already been used.")
	default:
		if !b.allowUpstream(w, r, 1) {
			b.redeemed.release(c.ID) // Stripe never saw the code
			return
		}
		tokens, err := b.stripe.exchangeCode(r.Context(), c.StripeCode)
		b.noteGrant(r, err)
		if err != nil {
			if transient(err) {
				// Stripe may never have seen the code, so let the app retry it.
				b.redeemed.release(c.ID)
			}
			b.writeStripeError(w, r, err, "The authorization code was refused by Stripe: it was already used or has expired. Connect again.")
			return
		}
		noteOutcome(r, "tokens issued")
		b.writeTokens(w, tokens)
	}
}

func (b *Broker) grantRefreshToken(w http.ResponseWriter, r *http.Request, form url.Values) {
	rt := form.Get("refresh_token")
	switch {
	case rt == "":
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "refresh_token is missing.")
		return
	case !looksLikeRefreshToken(rt):
		// The cheap shape check: junk never costs a call to Stripe.
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_grant", "The refresh token is not valid.")
		return
	}
	if !b.allowUpstream(w, r, 1) {
		return
	}
	tokens, err := b.stripe.refresh(r.Context(), rt)
	b.noteGrant(r, err)
	if err != nil {
		b.writeStripeError(w, r, err, "Stripe refused the refresh token: it was revoked, has expired or was already used. Connect again.")
		return
	}
	noteOutcome(r, "tokens refreshed")
	b.writeTokens(w, tokens)
}

func (b *Broker) writeTokens(w http.ResponseWriter, t stripeTokens) {
	writeJSON(w, http.StatusOK, b.tokenResponse(t))
}

// tokenResponse is what the app receives for Stripe's tokens t.
func (b *Broker) tokenResponse(t stripeTokens) tokenResponse {
	out := tokenResponse{
		AccessToken:          t.AccessToken,
		TokenType:            "bearer",
		RefreshToken:         t.RefreshToken,
		Scope:                t.Scope,
		StripeUserID:         t.StripeUserID,
		Livemode:             t.Livemode,
		StripePublishableKey: t.StripePublishableKey,
	}
	if b.cfg.Flavor == FlavorApps {
		out.ExpiresIn = t.ExpiresIn
	}
	return out
}

// readForm reads an application/x-www-form-urlencoded body, refusing a
// repeated parameter. Parameters in the URL query are ignored: credentials
// belong in the body (RFC 6749 §3.2, §2.3.1).
func (b *Broker) readForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded.")
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeOAuthError(w, r, http.StatusRequestEntityTooLarge, "invalid_request", "The body is too large.")
		} else {
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "The body could not be read as a form.")
		}
		return nil, false
	}
	for name, values := range r.PostForm {
		if len(values) > 1 {
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "The parameter "+clip(name)+" was given more than once.")
			return nil, false
		}
	}
	return r.PostForm, true
}

// checkClient identifies the public client (RFC 6749 §3.2.1: a client
// without credentials sends client_id). It accepts client_id in the body or
// as the user name of basic auth with an empty password, as
// golang.org/x/oauth2 sends it; required says a missing client_id is refused.
func (b *Broker) checkClient(w http.ResponseWriter, r *http.Request, form url.Values, required bool) bool {
	id := form.Get("client_id")
	user, pass, basic := r.BasicAuth()
	if basic {
		if u, err := url.QueryUnescape(user); err == nil {
			user = u
		}
		if id != "" && id != user {
			writeOAuthError(w, r, http.StatusBadRequest, "invalid_request", "client_id differs between the body and the Authorization header.")
			return false
		}
		id = user
	}
	switch {
	case pass != "" || form.Get("client_secret") != "":
		b.invalidClient(w, r, basic, "The Ledgerline app is a public client and has no secret; send none.")
		return false
	case id == "" && !required:
		return true
	case id != ClientID:
		b.invalidClient(w, r, basic, "Unknown client_id; this broker serves only "+ClientID+".")
		return false
	}
	return true
}

func (b *Broker) invalidClient(w http.ResponseWriter, r *http.Request, basic bool, description string) {
	if basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="ledgerline-broker"`)
	}
	writeOAuthError(w, r, http.StatusUnauthorized, "invalid_client", description)
}
