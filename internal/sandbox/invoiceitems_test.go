package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

func TestInvoiceItems(t *testing.T) {
	h := newHarness(t, Options{Seed: 47, Scale: 4000})
	key := h.info.Accounts[0].APIKey
	items := h.walk(key, "/v1/invoiceitems", nil, 100)
	byID := map[string]map[string]any{}
	for _, it := range items {
		byID[idOf(it)] = it
	}

	t.Run("each line of a one-off invoice and each proration line is an invoice item with the same money, and nothing else is", func(t *testing.T) {
		if len(items) < 50 {
			t.Fatalf("only %d invoice items", len(items))
		}
		onLines := 0
		for _, inv := range h.walk(key, "/v1/invoices", nil, 100) {
			var sum int64
			lines := inv["lines"].(map[string]any)["data"].([]any)
			for _, l := range lines {
				l := l.(map[string]any)
				id, _ := l["invoice_item"].(string)
				if inv["subscription"] != nil && l["proration"] != true {
					if id != "" || l["type"] != "subscription" {
						t.Fatalf("subscription invoice %s has an invoice item line that is no proration", idOf(inv))
					}
					continue
				}
				it := byID[id]
				if it == nil || l["type"] != "invoiceitem" {
					t.Fatalf("line %s of %s names invoice item %q, which is not listed", idOf(l), idOf(inv), id)
				}
				price := l["price"].(map[string]any)
				if num(it["amount"]) != num(l["amount"]) || num(it["quantity"]) != num(l["quantity"]) ||
					it["price"].(map[string]any)["id"] != price["id"] || it["invoice"] != idOf(inv) ||
					it["customer"] != inv["customer"] || it["currency"] != inv["currency"] ||
					num(it["unit_amount"])*num(it["quantity"]) != num(it["amount"]) ||
					num(it["period"].(map[string]any)["start"]) != num(l["period"].(map[string]any)["start"]) {
					t.Fatalf("invoice item %s differs from its line %s", id, idOf(l))
				}
				sum += num(it["amount"])
				onLines++
			}
			if inv["subscription"] == nil && sum != num(inv["total"]) {
				t.Fatalf("one-off invoice %s: total %d, its items %d", idOf(inv), num(inv["total"]), sum)
			}
		}
		if onLines != len(items) {
			t.Fatalf("%d invoice items listed, %d on invoices' lines", len(items), onLines)
		}
	})
	t.Run("filters and pages", func(t *testing.T) {
		all := idsOf(t, "all", items)
		if got := idsOf(t, "limit 3", h.walk(key, "/v1/invoiceitems", nil, 3)); !slices.Equal(got, all) {
			t.Fatalf("limit 3: %d items, want %d", len(got), len(all))
		}
		back := h.walkBack(key, "/v1/invoiceitems", nil, all[len(all)-1], 7)
		if got := idsOf(t, "back", back); !slices.Equal(got, all[:len(all)-1]) {
			t.Fatalf("walking back: %d items, want %d", len(got), len(all)-1)
		}
		it := items[len(items)/2]
		for param, field := range map[string]string{"customer": "customer", "invoice": "invoice"} {
			want := 0
			for _, o := range items {
				if o[field] == it[field] {
					want++
				}
			}
			got := h.walk(key, "/v1/invoiceitems", url.Values{param: {it[field].(string)}}, 100)
			if len(got) != want {
				t.Fatalf("%s=%s: %d items, want %d", param, it[field], len(got), want)
			}
		}
		if p := h.page(key, "/v1/invoiceitems", url.Values{"pending": {"true"}}); len(p.Data) != 0 {
			t.Fatal("an invoiced item is pending")
		}
		if got := h.walk(key, "/v1/invoiceitems", url.Values{"pending": {"false"}}, 100); len(got) != len(items) {
			t.Fatalf("pending=false: %d", len(got))
		}
		created := num(it["date"])
		for _, o := range h.walk(key, "/v1/invoiceitems", url.Values{"created[gte]": {itoa(int(created))}}, 100) {
			if num(o["date"]) < created {
				t.Fatalf("created[gte]=%d listed %s of %d", created, idOf(o), num(o["date"]))
			}
		}
	})
	t.Run("retrieve, 404s and 400s", func(t *testing.T) {
		id := idOf(items[0])
		if r := h.get("/v1/invoiceitems/"+id, bearer(key)); r.status != http.StatusOK || r.str("id") != id {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		for path, want := range map[string]struct {
			status int
			param  string
		}{
			"/v1/invoiceitems/ii_1nothere":                                   {404, "id"},
			"/v1/invoiceitems?starting_after=ii_1nothere":                    {404, "starting_after"},
			"/v1/invoiceitems?pending=maybe":                                 {400, "pending"},
			"/v1/invoiceitems?customer_account=acct_x":                       {400, "customer_account"},
			"/v1/invoiceitems?expand[]=data.invoice":                         {400, "expand[]"},
			"/v1/invoiceitems?limit=101":                                     {400, "limit"},
			"/v1/invoiceitems?starting_after=" + id + "&ending_before=" + id: {400, "ending_before"},
		} {
			r := h.get(path, bearer(key))
			if r.status != want.status || r.apiErr()["param"] != want.param {
				t.Errorf("%s: %d %s", path, r.status, r.raw)
			}
		}
	})
	t.Run("an invoice deleted by mutation takes its items along", func(t *testing.T) {
		inv := byID[idOf(items[0])]["invoice"].(string)
		r := h.post("/_sandbox/mutate", "", url.Values{"account": {h.info.Accounts[0].ID}, "type": {"invoices"},
			"action": {"delete"}, "id": {inv}})
		if r.status != http.StatusOK {
			t.Fatalf("mutate: %d %s", r.status, r.raw)
		}
		if p := h.page(key, "/v1/invoiceitems", url.Values{"invoice": {inv}}); len(p.Data) != 0 {
			t.Fatalf("deleted invoice %s still has %d items", inv, len(p.Data))
		}
	})
}
