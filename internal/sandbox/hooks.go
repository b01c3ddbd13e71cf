package sandbox

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// routeHooks registers the test hooks. They exist only in the sandbox and
// live under /_sandbox/ so they can never be mistaken for Stripe's API:
//
//	POST /_sandbox/revoke    token=… | api_key=… | account=acct_…  → {"revoked":N}
//	POST /_sandbox/settings  access_token_ttl=2s                  → {"access_token_ttl_seconds":2}
//	POST /_sandbox/keys      account=acct_…                       → {"api_key":"rk_test_…","account":"acct_…"}
func (s *Server) routeHooks(mux *http.ServeMux) {
	mux.HandleFunc("POST /_sandbox/revoke", s.handleRevoke)
	mux.HandleFunc("POST /_sandbox/keys", s.handleCreateKey)
	mux.HandleFunc("POST /_sandbox/settings", s.handleSettings)
}

// revokeResponse says how many credentials a revoke hook call revoked.
type revokeResponse struct {
	Revoked int `json:"revoked"`
}

// handleRevoke revokes, so tests can see what a revoked credential does:
// token= an access or refresh token; api_key= a restricted key or the
// platform secret key; account= every OAuth token of that account in both
// flavours (what the owner disconnecting the app does). Fields may be
// combined. Nothing matching answers 404. Revocations hold in this instance
// only: another sandbox with the same seed still accepts the tokens.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Message: "The request body could not be read as a form.", Type: typeInvalidRequest})
		return
	}
	token, key, acct := r.PostForm.Get("token"), r.PostForm.Get("api_key"), r.PostForm.Get("account")
	if token == "" && key == "" && acct == "" {
		writeAPIError(w, http.StatusBadRequest, apiError{
			Message: "Say what to revoke: token, api_key or account.", Param: "token", Type: typeInvalidRequest})
		return
	}
	n := 0
	if token != "" && s.creds.revokeToken(token) {
		n++
	}
	if key != "" {
		_, seeded := s.byKey[key]
		_, made := s.creds.createdKeyAccount(key)
		if seeded || made {
			s.creds.revokeKey(key)
			n++
		}
	}
	if acct != "" {
		if _, ok := s.byID[acct]; ok {
			n += s.creds.revokeGrant("", acct, s.now())
		}
	}
	if n == 0 {
		writeAPIError(w, http.StatusNotFound, apiError{
			Message: "Nothing was revoked: no such token, key, or account with live tokens.", Type: typeInvalidRequest})
		return
	}
	s.log.Info("credentials revoked by test hook", slog.Int("count", n))
	writeJSON(w, http.StatusOK, revokeResponse{Revoked: n})
}

// settingsResponse reports the settings in force after a settings call.
type settingsResponse struct {
	AccessTokenTTLSeconds float64 `json:"access_token_ttl_seconds"`
}

// handleSettings changes run-time settings: access_token_ttl (a Go duration
// such as "2s" or "1h") sets the lifetime of Stripe Apps access tokens
// issued from then on.
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Message: "The request body could not be read as a form.", Type: typeInvalidRequest})
		return
	}
	if raw := r.PostForm.Get("access_token_ttl"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err == nil && d <= 0 {
			err = fmt.Errorf("must be positive")
		}
		if err != nil {
			writeAPIError(w, http.StatusBadRequest, apiError{
				Message: fmt.Sprintf("Invalid access_token_ttl %q: use a positive duration such as 2s or 1h.", raw),
				Param:   "access_token_ttl", Type: typeInvalidRequest})
			return
		}
		s.SetAccessTokenTTL(d)
		s.log.Info("access token lifetime changed", slog.Duration("ttl", d))
	}
	writeJSON(w, http.StatusOK, settingsResponse{AccessTokenTTLSeconds: s.creds.accessTokenTTL().Seconds()})
}

// createdKey is the answer of POST /_sandbox/keys.
type createdKey struct {
	APIKey  string `json:"api_key"`
	Account string `json:"account"`
}

// handleCreateKey makes a new restricted key for account=acct_…, so a test
// or a person trying the demo can replace a revoked key, as they would in
// Stripe's dashboard.
func (s *Server) handleCreateKey(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Message: "The request body could not be read as a form.", Type: typeInvalidRequest})
		return
	}
	id := r.PostForm.Get("account")
	a, ok := s.byID[id]
	if !ok || a.Platform {
		writeAPIError(w, http.StatusNotFound, apiError{Message: "No such connected account: say account=acct_… of one of the sandbox's accounts.", Param: "account", Type: typeInvalidRequest})
		return
	}
	writeJSON(w, http.StatusOK, createdKey{APIKey: s.creds.createKey(id), Account: id})
}
