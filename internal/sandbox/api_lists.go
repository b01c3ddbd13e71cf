package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
)

// routeData registers the object endpoints: a list for each of the 17
// types (line items under their invoice, subscription items by
// subscription, as Stripe has them) and a retrieve for each listable type.
func (s *Server) routeData(mux *http.ServeMux) {
	for v := range numViews {
		switch v {
		case vInvoiceLineItems:
			mux.HandleFunc("GET /v1/invoices/{id}/lines", s.handleInvoiceLines)
		case vSubscriptionItems:
			mux.HandleFunc("GET /v1/subscription_items", s.handleSubscriptionItems)
			mux.HandleFunc("GET /v1/subscription_items/{id}", s.handleRetrieveSubItem)
		case vCustomers:
			// Invoice items are listed, though no sync copies them.
			mux.HandleFunc("GET /v1/invoiceitems", s.handleList(vInvoiceItems))
			mux.HandleFunc("GET /v1/invoiceitems/{id}", s.handleRetrieve(vInvoiceItems))
			fallthrough
		default:
			mux.HandleFunc("GET /v1/"+views[v].name, s.handleList(v))
			mux.HandleFunc("GET /v1/"+views[v].name+"/{id}", s.handleRetrieve(v))
		}
	}
}

// dataFor authenticates the request and returns the dataset of the account
// it acts for. The platform's secret key may act for a connected account
// with the Stripe-Account header, as Connect platforms do.
func (s *Server) dataFor(w http.ResponseWriter, r *http.Request) (*dataset, bool) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return nil, false
	}
	acct := p.account
	if id := r.Header.Get("Stripe-Account"); id != "" && id != acct.ID {
		a, known := s.byID[id]
		if !acct.Platform || !known || a.Platform {
			writeAPIError(w, http.StatusForbidden, apiError{
				Code:    "account_invalid",
				Message: "The provided key does not have access to account '" + id + "' (or that account does not exist). Application access may have been revoked.",
				Type:    typeInvalidRequest,
			})
			return nil, false
		}
		acct = a
	}
	d := s.data[acct.ID]
	d.ready()
	return d, true
}

// noSuch is Stripe's 404 for an id that does not resolve.
func noSuch(object, id, param string) *paramError {
	return &paramError{http.StatusNotFound, apiError{
		Code:    "resource_missing",
		DocURL:  "https://stripe.com/docs/error-codes/resource-missing",
		Message: "No such " + object + ": '" + id + "'",
		Param:   param,
		Type:    typeInvalidRequest,
	}}
}

// handleList serves GET /v1/<plural>: one page, newest first.
func (s *Server) handleList(v view) http.HandlerFunc {
	path := "/v1/" + views[v].name
	return func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.dataFor(w, r)
		if !ok {
			return
		}
		q, perr := parseListQuery(v, r.URL.Query())
		if perr != nil {
			writeAPIError(w, perr.status, perr.err)
			return
		}
		buf := s.getBuf()
		defer s.putBuf(buf)
		out := jw{b: (*buf)[:0]}
		d.mu.RLock()
		perr = d.listPage(&out, v, path, &q)
		d.mu.RUnlock()
		if perr != nil {
			writeAPIError(w, perr.status, perr.err)
			return
		}
		*buf = out.b
		writeRaw(w, http.StatusOK, out.b)
	}
}

// listPage renders one page of view v into w. Callers hold d.mu for reading.
func (d *dataset) listPage(w *jw, v view, path string, q *listQuery) *paramError {
	for _, c := range []struct {
		id    string
		param string
		dst   **key
	}{{q.afterID, "starting_after", &q.page.after}, {q.beforeID, "ending_before", &q.page.before}} {
		if c.id == "" {
			continue
		}
		k, ok := d.listKey(v, c.id)
		if !ok {
			return noSuch(views[v].object, c.id, c.param)
		}
		*c.dst = &k
	}
	if v == vBalanceTransactions {
		if perr := d.payoutFilter(q); perr != nil {
			return perr
		}
	}
	streams := d.listStreams(v, q)
	picks, more := collect(streams, q.page)
	w.begin('{')
	w.kstr("object", "list")
	w.karr("data")
	w.expandTxn, w.expandDest, w.more = q.expand&xTxn != 0, q.expand&xDest != 0, q.expand
	for _, p := range picks {
		w.elem()
		streams[p.s].write(w, p.i)
	}
	w.expandTxn, w.expandDest, w.more = false, false, 0
	w.end(']')
	w.kbool("has_more", more)
	w.kstr("url", path)
	w.end('}')
	return nil
}

// listKey resolves a cursor id to its place in view v's list. Deleted
// objects still resolve, so a walk survives the deletion of its cursor.
func (d *dataset) listKey(v view, id string) (key, bool) {
	switch v {
	case vEvents:
		return d.eventKey(id)
	case vInvoiceItems:
		i := d.refIndex(famInvoiceItem, id)
		if !d.invoiceItemExists(i) {
			return key{}, false
		}
		return key{d.invoiceItemCreated(i), leadPlain, i}, true
	case vBalanceTransactions:
		lead, i, ok := d.parseID(famTxn, id)
		if !ok || !d.txnExists(lead, i) {
			return key{}, false
		}
		return key{d.txnCreated(lead, i), lead, i}, true
	}
	lead, i, ok := d.parseID(views[v].fam, id)
	if !ok || lead != leadPlain || !d.inView(v, i) {
		return key{}, false
	}
	return key{d.created(views[v].kind, i), leadPlain, i}, true
}

// writeRaw answers a body that is already JSON.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body))) // one write, no chunking
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// getBuf and putBuf recycle response buffers: a page of 100 charges is
// a few hundred kilobytes.
func (s *Server) getBuf() *[]byte {
	if b, ok := s.bufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 64<<10)
	return &b
}

func (s *Server) putBuf(b *[]byte) {
	if cap(*b) <= 4<<20 {
		*b = (*b)[:0]
		s.bufs.Put(b)
	}
}

// childQuery is a page request over a parent's children (line items of an
// invoice, items of a subscription): limit and cursors only.
type childQuery struct {
	limit         int
	after, before string
}

func parseChildQuery(vals url.Values, extra string) (childQuery, *paramError) {
	q := childQuery{limit: defaultLimit}
	for k := range vals {
		val := vals.Get(k)
		name, _, _ := splitParam(k)
		switch {
		case k == "limit":
			lq, perr := parseListQuery(vInvoiceLineItems, url.Values{"limit": {val}})
			if perr != nil {
				return q, perr
			}
			q.limit = lq.page.limit
		case k == "starting_after":
			q.after = val
		case k == "ending_before":
			q.before = val
		case k == extra:
		case name == "expand":
			if val != "" {
				return q, badParam(k, "The sandbox does not expand objects: leave out "+k+".")
			}
		default:
			return q, badParam(k, "Received unknown parameter: "+k)
		}
	}
	if q.after != "" && q.before != "" {
		return q, badParam("ending_before", "You may only specify one of these parameters: ending_before, starting_after.")
	}
	return q, nil
}

// childRange picks the children [from, to) of a page over n children in
// their natural order, given the cursors' positions (-1 when absent).
func childRange(n, after, before, limit int) (from, to int, more bool) {
	if before >= 0 {
		to = before
		from = max(0, to-limit)
		return from, to, from > 0
	}
	from = after + 1
	to = min(n, from+limit)
	return from, to, to < n
}
