package sandbox

import (
	"net/http"
	"net/url"
)

// handleInvoiceLines serves GET /v1/invoices/{id}/lines: the invoice's line
// items in invoice order.
func (s *Server) handleInvoiceLines(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dataFor(w, r)
	if !ok {
		return
	}
	q, perr := parseChildQuery(r.URL.Query(), "")
	if perr != nil {
		writeAPIError(w, perr.status, perr.err)
		return
	}
	id := r.PathValue("id")
	d.mu.RLock()
	defer d.mu.RUnlock()
	j := d.refIndex(famInvoice, id)
	if !d.exists(kInvoice, j) {
		perr := noSuch("invoice", id, "invoice")
		writeAPIError(w, perr.status, perr.err)
		return
	}
	f := d.invoice(j)
	s.writeChildren(w, d, q, famLine, j, f.lines, "line_item", "/v1/invoices/"+id+"/lines",
		func(out *jw, k int) { d.writeLine(out, j, &f, k) })
}

// handleSubscriptionItems serves GET /v1/subscription_items?subscription=….
func (s *Server) handleSubscriptionItems(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dataFor(w, r)
	if !ok {
		return
	}
	vals := r.URL.Query()
	q, perr := parseChildQuery(vals, "subscription")
	if perr == nil && vals.Get("subscription") == "" {
		perr = badParam("subscription", "Missing required param: subscription.")
	}
	if perr != nil {
		writeAPIError(w, perr.status, perr.err)
		return
	}
	id := vals.Get("subscription")
	d.mu.RLock()
	defer d.mu.RUnlock()
	sub := d.refIndex(famSubscription, id)
	if !d.exists(kSubscription, sub) {
		perr := noSuch("subscription", id, "subscription")
		writeAPIError(w, perr.status, perr.err)
		return
	}
	f := d.sub(sub)
	s.writeChildren(w, d, q, famSubItem, sub, f.items, "subscription_item", "/v1/subscription_items",
		func(out *jw, k int) { d.writeSubItem(out, sub, &f, k) })
}

// writeChildren answers one page of a parent's n children. Callers hold d.mu.
func (s *Server) writeChildren(w http.ResponseWriter, d *dataset, q childQuery, f family, parent, n int,
	object, path string, write func(out *jw, k int)) {
	pos := func(id, param string) (int, *paramError) {
		if id == "" {
			return -1, nil
		}
		i := d.refIndex(f, id)
		if i < 0 || i/maxItems != parent || i%maxItems >= n {
			return 0, noSuch(object, id, param)
		}
		return i % maxItems, nil
	}
	after, perr := pos(q.after, "starting_after")
	if perr == nil {
		var before int
		before, perr = pos(q.before, "ending_before")
		if perr == nil {
			buf := s.getBuf()
			defer s.putBuf(buf)
			out := jw{b: (*buf)[:0]}
			from, to, more := childRange(n, after, before, q.limit)
			out.begin('{')
			out.kstr("object", "list")
			out.karr("data")
			for k := from; k < to; k++ {
				out.elem()
				write(&out, k)
			}
			out.end(']')
			out.kbool("has_more", more)
			out.kstr("url", path)
			out.end('}')
			*buf = out.b
			writeRaw(w, http.StatusOK, out.b)
			return
		}
	}
	writeAPIError(w, perr.status, perr.err)
}

// handleRetrieveSubItem serves GET /v1/subscription_items/{id}.
func (s *Server) handleRetrieveSubItem(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dataFor(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	d.mu.RLock()
	defer d.mu.RUnlock()
	i := d.refIndex(famSubItem, id)
	if i >= 0 && d.exists(kSubscription, i/maxItems) {
		f := d.sub(i / maxItems)
		if i%maxItems < f.items {
			var out jw
			d.writeSubItem(&out, i/maxItems, &f, i%maxItems)
			writeRaw(w, http.StatusOK, out.b)
			return
		}
	}
	perr := noSuch("subscription_item", id, "id")
	writeAPIError(w, perr.status, perr.err)
}

// handleRetrieve serves GET /v1/<plural>/{id}. A deleted customer answers
// Stripe's stub {"id":…,"object":"customer","deleted":true}; other deleted
// objects are gone (404).
func (s *Server) handleRetrieve(v view) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.dataFor(w, r)
		if !ok {
			return
		}
		id := r.PathValue("id")
		expand, perr := retrieveExpand(v, r.URL.Query())
		if perr != nil {
			writeAPIError(w, perr.status, perr.err)
			return
		}
		d.mu.RLock()
		defer d.mu.RUnlock()
		k, found := d.listKey(v, id)
		out := jw{expandTxn: expand&xTxn != 0, expandDest: expand&xDest != 0, more: expand}
		switch {
		case !found:
		case v == vEvents:
			streams := d.eventStreams(&listQuery{})
			for _, st := range streams {
				if st.lead == k.lead {
					st.write(&out, k.i)
				}
			}
		case v == vBalanceTransactions:
			d.writeTxn(&out, k.lead, k.i)
		case v == vInvoiceItems:
			d.writeInvoiceItem(&out, k.i)
		case d.exists(views[v].kind, k.i):
			d.write(&out, v, k.i, d.current(views[v].kind, k.i))
		case v == vCustomers:
			out.begin('{')
			out.kstr("id", id)
			out.kstr("object", "customer")
			out.kbool("deleted", true)
			out.end('}')
		}
		if len(out.b) == 0 {
			perr := noSuch(views[v].object, id, "id")
			writeAPIError(w, perr.status, perr.err)
			return
		}
		writeRaw(w, http.StatusOK, out.b)
	}
}

// retrieveExpand reads a retrieve's expand[] parameters: the fields the
// sandbox expands on v (see expansions); anything else is refused.
func retrieveExpand(v view, vals url.Values) (expandSet, *paramError) {
	var set expandSet
	for k, xs := range vals {
		if name, _, _ := splitParam(k); name != "expand" {
			continue
		}
		for _, x := range xs {
			if x == "" {
				continue
			}
			e, ok := expansions[v][x]
			if !ok {
				return 0, badParam(k, "The sandbox expands only "+expansionNames(v, "")+": leave out "+k+"="+x+".")
			}
			set |= e
		}
	}
	return set, nil
}
