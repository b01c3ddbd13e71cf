package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
)

// listPage is one decoded list response.
type listPage struct {
	Object  string           `json:"object"`
	Data    []map[string]any `json:"data"`
	HasMore bool             `json:"has_more"`
	URL     string           `json:"url"`
}

// listTypes are the views with a top-level list, with the parameters a
// full sync passes (all subscriptions, whatever their status).
var listTypes = []struct {
	name, path string
	params     url.Values
}{
	{"customers", "/v1/customers", nil},
	{"charges", "/v1/charges", nil},
	{"coupons", "/v1/coupons", nil},
	{"invoices", "/v1/invoices", nil},
	{"plans", "/v1/plans", nil},
	{"subscriptions", "/v1/subscriptions", url.Values{"status": {"all"}}},
	{"events", "/v1/events", nil},
	{"refunds", "/v1/refunds", nil},
	{"payment_intents", "/v1/payment_intents", nil},
	{"balance_transactions", "/v1/balance_transactions", nil},
	{"payouts", "/v1/payouts", nil},
	{"disputes", "/v1/disputes", nil},
	{"products", "/v1/products", nil},
	{"prices", "/v1/prices", nil},
	{"credit_notes", "/v1/credit_notes", nil},
}

// page fetches one list page and fails the test on anything but a 200
// with a well-formed envelope.
func (h *harness) page(key, path string, q url.Values) listPage {
	h.t.Helper()
	r := h.get(path+"?"+q.Encode(), bearer(key))
	if r.status != http.StatusOK {
		h.t.Fatalf("GET %s?%s: %d %s", path, q.Encode(), r.status, r.raw)
	}
	var p listPage
	if err := json.Unmarshal([]byte(r.raw), &p); err != nil {
		h.t.Fatalf("GET %s: %v", path, err)
	}
	if p.Object != "list" || p.URL != path || p.Data == nil {
		h.t.Fatalf("GET %s: envelope object=%q url=%q data=%v", path, p.Object, p.URL, p.Data == nil)
	}
	return p
}

// walk pages forward with starting_after until has_more is false,
// checking each page's order, and returns every object seen.
func (h *harness) walk(key, path string, params url.Values, limit int) []map[string]any {
	h.t.Helper()
	var all []map[string]any
	after := ""
	for pages := 0; ; pages++ {
		q := cloneValues(params)
		q.Set("limit", itoa(limit))
		if after != "" {
			q.Set("starting_after", after)
		}
		p := h.page(key, path, q)
		if len(p.Data) > limit || (p.HasMore && len(p.Data) != limit) {
			h.t.Fatalf("%s: page of %d with limit %d, has_more %v", path, len(p.Data), limit, p.HasMore)
		}
		all = append(all, p.Data...)
		if !p.HasMore {
			break
		}
		after = idOf(p.Data[len(p.Data)-1])
		if pages > 100000 {
			h.t.Fatalf("%s: the walk does not end", path)
		}
	}
	checkNewestFirst(h.t, path, all)
	return all
}

// walkBack pages backward with ending_before from the oldest object.
func (h *harness) walkBack(key, path string, params url.Values, oldest string, limit int) []map[string]any {
	h.t.Helper()
	var pages [][]map[string]any
	before := oldest
	for {
		q := cloneValues(params)
		q.Set("limit", itoa(limit))
		q.Set("ending_before", before)
		p := h.page(key, path, q)
		if len(p.Data) == 0 {
			break
		}
		checkNewestFirst(h.t, path, p.Data)
		pages = append(pages, p.Data)
		before = idOf(p.Data[0])
		if !p.HasMore {
			break
		}
	}
	var all []map[string]any
	for k := len(pages) - 1; k >= 0; k-- {
		all = append(all, pages[k]...)
	}
	return all
}

// checkNewestFirst fails unless objects are ordered by created, then id,
// both descending.
func checkNewestFirst(t *testing.T, path string, objs []map[string]any) {
	t.Helper()
	for k := 1; k < len(objs); k++ {
		a, b := objs[k-1], objs[k]
		ca, cb := num(a["created"]), num(b["created"])
		if ca < cb || (ca == cb && idOf(a) <= idOf(b)) {
			t.Fatalf("%s: %s (%d) is listed before %s (%d)", path, idOf(a), ca, idOf(b), cb)
		}
	}
}

// idsOf returns the objects' ids, failing on a duplicate.
func idsOf(t *testing.T, what string, objs []map[string]any) []string {
	t.Helper()
	ids := make([]string, len(objs))
	seen := map[string]bool{}
	for k, o := range objs {
		ids[k] = idOf(o)
		if seen[ids[k]] {
			t.Fatalf("%s: %s listed twice", what, ids[k])
		}
		seen[ids[k]] = true
	}
	return ids
}

func idOf(o map[string]any) string { s, _ := o["id"].(string); return s }

func num(v any) int64 { f, _ := v.(float64); return int64(f) }

func itoa(n int) string { return strconv.Itoa(n) }

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// truth fetches /_sandbox/truth for an account.
func (h *harness) truth(account string) map[string]Count {
	h.t.Helper()
	r := h.get("/_sandbox/truth?account="+account, "")
	if r.status != http.StatusOK {
		h.t.Fatalf("truth: %d %s", r.status, r.raw)
	}
	var out map[string]Count
	if err := json.Unmarshal([]byte(r.raw), &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// on returns a copy of the harness that reports to t, for subtests.
func (h *harness) on(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}
