package sandbox

import "net/http"

// routeDataHooks registers the data test hooks:
//
//	GET  /_sandbox/truth?account=acct_…  → {"charges":{"live":N,"deleted":M},…} for all 17 types, and payout_links
//	GET  /_sandbox/truth?account=acct_…&payout=po_…  → {"payout":…,"amount":N,"links":["txn_…",…]}
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
//
// Besides the 17 types it answers "payout_links": the balance transactions
// the automatic payouts swept (what GET /v1/balance_transactions?payout=…
// lists for every payout, less each payout's own transaction). With
// payout=po_… it answers that payout's links instead:
// {"payout":"po_…","amount":N,"links":["txn_…",…]}.
func (s *Server) handleTruth(w http.ResponseWriter, r *http.Request) {
	d, ok := s.hookAccount(w, r.URL.Query().Get("account"))
	if !ok {
		return
	}
	if id := r.URL.Query().Get("payout"); id != "" {
		l, ok := d.links(id)
		if !ok {
			writeAPIError(w, http.StatusNotFound, apiError{
				Message: "No such automatic payout: '" + id + "'", Param: "payout", Type: typeInvalidRequest})
			return
		}
		writeJSON(w, http.StatusOK, l)
		return
	}
	out := d.truth()
	out["payout_links"] = Count{Live: d.payoutLinkCount()}
	writeJSON(w, http.StatusOK, out)
}

// PayoutLinks returns the links of one automatic payout, as
// GET /_sandbox/truth?account=…&payout=… answers them; false if the account
// or the payout is unknown.
func (s *Server) PayoutLinks(accountID, payoutID string) (PayoutLinks, bool) {
	d, ok := s.data[accountID]
	if !ok {
		return PayoutLinks{}, false
	}
	return d.links(payoutID)
}

// Truth returns the counts of the 17 types GET /_sandbox/truth answers for
// an account (without payout_links, which no warehouse table holds yet),
// for callers in the same process; false if the account is unknown.
func (s *Server) Truth(accountID string) (map[string]Count, bool) {
	d, ok := s.data[accountID]
	if !ok {
		return nil, false
	}
	return d.truth(), true
}
