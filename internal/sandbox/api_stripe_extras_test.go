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
