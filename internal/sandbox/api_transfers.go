package sandbox

import (
	"net/http"
	"net/url"
	"slices"
)

// The sandbox's stores make no transfers (they are not Connect platforms
// paying out to other accounts), so GET /v1/transfers is Stripe's empty
// list: the endpoint exists, takes Stripe's parameters, and lists nothing.

// transferFilters are GET /v1/transfers' filters besides limit, cursors,
// created and expand (Stripe's OpenAPI spec).
var transferFilters = []string{"destination", "transfer_group"}

// routeTransfers registers GET /v1/transfers and GET /v1/transfers/{id}.
func (s *Server) routeTransfers(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/transfers", s.handleTransfers)
	mux.HandleFunc("GET /v1/transfers/{id}", s.handleRetrieveTransfer)
}

// handleTransfers answers an empty page after checking the parameters as
// the other lists do; a cursor names a transfer that does not exist (404).
func (s *Server) handleTransfers(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.dataFor(w, r); !ok {
		return
	}
	if perr := checkEmptyListQuery(r.URL.Query(), "transfer", transferFilters); perr != nil {
		writeAPIError(w, perr.status, perr.err)
		return
	}
	var out jw
	out.begin('{')
	out.kstr("object", "list")
	out.kemptyArr("data")
	out.kbool("has_more", false)
	out.kstr("url", "/v1/transfers")
	out.end('}')
	writeRaw(w, http.StatusOK, out.b)
}

// handleRetrieveTransfer answers Stripe's 404: there are no transfers.
func (s *Server) handleRetrieveTransfer(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.dataFor(w, r); !ok {
		return
	}
	perr := noSuch("transfer", r.PathValue("id"), "id")
	writeAPIError(w, perr.status, perr.err)
}

// checkEmptyListQuery checks a list request for a list that is always
// empty: Stripe's 400s for a bad limit, created or parameter, 400 for any
// expansion, and 404 for any cursor (no object of that kind exists).
func checkEmptyListQuery(vals url.Values, object string, filters []string) *paramError {
	// The parameters every list shares are checked by the same parser as
	// the 17 lists (without filters: line items take none).
	shared := url.Values{}
	for k, v := range vals {
		name, _, nested := splitParam(k)
		switch {
		case !nested && slices.Contains(filters, k):
		case name == "expand":
			for _, x := range v {
				if x != "" {
					return badParam(k, "The sandbox expands nothing on this list: leave out "+k+"="+x+".")
				}
			}
		case name == "created":
			var p pageReq
			p.gte, p.lte = anyCreated()
			if perr := p.addCreated(k, sub(k), nested, vals.Get(k)); perr != nil {
				return perr
			}
		default:
			shared[k] = v
		}
	}
	q, perr := parseListQuery(vInvoiceLineItems, shared)
	if perr != nil {
		return perr
	}
	for _, c := range [][2]string{{q.afterID, "starting_after"}, {q.beforeID, "ending_before"}} {
		if c[0] != "" {
			return noSuch(object, c[0], c[1])
		}
	}
	return nil
}

// sub is the bracketed part of a form key: "gte" of "created[gte]".
func sub(k string) string { _, s, _ := splitParam(k); return s }
