package sandbox

import (
	"net/http"
	"net/url"
	"testing"
)

func TestAccountByID(t *testing.T) {
	h := newHarness(t, Options{Seed: 43})
	acct, other := h.info.Accounts[0], h.info.Accounts[1]

	t.Run("a key reads its own account by id, the same object as /v1/account", func(t *testing.T) {
		byID := h.get("/v1/accounts/"+acct.ID, bearer(acct.APIKey))
		own := h.get("/v1/account", bearer(acct.APIKey))
		if byID.status != http.StatusOK || byID.raw != own.raw {
			t.Fatalf("%d %s\nwant %s", byID.status, byID.raw, own.raw)
		}
	})
	t.Run("another account's id is Stripe's 404", func(t *testing.T) {
		for _, id := range []string{other.ID, h.sb.Platform().ID, "acct_nope"} {
			r := h.get("/v1/accounts/"+id, bearer(acct.APIKey))
			e := r.apiErr()
			if r.status != http.StatusNotFound || e["code"] != "resource_missing" || e["param"] != "account" ||
				e["message"] != "No such account: '"+id+"'" || e["type"] != "invalid_request_error" {
				t.Fatalf("%s: %d %s", id, r.status, r.raw)
			}
		}
	})
	t.Run("the platform's secret key reads a connected account", func(t *testing.T) {
		r := h.get("/v1/accounts/"+other.ID, bearer(h.info.SecretKey))
		if r.status != http.StatusOK || r.str("id") != other.ID {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})
	t.Run("without credentials it is a 401", func(t *testing.T) {
		if r := h.get("/v1/accounts/"+acct.ID, ""); r.status != http.StatusUnauthorized {
			t.Fatalf("%d %s", r.status, r.raw)
		}
	})
}

func TestStripeVersionHeader(t *testing.T) {
	h := newHarness(t, Options{Seed: 44})
	key := h.info.Accounts[0].APIKey
	get := func(path, version string) reply {
		req, _ := http.NewRequest(http.MethodGet, h.base+path, nil)
		req.Header.Set("Authorization", bearer(key))
		if version != "" {
			req.Header.Set("Stripe-Version", version)
		}
		return h.do(req)
	}
	t.Run("a requested version is echoed back and changes nothing", func(t *testing.T) {
		plain := get("/v1/charges?limit=3", "")
		pinned := get("/v1/charges?limit=3", "2024-06-20")
		if pinned.header.Get("Stripe-Version") != "2024-06-20" || plain.header.Get("Stripe-Version") != apiVersion {
			t.Fatalf("Stripe-Version %q and %q", pinned.header.Get("Stripe-Version"), plain.header.Get("Stripe-Version"))
		}
		if pinned.raw != plain.raw {
			t.Fatal("the version changed the answer")
		}
	})
	t.Run("errors echo it too", func(t *testing.T) {
		r := get("/v1/charges?limit=0", "2024-06-20")
		if r.status != http.StatusBadRequest || r.header.Get("Stripe-Version") != "2024-06-20" {
			t.Fatalf("%d %v", r.status, r.header)
		}
	})
}

func TestTransfersAreAnEmptyList(t *testing.T) {
	h := newHarness(t, Options{Seed: 45})
	key := h.info.Accounts[0].APIKey

	t.Run("lists nothing, whatever the filters", func(t *testing.T) {
		for _, q := range []url.Values{nil, {"limit": {"100"}}, {"created[gte]": {"0"}, "destination": {"acct_x"}},
			{"transfer_group": {"ORDER1"}, "expand[]": {""}}} {
			p := h.page(key, "/v1/transfers", q)
			if len(p.Data) != 0 || p.HasMore {
				t.Fatalf("%v: %+v", q, p)
			}
		}
	})
	t.Run("answers Stripe's 400s and 404s", func(t *testing.T) {
		for path, want := range map[string]struct {
			status int
			param  string
		}{
			"/v1/transfers?limit=0":                   {400, "limit"},
			"/v1/transfers?created[gte]=soon":         {400, "created[gte]"},
			"/v1/transfers?color=red":                 {400, "color"},
			"/v1/transfers?expand[]=data.destination": {400, "expand[]"},
			"/v1/transfers?starting_after=tr_1":       {404, "starting_after"},
			"/v1/transfers/tr_1":                      {404, "id"},
		} {
			r := h.get(path, bearer(key))
			if r.status != want.status || r.apiErr()["param"] != want.param {
				t.Errorf("%s: %d %s", path, r.status, r.raw)
			}
		}
	})
}

func TestListExpansions(t *testing.T) {
	h := newHarness(t, Options{Seed: 46, Scale: 6000})
	key := h.info.Accounts[0].APIKey

	t.Run("charges expand their refunds", func(t *testing.T) {
		seen := 0
		for _, c := range h.walk(key, "/v1/charges", url.Values{"expand[]": {"data.refunds"}}, 100) {
			l := c["refunds"].(map[string]any)
			data := l["data"].([]any)
			if l["object"] != "list" || l["url"] != "/v1/charges/"+idOf(c)+"/refunds" || l["has_more"] != false {
				t.Fatalf("refunds of %s: %v", idOf(c), l)
			}
			var sum int64
			for _, r := range data {
				r := r.(map[string]any)
				if r["charge"] != idOf(c) || r["object"] != "refund" {
					t.Fatalf("refund %v in charge %s", r["id"], idOf(c))
				}
				if _, expanded := r["balance_transaction"].(string); !expanded {
					t.Fatalf("a nested refund's balance transaction is expanded")
				}
				sum += num(r["amount"])
				seen++
			}
			if sum != num(c["amount_refunded"]) {
				t.Fatalf("charge %s: refunded %d, its refunds %d", idOf(c), num(c["amount_refunded"]), sum)
			}
		}
		if seen == 0 {
			t.Fatal("no refund was embedded")
		}
	})
	t.Run("without the expansion, the field is left out", func(t *testing.T) {
		p := h.page(key, "/v1/charges", url.Values{"limit": {"3"}})
		if _, ok := p.Data[0]["refunds"]; ok {
			t.Fatal("refunds without expand")
		}
	})
	t.Run("customers expand their subscriptions, sources and tax ids", func(t *testing.T) {
		subs := map[string]int{}
		for _, s := range h.walk(key, "/v1/subscriptions", nil, 100) {
			subs[s["customer"].(string)]++
		}
		q := url.Values{"expand[]": {"data.subscriptions", "data.sources", "data.tax_ids"}}
		embedded := 0
		for _, c := range h.walk(key, "/v1/customers", q, 100) {
			for _, f := range []string{"sources", "tax_ids"} {
				l := c[f].(map[string]any)
				if l["url"] != "/v1/customers/"+idOf(c)+"/"+f || len(l["data"].([]any)) != 0 {
					t.Fatalf("%s of %s: %v", f, idOf(c), l)
				}
			}
			l := c["subscriptions"].(map[string]any)
			data := l["data"].([]any)
			if want := subs[idOf(c)]; len(data) != min(want, 10) || (l["has_more"] == true) != (want > 10) {
				t.Fatalf("customer %s: %d subscriptions embedded, %d listed", idOf(c), len(data), want)
			}
			for _, s := range data {
				if s.(map[string]any)["customer"] != idOf(c) {
					t.Fatalf("customer %s embeds another's subscription", idOf(c))
				}
			}
			embedded += len(data)
		}
		if embedded == 0 {
			t.Fatal("no subscription was embedded")
		}
	})
	t.Run("plans expand their tiers (none: every plan bills per unit)", func(t *testing.T) {
		p := h.page(key, "/v1/plans", url.Values{"expand[]": {"data.tiers"}})
		for _, pl := range p.Data {
			if tiers, ok := pl["tiers"].([]any); !ok || len(tiers) != 0 || pl["billing_scheme"] != "per_unit" {
				t.Fatalf("plan %s: tiers %v", idOf(pl), pl["tiers"])
			}
		}
		one := h.get("/v1/plans/"+idOf(p.Data[0])+"?expand[]=tiers", bearer(key))
		if _, ok := one.json["tiers"]; !ok {
			t.Fatalf("retrieve with expand[]=tiers: %s", one.raw)
		}
	})
	t.Run("other expansions are still refused", func(t *testing.T) {
		for _, path := range []string{"/v1/charges?expand[]=data.customer", "/v1/customers?expand[]=data.refunds",
			"/v1/plans?expand[]=data.product", "/v1/charges?expand[]=refunds", "/v1/customers/cus_x?expand[]=data.sources"} {
			r := h.get(path, bearer(key))
			if r.status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", path, r.status, r.raw)
			}
		}
	})
}
