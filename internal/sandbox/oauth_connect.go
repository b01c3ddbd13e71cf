package sandbox

import (
	"net/http"
	"net/url"
)

// routeConnect registers Connect OAuth, which Stripe serves at
// https://connect.stripe.com:
//
//	GET  /oauth/authorize    response_type=code, client_id, scope, redirect_uri, state → the page
//	POST /oauth/authorize    the page's answer → 302 to redirect_uri
//	POST /oauth/token        grant_type=authorization_code|refresh_token, secret key as
//	                         client_secret or Bearer/Basic auth → tokens (no expires_in)
//	POST /oauth/deauthorize  client_id, stripe_user_id, secret key → {"stripe_user_id":…}
func (s *Server) routeConnect(mux *http.ServeMux) {
	mux.HandleFunc("GET /oauth/authorize", s.showAuthorize(flavourConnect))
	mux.HandleFunc("POST /oauth/authorize", s.answerAuthorize(flavourConnect))
	mux.HandleFunc("POST /oauth/token", s.handleToken(flavourConnect))
	mux.HandleFunc("POST /oauth/deauthorize", s.handleDeauthorize(flavourConnect))
}

// connectScope checks Connect's response_type and scope. The scope is
// read_only (Stripe's default when absent) or read_write; on a problem it
// returns the OAuth error code and description to send to the redirect_uri.
func connectScope(q url.Values) (scope, errCode, errDesc string) {
	if rt := q.Get("response_type"); rt != "code" {
		return "", "unsupported_response_type", "response_type must be code"
	}
	switch scope = q.Get("scope"); scope {
	case "":
		return "read_only", "", ""
	case "read_only", "read_write":
		return scope, "", ""
	default:
		return "", errInvalidScope, "Invalid scope: " + scope + ". The scope must be read_only or read_write."
	}
}
