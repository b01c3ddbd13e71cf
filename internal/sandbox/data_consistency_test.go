package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// byID walks every list of an account and indexes the objects by type and id.
func (h *harness) byID(key string) map[string]map[string]map[string]any {
	h.t.Helper()
	out := map[string]map[string]map[string]any{}
	for _, lt := range listTypes {
		out[lt.name] = map[string]map[string]any{}
		for _, o := range h.walk(key, lt.path, lt.params, 100) {
			out[lt.name][idOf(o)] = o
		}
	}
	return out
}

func TestObjectsReferToEachOther(t *testing.T) {
	h := newHarness(t, Options{Seed: 75, Scale: 3000})
	all := h.byID(h.info.Accounts[0].APIKey)
	ref := func(from map[string]any, field, table string) map[string]any {
		t.Helper()
		id, _ := from[field].(string)
		o, ok := all[table][id]
		if !ok {
			t.Fatalf("%s.%s = %q is not among the %s", idOf(from), field, id, table)
		}
		return o
	}
	currencies := map[string]bool{}
	for _, c := range all["charges"] {
		currencies[c["currency"].(string)] = true
		if c["customer"] != nil {
			if cus := ref(c, "customer", "customers"); num(cus["created"]) > num(c["created"]) {
				t.Fatalf("charge %s predates its customer", idOf(c))
			}
		}
		if pi := ref(c, "payment_intent", "payment_intents"); pi["latest_charge"] != idOf(c) || num(pi["amount"]) != num(c["amount"]) {
			t.Fatalf("charge %s and its payment intent disagree", idOf(c))
		}
		if c["status"] == "succeeded" {
			if bt := ref(c, "balance_transaction", "balance_transactions"); bt["source"] != idOf(c) {
				t.Fatalf("balance transaction of %s has source %v", idOf(c), bt["source"])
			}
		} else if c["balance_transaction"] != nil {
			t.Fatalf("failed charge %s has a balance transaction", idOf(c))
		}
		if c["invoice"] != nil {
			// An invoice names its latest charge; an earlier one is a failed attempt.
			inv := ref(c, "invoice", "invoices")
			latest := inv["charge"] == idOf(c) || c["status"] == "failed" && num(inv["attempt_count"]) > 1
			if !latest || num(inv["total"]) != num(c["amount"]) {
				t.Fatalf("charge %s and its invoice disagree", idOf(c))
			}
		}
	}
	if len(currencies) < 2 {
		t.Fatalf("charges in one currency only: %v", currencies)
	}
	for _, inv := range all["invoices"] {
		ref(inv, "customer", "customers")
		if inv["subscription"] != nil {
			if sub := ref(inv, "subscription", "subscriptions"); sub["customer"] != inv["customer"] {
				t.Fatalf("invoice %s and its subscription have different customers", idOf(inv))
			}
		}
		if inv["charge"] != nil {
			if c := ref(inv, "charge", "charges"); c["invoice"] != idOf(inv) {
				t.Fatalf("invoice %s names charge %s, which names %v", idOf(inv), idOf(c), c["invoice"])
			}
		} else if inv["status"] == "paid" && num(inv["total"]) > 0 {
			t.Fatalf("paid invoice %s has no charge", idOf(inv))
		}
		sum := int64(0)
		for _, l := range inv["lines"].(map[string]any)["data"].([]any) {
			line := l.(map[string]any)
			sum += num(line["amount"])
			ref(line["price"].(map[string]any), "id", "prices")
			if line["invoice"] != idOf(inv) {
				t.Fatalf("line %s names invoice %v", idOf(line), line["invoice"])
			}
		}
		if sum != num(inv["subtotal"]) {
			t.Fatalf("invoice %s: lines sum to %d, total %d", idOf(inv), sum, num(inv["total"]))
		}
	}
	for _, sub := range all["subscriptions"] {
		ref(sub, "customer", "customers")
		for _, it := range sub["items"].(map[string]any)["data"].([]any) {
			item := it.(map[string]any)
			ref(item["price"].(map[string]any), "id", "prices")
			ref(item["plan"].(map[string]any), "id", "plans")
		}
	}
	for _, r := range all["refunds"] {
		if c := ref(r, "charge", "charges"); c["status"] != "succeeded" || c["amount_refunded"].(float64) == 0 {
			t.Fatalf("refund %s of a charge that shows no refund", idOf(r))
		}
		ref(r, "balance_transaction", "balance_transactions")
	}
	for _, d := range all["disputes"] {
		if c := ref(d, "charge", "charges"); c["disputed"] != true {
			t.Fatalf("dispute %s of an undisputed charge", idOf(d))
		}
	}
	for _, cn := range all["credit_notes"] {
		if inv := ref(cn, "invoice", "invoices"); inv["customer"] != cn["customer"] {
			t.Fatalf("credit note %s and its invoice have different customers", idOf(cn))
		}
	}
	sources := map[string]string{"ch_": "charges", "re_": "refunds", "dp_": "disputes", "po_": "payouts"}
	for _, bt := range all["balance_transactions"] {
		if bt["type"] == "stripe_fee" {
			if bt["source"] != nil {
				t.Fatalf("Stripe fee %s has a source", idOf(bt))
			}
			continue // Stripe's monthly fees come from no object
		}
		ref(bt, "source", sources[bt["source"].(string)[:3]])
	}
	for _, p := range all["prices"] {
		ref(p, "product", "products")
	}
	objects := map[string]string{"customer": "customers", "charge": "charges", "invoice": "invoices",
		"subscription": "subscriptions", "payment_intent": "payment_intents", "refund": "refunds",
		"dispute": "disputes", "payout": "payouts", "product": "products", "price": "prices",
		"plan": "plans", "coupon": "coupons", "credit_note": "credit_notes"}
	for _, e := range all["events"] {
		obj := e["data"].(map[string]any)["object"].(map[string]any)
		if got := all[objects[obj["object"].(string)]][idOf(obj)]; got == nil || num(got["created"]) != num(e["created"]) {
			t.Fatalf("event %s carries %s, which is not listed with that created", idOf(e), idOf(obj))
		}
	}
}

func TestDeterminism(t *testing.T) {
	fetch := func(seed int64) []byte {
		h := newHarness(t, Options{Seed: seed, Scale: 2000})
		var all bytes.Buffer
		for _, path := range []string{"/v1/charges", "/v1/invoices", "/v1/events", "/v1/subscriptions"} {
			req, _ := http.NewRequest(http.MethodGet, h.base+path+"?limit=20", nil)
			req.Header.Set("Authorization", bearer(h.info.Accounts[0].APIKey))
			resp, err := h.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(&all, resp.Body)
			resp.Body.Close()
		}
		return all.Bytes()
	}
	t.Run("the same seed and clock give the same objects", func(t *testing.T) {
		if a, b := fetch(5), fetch(5); !bytes.Equal(a, b) || len(a) < 1000 {
			t.Fatalf("two sandboxes of seed 5 differ (%d and %d bytes)", len(a), len(b))
		}
	})
	t.Run("another seed gives other objects", func(t *testing.T) {
		if bytes.Equal(fetch(5), fetch(6)) {
			t.Fatal("seeds 5 and 6 gave the same pages")
		}
	})
}

func TestRetrieveAndChildren(t *testing.T) {
	h := newHarness(t, Options{Seed: 76, Scale: 1500})
	key := h.info.Accounts[2].APIKey
	inv := h.page(key, "/v1/invoices", url.Values{"limit": {"1"}}).Data[0]

	t.Run("a listed object can be retrieved by id, unchanged", func(t *testing.T) {
		h := h.on(t)
		for _, lt := range listTypes {
			o := h.page(key, lt.path, url.Values{"limit": {"1"}}).Data[0]
			r := h.get(lt.path+"/"+idOf(o), bearer(key))
			if r.status != http.StatusOK || r.str("id") != idOf(o) || num(r.json["created"]) != num(o["created"]) {
				t.Fatalf("%s/%s: %d %.200s", lt.path, idOf(o), r.status, r.raw)
			}
		}
		if r := h.get("/v1/charges/ch_1Nothing", bearer(key)); r.status != http.StatusNotFound {
			t.Fatalf("unknown charge: %d", r.status)
		}
	})

	t.Run("an invoice's lines list matches its embedded lines, page by page", func(t *testing.T) {
		h := h.on(t)
		embedded := inv["lines"].(map[string]any)["data"].([]any)
		path := "/v1/invoices/" + idOf(inv) + "/lines"
		first := h.page(key, path, url.Values{"limit": {"1"}})
		if len(first.Data) != 1 || idOf(first.Data[0]) != idOf(embedded[0].(map[string]any)) || first.HasMore != (len(embedded) > 1) {
			t.Fatalf("first page %v, embedded %d lines", first, len(embedded))
		}
		if r := h.get("/v1/invoices/in_1Nothing/lines", bearer(key)); r.status != http.StatusNotFound {
			t.Fatalf("unknown invoice: %d", r.status)
		}
	})

	t.Run("subscription items are listed by subscription, which is required", func(t *testing.T) {
		h := h.on(t)
		sub := h.page(key, "/v1/subscriptions", url.Values{"limit": {"1"}, "status": {"all"}}).Data[0]
		p := h.page(key, "/v1/subscription_items", url.Values{"subscription": {idOf(sub)}})
		if len(p.Data) != len(sub["items"].(map[string]any)["data"].([]any)) {
			t.Fatalf("%d items listed", len(p.Data))
		}
		if r := h.get("/v1/subscription_items", bearer(key)); r.status != http.StatusBadRequest || r.apiErr()["param"] != "subscription" {
			t.Fatalf("without subscription: %d %s", r.status, r.raw)
		}
	})

	t.Run("the platform key reads a connected account with Stripe-Account", func(t *testing.T) {
		h := h.on(t)
		req, _ := http.NewRequest(http.MethodGet, h.base+"/v1/invoices?limit=1", nil)
		req.Header.Set("Authorization", bearer(h.info.SecretKey))
		req.Header.Set("Stripe-Account", h.info.Accounts[2].ID)
		if r := h.do(req); r.status != http.StatusOK || idOf(r.json["data"].([]any)[0].(map[string]any)) != idOf(inv) {
			t.Fatalf("%d %.300s", r.status, r.raw)
		}
		req.Header.Set("Authorization", bearer(key))
		req.Header.Set("Stripe-Account", h.info.Accounts[0].ID)
		if r := h.do(req); r.status != http.StatusForbidden {
			t.Fatalf("a restricted key reached another account: %d", r.status)
		}
	})
}
