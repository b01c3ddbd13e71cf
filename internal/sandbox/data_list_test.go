package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestListWalks(t *testing.T) {
	h := newHarness(t, Options{Seed: 71, Scale: 1500})
	acct := h.info.Accounts[0]
	truth := h.truth(acct.ID)

	for _, lt := range listTypes {
		t.Run(lt.name+": a forward walk sees every object once and matches the truth", func(t *testing.T) {
			h := h.on(t)
			all := h.walk(acct.APIKey, lt.path, lt.params, 37)
			ids := idsOf(t, lt.name, all)
			if len(ids) != truth[lt.name].Live || len(ids) == 0 {
				t.Fatalf("walked %d %s, truth says %d", len(ids), lt.name, truth[lt.name].Live)
			}
			for _, o := range all {
				if v, ok := o["livemode"]; ok && v != false {
					t.Fatalf("%s has livemode %v", idOf(o), v)
				}
			}

			t.Run("a backward walk with ending_before sees the same objects", func(t *testing.T) {
				h := h.on(t)
				oldest := ids[len(ids)-1]
				back := h.walkBack(acct.APIKey, lt.path, lt.params, oldest, 23)
				want := ids[:len(ids)-1]
				if got := idsOf(t, lt.name, back); !slices.Equal(got, want) {
					t.Fatalf("backward walk: %d objects, want %d (first %v vs %v)", len(got), len(want), head(got), head(want))
				}
			})
		})
	}

	t.Run("line items and subscription items add up to the truth", func(t *testing.T) {
		h := h.on(t)
		lines, items := 0, 0
		for _, inv := range h.walk(acct.APIKey, "/v1/invoices", nil, 100) {
			embedded := inv["lines"].(map[string]any)
			lines += len(embedded["data"].([]any))
			if embedded["has_more"] != false {
				t.Fatalf("invoice %s has more than one page of lines", idOf(inv))
			}
		}
		for _, sub := range h.walk(acct.APIKey, "/v1/subscriptions", url.Values{"status": {"all"}}, 100) {
			items += len(sub["items"].(map[string]any)["data"].([]any))
		}
		if lines != truth["invoice_line_items"].Live || items != truth["subscription_items"].Live || lines == 0 || items == 0 {
			t.Fatalf("lines %d (truth %d), items %d (truth %d)", lines, truth["invoice_line_items"].Live,
				items, truth["subscription_items"].Live)
		}
	})
}

func head(s []string) []string { return s[:min(3, len(s))] }

func TestListCreatedFilters(t *testing.T) {
	h := newHarness(t, Options{Seed: 72, Scale: 800})
	key := h.info.Accounts[1].APIKey
	all := h.walk(key, "/v1/charges", nil, 100)
	ids := idsOf(t, "charges", all)
	mid := num(all[len(all)/2]["created"])
	lo := num(all[len(all)*3/4]["created"])

	t.Run("created[gte] and created[lt] split the list in two", func(t *testing.T) {
		h := h.on(t)
		newer := idsOf(t, "newer", h.walk(key, "/v1/charges", url.Values{"created[gte]": {itoa(int(mid))}}, 50))
		older := idsOf(t, "older", h.walk(key, "/v1/charges", url.Values{"created[lt]": {itoa(int(mid))}}, 50))
		if got := append(newer, older...); !slices.Equal(got, ids) {
			t.Fatalf("%d + %d charges, want the %d of the whole list in order", len(newer), len(older), len(ids))
		}
	})

	t.Run("gt, lte and an exact created select what they say", func(t *testing.T) {
		h := h.on(t)
		q := url.Values{"created[gt]": {itoa(int(lo))}, "created[lte]": {itoa(int(mid))}}
		for _, o := range h.walk(key, "/v1/charges", q, 10) {
			if c := num(o["created"]); c <= lo || c > mid {
				t.Fatalf("%s created %d outside (%d, %d]", idOf(o), c, lo, mid)
			}
		}
		exact := h.walk(key, "/v1/charges", url.Values{"created": {itoa(int(mid))}}, 10)
		if len(exact) == 0 || num(exact[0]["created"]) != mid {
			t.Fatalf("created=%d found %d charges", mid, len(exact))
		}
	})

	t.Run("a created range combines with cursors in both directions", func(t *testing.T) {
		h := h.on(t)
		q := url.Values{"created[gte]": {itoa(int(lo))}, "created[lte]": {itoa(int(mid))}}
		inRange := idsOf(t, "range", h.walk(key, "/v1/charges", q, 7))
		back := idsOf(t, "back", h.walkBack(key, "/v1/charges", q, inRange[len(inRange)-1], 5))
		if !slices.Equal(back, inRange[:len(inRange)-1]) || len(inRange) < 10 {
			t.Fatalf("backward walk in range: %d, forward %d", len(back), len(inRange))
		}
	})

	t.Run("ending_before returns the page just newer than the cursor, newest first", func(t *testing.T) {
		h := h.on(t)
		p := h.page(key, "/v1/charges", url.Values{"ending_before": {ids[30]}, "limit": {"5"}})
		if got := idsOf(t, "page", p.Data); !slices.Equal(got, ids[25:30]) || !p.HasMore {
			t.Fatalf("got %v (has_more %v), want %v", got, p.HasMore, ids[25:30])
		}
		p = h.page(key, "/v1/charges", url.Values{"ending_before": {ids[3]}, "limit": {"10"}})
		if got := idsOf(t, "page", p.Data); !slices.Equal(got, ids[:3]) || p.HasMore {
			t.Fatalf("near the top: got %v (has_more %v), want %v", got, p.HasMore, ids[:3])
		}
	})
}

func TestListLimitsAndErrors(t *testing.T) {
	h := newHarness(t, Options{Seed: 73, Scale: 600})
	key := h.info.Accounts[0].APIKey

	t.Run("limit defaults to 10 and goes from 1 to 100", func(t *testing.T) {
		h := h.on(t)
		for limit, want := range map[string]int{"": 10, "1": 1, "100": 100} {
			q := url.Values{}
			if limit != "" {
				q.Set("limit", limit)
			}
			if p := h.page(key, "/v1/charges", q); len(p.Data) != want || !p.HasMore {
				t.Fatalf("limit %q: %d charges", limit, len(p.Data))
			}
		}
	})

	t.Run("bad parameters answer Stripe's 400", func(t *testing.T) {
		h := h.on(t)
		for query, param := range map[string]string{
			"limit=0": "limit", "limit=101": "limit", "limit=ten": "limit",
			"created[gte]=yesterday": "created[gte]", "created[since]=1": "created[since]",
			"colour=red": "colour", "starting_after=": "starting_after",
			"starting_after=ch_1&ending_before=ch_2": "ending_before",
			"transfer_group=g":                       "transfer_group", "expand[]=data.customer": "expand[]",
		} {
			r := h.get("/v1/charges?"+query, bearer(key))
			e := r.apiErr()
			if r.status != http.StatusBadRequest || e["type"] != "invalid_request_error" || e["param"] != param ||
				e["message"] == "" || r.header.Get("Request-Id") == "" {
				t.Errorf("%s: %d %s", query, r.status, r.raw)
			}
		}
		r := h.get("/v1/subscriptions?status=sleeping", bearer(key))
		if r.status != http.StatusBadRequest || r.apiErr()["param"] != "status" {
			t.Errorf("bad status: %d %s", r.status, r.raw)
		}
	})

	t.Run("an unknown cursor answers 404 No such …", func(t *testing.T) {
		h := h.on(t)
		other := h.page(h.info.Accounts[1].APIKey, "/v1/charges", url.Values{"limit": {"1"}}).Data[0]
		for _, id := range []string{"ch_1NotAChargeOfThisSandbox1", idOf(other)} {
			r := h.get("/v1/charges?starting_after="+id, bearer(key))
			e := r.apiErr()
			if r.status != http.StatusNotFound || e["code"] != "resource_missing" || e["param"] != "starting_after" ||
				e["message"] != "No such charge: '"+id+"'" {
				t.Errorf("%s: %d %s", id, r.status, r.raw)
			}
		}
	})

	t.Run("lists need a key", func(t *testing.T) {
		h := h.on(t)
		if r := h.get("/v1/charges", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("no key: %d", r.status)
		}
	})
}

func TestSubscriptionsAndEventsFilters(t *testing.T) {
	h := newHarness(t, Options{Seed: 74, Scale: 4000})
	key := h.info.Accounts[0].APIKey

	t.Run("subscriptions list the uncanceled ones unless status=all", func(t *testing.T) {
		h := h.on(t)
		def := h.walk(key, "/v1/subscriptions", nil, 100)
		all := h.walk(key, "/v1/subscriptions", url.Values{"status": {"all"}}, 100)
		canceled := h.walk(key, "/v1/subscriptions", url.Values{"status": {"canceled"}}, 100)
		for _, s := range def {
			if s["status"] == "canceled" {
				t.Fatalf("default list holds canceled %s", idOf(s))
			}
		}
		if len(canceled) == 0 || len(def)+len(canceled) != len(all) {
			t.Fatalf("default %d + canceled %d != all %d", len(def), len(canceled), len(all))
		}
	})

	t.Run("events filter by type, types[] and wildcard", func(t *testing.T) {
		h := h.on(t)
		all := h.walk(key, "/v1/events", nil, 100)
		byType := map[string]int{}
		for _, e := range all {
			byType[e["type"].(string)]++
			obj := e["data"].(map[string]any)["object"].(map[string]any)
			if !strings.HasPrefix(e["type"].(string), eventObjectPrefix(obj["object"].(string))) {
				t.Fatalf("event %s of type %s carries a %s", idOf(e), e["type"], obj["object"])
			}
		}
		if n := len(h.walk(key, "/v1/events", url.Values{"type": {"charge.succeeded"}}, 100)); n != byType["charge.succeeded"] || n == 0 {
			t.Fatalf("type=charge.succeeded: %d, want %d", n, byType["charge.succeeded"])
		}
		q := url.Values{"types[0]": {"customer.created"}, "types[1]": {"invoice.paid"}}
		if n := len(h.walk(key, "/v1/events", q, 100)); n != byType["customer.created"]+byType["invoice.paid"] {
			t.Fatalf("types[]: %d", n)
		}
		if n := len(h.walk(key, "/v1/events", url.Values{"type": {"charge.*"}}, 100)); n != byType["charge.succeeded"]+byType["charge.failed"]+byType["charge.dispute.created"] {
			t.Fatalf("charge.*: %d", n)
		}
	})
}

// eventObjectPrefix is the event type prefix for an object value.
func eventObjectPrefix(object string) string {
	switch object {
	case "subscription":
		return "customer.subscription."
	case "dispute":
		return "charge.dispute."
	}
	return object + "."
}
