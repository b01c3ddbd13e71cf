package syncer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// fakeStripe is a small Stripe stand-in for tests that need to shape the
// data exactly (events of a chosen age, a type with no objects): lists of
// every warehouse type with Stripe's pagination and created filters,
// newest first; invoices and subscriptions embedding their first 10
// children; events for mutations. Objects carry just the fields the tests
// look at. One account, one key.
type fakeStripe struct {
	t   testing.TB
	srv *httptest.Server
	key string

	mu      sync.Mutex
	objs    map[string][]*fakeObj // by type name; children under their type too
	byID    map[string]*fakeObj
	kids    map[string][]*fakeObj // by parent id
	types   map[string]warehouse.Type
	events  []*fakeObj
	seq     int
	revoked bool
	now     func() time.Time

	hmu     sync.Mutex
	handler http.Handler // what serves requests: serveAPI, maybe wrapped
}

// wrap puts w around the fake's handler (fault injection).
func (f *fakeStripe) wrap(w func(http.Handler) http.Handler) {
	f.hmu.Lock()
	defer f.hmu.Unlock()
	f.handler = w(f.handler)
}

func (f *fakeStripe) serve(w http.ResponseWriter, r *http.Request) {
	f.hmu.Lock()
	h := f.handler
	f.hmu.Unlock()
	h.ServeHTTP(w, r)
}

// fakeObj is one object: its fields, and whether it was deleted.
type fakeObj struct {
	typ     string
	id      string
	created int64
	fields  map[string]any
	deleted bool
	parent  string // a child's parent id
}

var fakePrefixes = map[string]string{
	"customers": "cus", "charges": "ch", "coupons": "co", "invoices": "in", "plans": "plan",
	"subscriptions": "sub", "events": "evt", "refunds": "re", "payment_intents": "pi",
	"balance_transactions": "txn", "payouts": "po", "disputes": "dp", "products": "prod",
	"prices": "price", "invoice_line_items": "il", "credit_notes": "cn", "subscription_items": "si",
}

// sizes says how many objects a fake holds of each top-level type: the
// type's own entry, else "*".
type sizes map[string]int

func (s sizes) of(typ string) int {
	if n, ok := s[typ]; ok {
		return n
	}
	return s["*"]
}

// newFakeStripe serves a fake with the given number of objects of every
// top-level type (and kids children per invoice and subscription), created
// over the last span.
func newFakeStripe(t testing.TB, counts sizes, kids int, span time.Duration) *fakeStripe {
	f := &fakeStripe{t: t, key: "rk_test_fake0123456789", objs: map[string][]*fakeObj{}, byID: map[string]*fakeObj{}, kids: map[string][]*fakeObj{}, now: time.Now, types: map[string]warehouse.Type{}}
	for _, typ := range warehouse.Types() {
		f.types[typ.Name] = typ
	}
	start := time.Now().Add(-span).Unix()
	for _, typ := range warehouse.Types() {
		if typ.Parent != "" || typ.Name == eventsType {
			continue
		}
		n := counts.of(typ.Name)
		step := max(int64(span.Seconds())/int64(max(n, 1)), 1)
		for i := range n {
			o := f.add(typ.Name, start+int64(i)*step)
			if typ.Child != "" {
				for range kids {
					c := f.add(typ.Child, o.created)
					c.parent = o.id
					f.kids[o.id] = append(f.kids[o.id], c)
				}
			}
		}
	}
	f.handler = http.HandlerFunc(f.serveAPI)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeStripe) add(typ string, created int64) *fakeObj {
	f.seq++
	o := &fakeObj{typ: typ, id: fmt.Sprintf("%s_%010d", fakePrefixes[typ], f.seq), created: created, fields: map[string]any{"description": "v1"}}
	if typ == "balance_transactions" {
		// Of a type no list brings expanded (charges here come without
		// one), so a sync lists them with type=adjustment.
		o.fields["type"] = "adjustment"
	}
	f.objs[typ] = append(f.objs[typ], o)
	f.byID[o.id] = o
	return o
}

// json renders o as Stripe would, with its children embedded.
func (f *fakeStripe) json(o *fakeObj) map[string]any {
	typ := f.types[o.typ]
	m := map[string]any{"id": o.id, "object": typ.Object, "livemode": false, "created": o.created, "metadata": map[string]any{}}
	for k, v := range o.fields {
		m[k] = v
	}
	if o.typ == "subscriptions" {
		m["status"] = "active"
	}
	if o.parent != "" {
		if o.typ == "invoice_line_items" {
			m["invoice"] = o.parent
		} else {
			m["subscription"] = o.parent
		}
	}
	if o.deleted {
		m["deleted"] = true
	}
	if typ.Child != "" {
		kids := f.children(o)
		field := map[string]string{"invoices": "lines", "subscriptions": "items"}[o.typ]
		var data []any
		for i, c := range kids {
			if i == 10 {
				break
			}
			data = append(data, f.json(c))
		}
		if data == nil {
			data = []any{}
		}
		m[field] = map[string]any{"object": "list", "data": data, "has_more": len(kids) > 10, "url": "/v1/x"}
	}
	return m
}

func (f *fakeStripe) children(o *fakeObj) []*fakeObj {
	var kids []*fakeObj
	for _, c := range f.kids[o.id] {
		if !c.deleted {
			kids = append(kids, c)
		}
	}
	sort.Slice(kids, func(i, j int) bool { return newer(kids[i], kids[j]) })
	return kids
}

// newer is Stripe's list order: created descending, then id descending.
func newer(a, b *fakeObj) bool {
	if a.created != b.created {
		return a.created > b.created
	}
	return a.id > b.id
}

func (f *fakeStripe) serveAPI(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.key {
		writeFakeError(w, http.StatusUnauthorized, "Invalid API Key provided: rk_test_***")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.revoked {
		writeFakeError(w, http.StatusUnauthorized, "Invalid API Key provided: rk_test_***")
		return
	}
	q := r.URL.Query()
	path := strings.TrimPrefix(r.URL.Path, "/v1/")
	var list []*fakeObj
	switch {
	case strings.HasPrefix(path, "invoices/") && strings.HasSuffix(path, "/lines"):
		parent := f.byID[strings.TrimSuffix(strings.TrimPrefix(path, "invoices/"), "/lines")]
		if parent == nil || parent.deleted {
			writeFakeError(w, http.StatusNotFound, "No such invoice")
			return
		}
		list = f.children(parent)
	case path == "subscription_items":
		parent := f.byID[q.Get("subscription")]
		if parent == nil || parent.deleted {
			writeFakeError(w, http.StatusNotFound, "No such subscription")
			return
		}
		list = f.children(parent)
	case path == "events":
		list = append(list, f.events...)
	default:
		if _, ok := f.objs[path]; !ok {
			writeFakeError(w, http.StatusNotFound, "Unrecognized request URL")
			return
		}
		typ := q.Get("type") // balance transactions' filter
		for _, o := range f.objs[path] {
			if !o.deleted && (path != "balance_transactions" || typ == "" || o.fields["type"] == typ) {
				list = append(list, o)
			}
		}
	}
	sort.Slice(list, func(i, j int) bool { return newer(list[i], list[j]) })
	page, more, status := f.paginate(list, q)
	if status != 0 {
		writeFakeError(w, status, "No such object")
		return
	}
	data := make([]any, len(page))
	for i, o := range page {
		if o.typ == eventsType {
			data[i] = o.fields
		} else {
			data[i] = f.json(o)
		}
	}
	writeFakeJSON(w, map[string]any{"object": "list", "data": data, "has_more": more, "url": r.URL.Path})
}

// paginate applies created filters, cursors and limit to list (newest first).
func (f *fakeStripe) paginate(list []*fakeObj, q map[string][]string) ([]*fakeObj, bool, int) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	num := func(k string, def int64) int64 {
		if v := get(k); v != "" {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
		return def
	}
	gte, lt := num("created[gte]", 0), num("created[lt]", 1<<62)
	if v := get("created[lte]"); v != "" {
		lt = num("created[lte]", 0) + 1
	}
	if v := get("created[gt]"); v != "" {
		gte = num("created[gt]", 0) + 1
	}
	var kept []*fakeObj
	for _, o := range list {
		if o.created >= gte && o.created < lt {
			kept = append(kept, o)
		}
	}
	limit := int(num("limit", 10))
	if after := get("starting_after"); after != "" {
		c := f.byID[after]
		if c == nil || c.deleted && c.typ != eventsType {
			return nil, false, http.StatusNotFound
		}
		i := sort.Search(len(kept), func(i int) bool { return newer(c, kept[i]) })
		kept = kept[i:]
	} else if before := get("ending_before"); before != "" {
		c := f.byID[before]
		if c == nil {
			return nil, false, http.StatusNotFound
		}
		i := sort.Search(len(kept), func(i int) bool { return !newer(kept[i], c) })
		kept = kept[:i]
		if len(kept) > limit {
			return kept[len(kept)-limit:], true, 0
		}
		return kept, false, 0
	}
	if len(kept) > limit {
		return kept[:limit], true, 0
	}
	return kept, false, 0
}

func writeFakeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeFakeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"type": "invalid_request_error", "message": msg}})
}

// event records an event of type evType about o, created at created.
func (f *fakeStripe) event(o *fakeObj, evType string, created int64) {
	f.seq++
	id := fmt.Sprintf("evt_%010d", f.seq)
	ev := &fakeObj{typ: eventsType, id: id, created: created}
	ev.fields = map[string]any{"id": id, "object": "event", "created": created, "type": evType, "livemode": false,
		"data": map[string]any{"object": f.json(o)}}
	f.events = append(f.events, ev)
	f.byID[id] = ev
}

// mutate creates, updates or deletes the newest live object of typ and
// records its event. It returns the object's id.
func (f *fakeStripe) mutate(typ, action string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.types[typ]
	prefix := strings.TrimSuffix(t.EventPrefixes[0], ".")
	now := f.now().Unix()
	var o *fakeObj
	if action == "create" {
		o = f.add(typ, now)
	} else {
		for i := len(f.objs[typ]) - 1; i >= 0; i-- {
			if !f.objs[typ][i].deleted {
				o = f.objs[typ][i]
				break
			}
		}
	}
	switch action {
	case "update":
		o.fields["description"] = fmt.Sprintf("v%d", f.seq)
	case "delete":
		o.deleted = true
		for _, c := range f.kids[o.id] {
			c.deleted = true
		}
	}
	f.event(o, prefix+"."+map[string]string{"create": "created", "update": "updated", "delete": "deleted"}[action], now)
	return o.id
}

// truth counts like /_sandbox/truth.
func (f *fakeStripe) truth() map[string]warehouse.Count {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]warehouse.Count{}
	for _, t := range warehouse.Types() {
		var c warehouse.Count
		for _, o := range f.objs[t.Name] {
			if o.deleted {
				c.Deleted++
			} else {
				c.Live++
			}
		}
		out[t.Name] = c
	}
	out[eventsType] = warehouse.Count{Live: int64(len(f.events))}
	return out
}

// field returns a field of object id as the fake holds it.
func (f *fakeStripe) field(id, name string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.byID[id].fields[name]
}

func (f *fakeStripe) revoke(v bool) {
	f.mu.Lock()
	f.revoked = v
	f.mu.Unlock()
}
