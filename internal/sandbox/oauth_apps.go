package sandbox

import "net/http"

// appsScope is the scope of every Stripe Apps token; what the app may read
// is set by its manifest's permissions, not by the authorize request.
const appsScope = "stripe_apps"

// routeApps registers Stripe Apps OAuth. Stripe serves the install page at
// https://marketplace.stripe.com and the token endpoint at
// https://api.stripe.com; the sandbox serves both from one base URL:
//
//	GET  /oauth/v2/authorize     client_id, redirect_uri, state → the page
//	POST /oauth/v2/authorize     the page's answer → 302 to redirect_uri
//	POST /v1/oauth/token         secret key as Basic (username) or Bearer auth;
//	                             grant_type=authorization_code → tokens with expires_in;
//	                             grant_type=refresh_token → new tokens, the refresh token rotated
//	POST /v1/oauth/deauthorize   client_id, stripe_user_id → {"stripe_user_id":…}
//
// /v1/oauth/deauthorize is the sandbox's stand-in for uninstalling the app
// from the account's Dashboard; Stripe has no such API endpoint for apps.
func (s *Server) routeApps(mux *http.ServeMux) {
	mux.HandleFunc("GET /oauth/v2/authorize", s.showAuthorize(flavourApps))
	mux.HandleFunc("POST /oauth/v2/authorize", s.answerAuthorize(flavourApps))
	mux.HandleFunc("POST /v1/oauth/token", s.handleToken(flavourApps))
	mux.HandleFunc("POST /v1/oauth/deauthorize", s.handleDeauthorize(flavourApps))
}
