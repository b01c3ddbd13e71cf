package sandbox

import "net/http"

// routeDataHooks registers the data test hooks:
//
//	GET  /_sandbox/truth?account=acct_…  → {"charges":{"live":N,"deleted":M},…} for all 17 types
//	POST /_sandbox/mutate  account=acct_… type=customers action=create|update|delete count=N [id=…]
//	                       → {"changes":[{"type":…,"id":…,"action":…,"event":"evt_…","event_type":…}]}
func (s *Server) routeDataHooks(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sandbox/truth", s.handleTruth)
	mux.HandleFunc("POST /_sandbox/mutate", s.handleMutate)
}

// hookAccount returns the dataset named by the account parameter, or
// answers 404.
func (s *Server) hookAccount(w http.ResponseWriter, id string) (*dataset, bool) {
	d, ok := s.data[id]
	if !ok {
		writeAPIError(w, http.StatusNotFound, apiError{
			Message: "No such account: say account=acct_… of one of the sandbox's accounts.",
			Param:   "account", Type: typeInvalidRequest})
		return nil, false
	}
	return d, true
}

// handleTruth answers the exact counts of every type for one account: what
// a complete sync must hold. Keys are the warehouse's table suffixes.
func (s *Server) handleTruth(w http.ResponseWriter, r *http.Request) {
	d, ok := s.hookAccount(w, r.URL.Query().Get("account"))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, d.truth())
}

// Truth returns the counts GET /_sandbox/truth answers for an account, for
// callers in the same process; false if the account is unknown.
func (s *Server) Truth(accountID string) (map[string]Count, bool) {
	d, ok := s.data[accountID]
	if !ok {
		return nil, false
	}
	return d.truth(), true
}
