package sandbox

import (
	"log/slog"
	"net/http"
)

// tokenResponse is Stripe's OAuth token response. Connect's has no
// expires_in (its access tokens do not expire); Stripe Apps' carries the
// access token's lifetime in seconds unless Options.OmitExpiresIn is set.
type tokenResponse struct {
	AccessToken          string `json:"access_token"`
	ExpiresIn            int64  `json:"expires_in,omitempty"`
	Livemode             bool   `json:"livemode"`
	RefreshToken         string `json:"refresh_token"`
	Scope                string `json:"scope"`
	StripePublishableKey string `json:"stripe_publishable_key"`
	StripeUserID         string `json:"stripe_user_id"`
	TokenType            string `json:"token_type"`
}

// deauthorizeResponse is Stripe's answer to a deauthorization.
type deauthorizeResponse struct {
	StripeUserID string `json:"stripe_user_id"`
}

// clientKey returns the secret key a token or deauthorize request presents:
// the Authorization header (Bearer, or Basic with the key as username) or,
// where the flavour allows it (Connect), the client_secret form field.
func clientKey(r *http.Request, fl flavour) string {
	if key, headerSet := credentialFrom(r); headerSet {
		return key
	}
	if fl == flavourConnect {
		return r.PostForm.Get("client_secret")
	}
	return ""
}

// parseOAuthForm reads a form-encoded OAuth request body, answering
// invalid_request when it cannot.
func parseOAuthForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, oauthError{Status: http.StatusBadRequest, Code: errInvalidRequest,
			Description: "The request body could not be read as a form."})
		return false
	}
	return true
}

// checkClient authenticates the platform and, when the request names a
// client_id, checks it is the sandbox's client.
func (s *Server) checkClient(w http.ResponseWriter, r *http.Request, fl flavour) bool {
	if e := s.checkPlatformKey(clientKey(r, fl)); e != nil {
		writeOAuthError(w, *e)
		return false
	}
	if id := r.PostForm.Get("client_id"); id != "" && id != s.ids.clientID {
		writeOAuthError(w, oauthError{Status: http.StatusUnauthorized, Code: errInvalidClient,
			Description: "No such application: '" + id + "'"})
		return false
	}
	return true
}

// handleToken serves a flavour's token endpoint: grant_type
// authorization_code (with code, and optionally redirect_uri) or
// refresh_token (with refresh_token, and for Connect an optional narrower
// scope). Errors are Stripe's OAuth errors: 401 invalid_client for a missing
// or wrong secret key, 400 invalid_request, invalid_grant,
// unsupported_grant_type or invalid_scope otherwise.
func (s *Server) handleToken(fl flavour) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseOAuthForm(w, r) || !s.checkClient(w, r, fl) {
			return
		}
		var (
			out issued
			e   *oauthError
		)
		switch grant := r.PostForm.Get("grant_type"); grant {
		case "authorization_code":
			code := r.PostForm.Get("code")
			if code == "" {
				writeOAuthError(w, oauthError{Status: http.StatusBadRequest, Code: errInvalidRequest,
					Description: "No authorization code provided"})
				return
			}
			out, e = s.creds.redeemCode(codeRequest{
				flavour: fl, clientID: s.ids.clientID, code: code,
				redirectURI: r.PostForm.Get("redirect_uri"), refreshTTL: s.opts.RefreshTokenTTL,
			}, s.now())
		case "refresh_token":
			rt := r.PostForm.Get("refresh_token")
			if rt == "" {
				writeOAuthError(w, oauthError{Status: http.StatusBadRequest, Code: errInvalidRequest,
					Description: "No refresh token provided"})
				return
			}
			out, e = s.creds.useRefresh(refreshRequest{
				flavour: fl, refreshToken: rt, scope: r.PostForm.Get("scope"), refreshTTL: s.opts.RefreshTokenTTL,
			}, s.now())
		case "":
			e = &oauthError{Status: http.StatusBadRequest, Code: errInvalidRequest, Description: "No grant type specified"}
		default:
			e = &oauthError{Status: http.StatusBadRequest, Code: errUnsupportedGrantType,
				Description: "Unsupported grant type: " + grant}
		}
		if e != nil {
			s.log.Info("token request refused", slog.String("flavour", string(fl)), slog.String("error", e.Code))
			writeOAuthError(w, *e)
			return
		}
		acct := s.byID[out.accountID]
		resp := tokenResponse{
			AccessToken:          out.access,
			RefreshToken:         out.refresh,
			Scope:                out.scope,
			StripePublishableKey: acct.PublishableKey,
			StripeUserID:         acct.ID,
			TokenType:            "bearer",
		}
		if out.expiresIn > 0 && !s.opts.OmitExpiresIn {
			resp.ExpiresIn = int64(out.expiresIn.Seconds())
		}
		s.log.Info("tokens issued", slog.String("flavour", string(fl)),
			slog.String("grant_type", r.PostForm.Get("grant_type")), slog.String("account", acct.ID))
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, resp)
	}
}

// handleDeauthorize serves a flavour's deauthorize endpoint: with the
// platform's secret key, client_id and stripe_user_id, it revokes every
// token the account granted in that flavour and answers
// {"stripe_user_id":"acct_…"}. An account that has no live grant answers
// 401 invalid_client, as at Stripe.
func (s *Server) handleDeauthorize(fl flavour) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseOAuthForm(w, r) || !s.checkClient(w, r, fl) {
			return
		}
		if r.PostForm.Get("client_id") == "" {
			writeOAuthError(w, oauthError{Status: http.StatusBadRequest, Code: errInvalidRequest,
				Description: "No client_id provided"})
			return
		}
		acctID := r.PostForm.Get("stripe_user_id")
		if acctID == "" {
			writeOAuthError(w, oauthError{Status: http.StatusBadRequest, Code: errInvalidRequest,
				Description: "No stripe_user_id provided"})
			return
		}
		if _, known := s.byID[acctID]; !known || !s.creds.hasLiveGrant(fl, acctID, s.now()) {
			writeOAuthError(w, oauthError{Status: http.StatusUnauthorized, Code: errInvalidClient,
				Description: "This application is not connected to stripe account " + acctID +
					", or that account does not exist."})
			return
		}
		s.creds.revokeGrant(fl, acctID, s.now())
		s.log.Info("account deauthorized", slog.String("flavour", string(fl)), slog.String("account", acctID))
		writeJSON(w, http.StatusOK, deauthorizeResponse{StripeUserID: acctID})
	}
}
