package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func TestExpandBalanceTransactions(t *testing.T) {
	h := newHarness(t, Options{Seed: 29, Scale: 2000})
	key := h.info.Accounts[0].APIKey
	expand := url.Values{"expand[]": {"data.balance_transaction"}}

	for _, path := range []string{"/v1/charges", "/v1/refunds", "/v1/payouts"} {
		t.Run(path+" brings each balance transaction, as retrieving it shows, and nothing else changes", func(t *testing.T) {
			h := h.on(t)
			plain := h.walk(key, path, nil, 100)
			expanded := h.walk(key, path, expand, 100)
			if len(plain) != len(expanded) || len(plain) == 0 {
				t.Fatalf("%d objects plain, %d expanded", len(plain), len(expanded))
			}
			objects := 0
			for i, o := range expanded {
				bt, isObj := o["balance_transaction"].(map[string]any)
				want := plain[i]["balance_transaction"]
				if !isObj {
					if o["balance_transaction"] != nil || want != nil {
						t.Fatalf("%s: balance_transaction %v not expanded", o["id"], o["balance_transaction"])
					}
					continue
				}
				objects++
				if bt["id"] != want || bt["object"] != "balance_transaction" || bt["source"] != o["id"] {
					t.Fatalf("%s: expanded %v, id %v", o["id"], bt["id"], want)
				}
				r := h.get("/v1/balance_transactions/"+bt["id"].(string), bearer(key))
				var own map[string]any
				if err := json.Unmarshal([]byte(r.raw), &own); err != nil || !reflect.DeepEqual(own, bt) {
					t.Fatalf("%s: expanded %v, retrieved %s", bt["id"], bt, r.raw)
				}
				o["balance_transaction"] = bt["id"]
				if !reflect.DeepEqual(o, plain[i]) {
					t.Fatalf("%s differs beyond its balance transaction:\n%v\n%v", o["id"], o, plain[i])
				}
			}
			if objects == 0 {
				t.Fatal("no balance transaction came expanded")
			}
		})
	}

	t.Run("retrieve expands balance_transaction too", func(t *testing.T) {
		h := h.on(t)
		id := idOf(h.page(key, "/v1/payouts", url.Values{"limit": {"1"}}).Data[0])
		r := h.get("/v1/payouts/"+id+"?expand[]=balance_transaction", bearer(key))
		var po map[string]any
		if err := json.Unmarshal([]byte(r.raw), &po); err != nil || r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		if bt, ok := po["balance_transaction"].(map[string]any); !ok || bt["source"] != id {
			t.Fatalf("not expanded: %v", po["balance_transaction"])
		}
	})

	t.Run("other expansions answer Stripe's 400", func(t *testing.T) {
		h := h.on(t)
		for _, path := range []string{
			"/v1/charges?expand[]=data.customer", "/v1/customers?expand[]=data.balance_transaction",
			"/v1/charges?expand[]=balance_transaction", "/v1/balance_transactions?expand[]=data.source",
			"/v1/charges/" + idOf(h.page(key, "/v1/charges", url.Values{"limit": {"1"}}).Data[0]) + "?expand[]=customer",
		} {
			r := h.get(path, bearer(key))
			if e := r.apiErr(); r.status != http.StatusBadRequest || e["type"] != "invalid_request_error" || e["param"] == "" {
				t.Errorf("%s: %d %s", path, r.status, r.raw)
			}
		}
	})

	t.Run("the type filter splits the balance transactions into disjoint parts", func(t *testing.T) {
		h := h.on(t)
		all := h.walk(key, "/v1/balance_transactions", nil, 100)
		seen := map[string]bool{}
		for _, typ := range balanceTransactionTypes {
			for _, o := range h.walk(key, "/v1/balance_transactions", url.Values{"type": {typ}}, 100) {
				if o["type"] != typ || seen[idOf(o)] {
					t.Fatalf("type=%s listed %s of type %v (seen before: %v)", typ, idOf(o), o["type"], seen[idOf(o)])
				}
				seen[idOf(o)] = true
			}
		}
		if len(seen) != len(all) {
			t.Fatalf("the types together list %d, the whole list %d", len(seen), len(all))
		}
		r := h.get("/v1/balance_transactions?type=gift", bearer(key))
		if r.status != http.StatusBadRequest || r.apiErr()["param"] != "type" {
			t.Errorf("an unknown type: %d %s", r.status, r.raw)
		}
	})
}
