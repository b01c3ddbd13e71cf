package sandbox

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Events: one per base object created in the 30 days before the data's end
// (its "created" event, carrying the object as generated), plus every event
// a mutation made. The window is measured from the dataset's end, fixed when
// the sandbox starts, so counts do not drift while a test runs.

// eventViews are the views whose objects have events, in lead order.
var eventViews = []view{vCustomers, vProducts, vPrices, vPlans, vCoupons, vSubscriptions, vInvoices,
	vCharges, vPaymentIntents, vRefunds, vDisputes, vPayouts, vCreditNotes}

// typeMatcher matches event types against type / types[] filters; an
// entry ending in ".*" matches a prefix, as Stripe's wildcard does.
type typeMatcher []string

func (m typeMatcher) match(t string) bool {
	if len(m) == 0 {
		return true
	}
	for _, p := range m {
		if p == t || (strings.HasSuffix(p, ".*") && strings.HasPrefix(t, p[:len(p)-1])) {
			return true
		}
	}
	return false
}

// matchAny reports whether any of types could match.
func (m typeMatcher) matchAny(types []string) bool {
	return slices.ContainsFunc(types, m.match)
}

// baseEventRange is the index range of base objects of v with events.
func (d *dataset) baseEventRange(v view) (lo, hi int) {
	k := views[v].kind
	return min(d.firstAtOrAfter(k, d.window), d.base[k]), d.base[k]
}

// eventStreams are the streams of the events list.
func (d *dataset) eventStreams(q *listQuery) []stream {
	m := typeMatcher(q.types)
	var out []stream
	for _, v := range eventViews {
		if !m.matchAny(baseEventTypes(v)) {
			continue
		}
		k := views[v].kind
		lo, hi := d.baseEventRange(v)
		out = append(out, stream{
			lead: views[v].evLead, lo: lo, hi: hi,
			created: func(i int) int64 { return d.created(k, i) },
			keep: func(i int) bool {
				return (v != vPlans || d.recurringPrice(i)) && m.match(d.baseEventType(v, i))
			},
			write: func(w *jw, i int) {
				d.writeEvent(w, views[v].evLead, i, d.created(k, i), d.baseEventType(v, i), nil,
					func() { d.write(w, v, i, rev{}) }, nil)
			},
		})
	}
	out = append(out, stream{
		lead: leadMutationEvent, hi: len(d.events),
		created: func(i int) int64 { return d.events[i].created },
		keep:    func(i int) bool { return m.match(d.events[i].typ) },
		write:   func(w *jw, i int) { d.writeMutationEvent(w, i) },
	})
	return out
}

// eventKey resolves an event id to its place in the events list.
func (d *dataset) eventKey(id string) (key, bool) {
	lead, i, ok := d.parseID(famEvent, id)
	if !ok {
		return key{}, false
	}
	if lead == leadMutationEvent {
		if i >= len(d.events) {
			return key{}, false
		}
		return key{d.events[i].created, lead, i}, true
	}
	for _, v := range eventViews {
		if views[v].evLead != lead {
			continue
		}
		lo, hi := d.baseEventRange(v)
		if i < lo || i >= hi || (v == vPlans && !d.recurringPrice(i)) {
			return key{}, false
		}
		return key{d.created(views[v].kind, i), lead, i}, true
	}
	return key{}, false
}

// writeMutationEvent renders the i-th event a mutation made.
func (d *dataset) writeMutationEvent(w *jw, i int) {
	e := &d.events[i]
	var prev func()
	if e.prevRev {
		prev = func() { d.writePrevious(w, e.view, e.index, e.rev) }
	}
	d.writeEvent(w, leadMutationEvent, i, e.created, e.typ, &d.events[i],
		func() { d.write(w, e.view, e.index, e.rev) }, prev)
}

// writeEvent renders an event around its object.
func (d *dataset) writeEvent(w *jw, lead byte, i int, created int64, typ string, m *mutEvent, object, previous func()) {
	w.begin('{')
	w.kid("id", d, famEvent, lead, i)
	w.kstr("object", "event")
	w.kstr("api_version", apiVersion)
	w.kint("created", created)
	w.kobj("data")
	w.key("object")
	object()
	if previous != nil {
		w.key("previous_attributes")
		previous()
	}
	w.end('}')
	w.kbool("livemode", false)
	w.kint("pending_webhooks", 0)
	w.kobj("request")
	if m != nil {
		w.kaux("id", d, "req_", 0x4e0, i, requestIDLen)
		w.knull("idempotency_key")
	} else {
		w.knull("id")
		w.knull("idempotency_key")
	}
	w.end('}')
	w.kstr("type", typ)
	w.end('}')
}

// writePrevious writes previous_attributes of an update: the top-level
// fields whose values differ between revision r-1 and r, at their old values.
func (d *dataset) writePrevious(w *jw, v view, i int, r rev) {
	older := rev{v: r.v - 1}
	if older.v > 0 {
		older.at = r.at // the time of the earlier update is not kept; only its fields matter
	}
	var a, b jw
	d.write(&a, v, i, older)
	d.write(&b, v, i, r)
	var oldFields, newFields map[string]json.RawMessage
	if json.Unmarshal(a.b, &oldFields) != nil || json.Unmarshal(b.b, &newFields) != nil {
		w.b = append(w.b, '{', '}')
		return
	}
	keys := make([]string, 0, len(oldFields))
	for k, v := range oldFields {
		if !bytes.Equal(v, newFields[k]) && k != "updated" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	w.begin('{')
	for _, k := range keys {
		w.key(k)
		var buf bytes.Buffer
		if json.Indent(&buf, oldFields[k], indent[:2*w.depth], "  ") == nil {
			w.b = append(w.b, bytes.TrimSpace(buf.Bytes())...)
		} else {
			w.b = append(w.b, oldFields[k]...)
		}
	}
	w.end('}')
}
