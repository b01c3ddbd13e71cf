package sandbox

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// mutate posts to /_sandbox/mutate and returns the changes.
func (h *harness) mutate(account, typ, action string, count int, id string) []map[string]any {
	h.t.Helper()
	form := url.Values{"account": {account}, "type": {typ}, "action": {action}, "count": {itoa(count)}}
	if id != "" {
		form.Set("id", id)
	}
	r := h.post("/_sandbox/mutate", "", form)
	if r.status != http.StatusOK {
		h.t.Fatalf("mutate %s %s: %d %s", action, typ, r.status, r.raw)
	}
	var out []map[string]any
	for _, c := range r.json["changes"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

// eventsSince lists the events newer than the event id (all when empty).
func (h *harness) eventsSince(key, id string) []map[string]any {
	h.t.Helper()
	all := h.walk(key, "/v1/events", nil, 100)
	if id == "" {
		return all
	}
	for k, e := range all {
		if idOf(e) == id {
			return all[:k]
		}
	}
	h.t.Fatalf("event %s is not listed", id)
	return nil
}

func TestMutations(t *testing.T) {
	h := newHarness(t, Options{Seed: 91, Scale: 1200})
	acct := h.info.Accounts[0]
	key := acct.APIKey
	h.clock.Advance(time.Hour)

	t.Run("create adds customers that lists, truth and events show", func(t *testing.T) {
		h := h.on(t)
		before := h.truth(acct.ID)
		changes := h.mutate(acct.ID, "customers", "create", 3, "")
		after := h.truth(acct.ID)
		if len(changes) != 3 || after["customers"].Live != before["customers"].Live+3 || after["events"].Live != before["events"].Live+3 {
			t.Fatalf("changes %v, customers %v → %v, events %v → %v", changes, before["customers"], after["customers"], before["events"], after["events"])
		}
		newest := h.page(key, "/v1/customers", url.Values{"limit": {"3"}}).Data
		for k, c := range newest {
			if idOf(c) != changes[2-k]["id"] || num(c["created"]) != h.clock.Now().Unix() {
				t.Fatalf("newest customers %v, created %v", idOf(c), c["created"])
			}
		}
		events := h.page(key, "/v1/events", url.Values{"limit": {"3"}, "type": {"customer.created"}}).Data
		for k, e := range events {
			obj := e["data"].(map[string]any)["object"].(map[string]any)
			if idOf(e) != changes[2-k]["event"] || idOf(obj) != changes[2-k]["id"] {
				t.Fatalf("event %s carries %s", idOf(e), idOf(obj))
			}
		}
	})

	t.Run("update makes a new revision, announced with previous_attributes", func(t *testing.T) {
		h := h.on(t)
		target := h.page(key, "/v1/customers", url.Values{"limit": {"1"}, "starting_after": {idOf(h.page(key, "/v1/customers", nil).Data[5])}}).Data[0]
		c := h.mutate(acct.ID, "customers", "update", 1, idOf(target))[0]
		got := h.get("/v1/customers/"+idOf(target), bearer(key))
		if c["action"] != "updated" || got.str("email") == target["email"] ||
			got.json["metadata"].(map[string]any)["revision"] != "1" {
			t.Fatalf("after update: %s", got.raw)
		}
		e := h.get("/v1/events/"+c["event"].(string), bearer(key))
		data := e.json["data"].(map[string]any)
		prev := data["previous_attributes"].(map[string]any)
		if e.str("type") != "customer.updated" || prev["email"] != target["email"] ||
			len(prev["metadata"].(map[string]any)) != 0 || data["object"].(map[string]any)["email"] != got.str("email") {
			t.Fatalf("update event: %s", e.raw)
		}
		if n := len(h.walk(key, "/v1/customers", nil, 100)); n != h.truth(acct.ID)["customers"].Live {
			t.Fatalf("an update changed the count: %d", n)
		}
	})

	t.Run("delete removes a customer from lists and counts it as deleted", func(t *testing.T) {
		h := h.on(t)
		before := h.truth(acct.ID)
		victim := h.page(key, "/v1/customers", url.Values{"limit": {"20"}}).Data[10]
		c := h.mutate(acct.ID, "customers", "delete", 1, idOf(victim))[0]
		after := h.truth(acct.ID)
		if after["customers"].Live != before["customers"].Live-1 || after["customers"].Deleted != before["customers"].Deleted+1 {
			t.Fatalf("customers %v → %v", before["customers"], after["customers"])
		}
		if slices.Contains(idsOf(t, "customers", h.walk(key, "/v1/customers", nil, 100)), idOf(victim)) {
			t.Fatal("the deleted customer is still listed")
		}
		if r := h.get("/v1/customers/"+idOf(victim), bearer(key)); r.json["deleted"] != true {
			t.Fatalf("retrieve: %s", r.raw)
		}
		e := h.get("/v1/events/"+c["event"].(string), bearer(key))
		if e.str("type") != "customer.deleted" || idOf(e.json["data"].(map[string]any)["object"].(map[string]any)) != idOf(victim) {
			t.Fatalf("delete event: %s", e.raw)
		}
		p := h.page(key, "/v1/customers", url.Values{"starting_after": {idOf(victim)}, "limit": {"1"}})
		if len(p.Data) != 1 || idOf(p.Data[0]) == idOf(victim) {
			t.Fatalf("a walk cannot continue from the deleted customer: %v", p.Data)
		}
		if r := h.post("/_sandbox/mutate", "", url.Values{"account": {acct.ID}, "type": {"customers"}, "action": {"delete"}, "id": {idOf(victim)}}); r.status != http.StatusNotFound {
			t.Fatalf("deleting twice: %d", r.status)
		}
	})

	t.Run("deleting invoices and subscriptions deletes their lines and items", func(t *testing.T) {
		h := h.on(t)
		before := h.truth(acct.ID)
		inv := h.page(key, "/v1/invoices", url.Values{"limit": {"1"}}).Data[0]
		sub := h.page(key, "/v1/subscriptions", url.Values{"limit": {"1"}, "status": {"all"}}).Data[0]
		h.mutate(acct.ID, "invoices", "delete", 1, idOf(inv))
		h.mutate(acct.ID, "subscriptions", "delete", 1, idOf(sub))
		after := h.truth(acct.ID)
		lines := len(inv["lines"].(map[string]any)["data"].([]any))
		items := len(sub["items"].(map[string]any)["data"].([]any))
		if after["invoice_line_items"].Deleted != before["invoice_line_items"].Deleted+lines ||
			after["invoice_line_items"].Live != before["invoice_line_items"].Live-lines ||
			after["subscription_items"].Deleted != before["subscription_items"].Deleted+items {
			t.Fatalf("lines %v → %v (%d), items %v → %v (%d)", before["invoice_line_items"], after["invoice_line_items"], lines,
				before["subscription_items"], after["subscription_items"], items)
		}
		if r := h.get("/v1/invoices/"+idOf(inv)+"/lines", bearer(key)); r.status != http.StatusNotFound {
			t.Fatalf("lines of a deleted invoice: %d", r.status)
		}
	})

	t.Run("a new charge comes with its payment intent and balance transaction", func(t *testing.T) {
		h := h.on(t)
		before := h.truth(acct.ID)
		changes := h.mutate(acct.ID, "charges", "create", 1, "")
		after := h.truth(acct.ID)
		for _, typ := range []string{"charges", "payment_intents", "balance_transactions"} {
			if after[typ].Live != before[typ].Live+1 {
				t.Errorf("%s: %v → %v", typ, before[typ], after[typ])
			}
		}
		if len(changes) != 2 || changes[0]["event_type"] != "payment_intent.succeeded" || changes[1]["event_type"] != "charge.succeeded" {
			t.Fatalf("changes %v", changes)
		}
		bt := h.page(key, "/v1/balance_transactions", url.Values{"limit": {"1"}}).Data[0]
		if bt["source"] != changes[1]["id"] {
			t.Fatalf("newest balance transaction has source %v", bt["source"])
		}
	})

	t.Run("a new plan is a recurring price, seen in both lists", func(t *testing.T) {
		h := h.on(t)
		changes := h.mutate(acct.ID, "plans", "create", 1, "")
		if len(changes) != 2 || changes[0]["id"] != changes[1]["id"] || changes[1]["event_type"] != "plan.created" {
			t.Fatalf("changes %v", changes)
		}
		for _, path := range []string{"/v1/plans", "/v1/prices"} {
			if got := idOf(h.page(key, path, url.Values{"limit": {"1"}}).Data[0]); got != changes[0]["id"] {
				t.Fatalf("%s starts with %s", path, got)
			}
		}
	})

	t.Run("what Stripe cannot do is refused with a reason", func(t *testing.T) {
		h := h.on(t)
		for _, c := range []struct {
			form   url.Values
			status int
		}{
			{url.Values{"type": {"charges"}, "action": {"delete"}}, 400},
			{url.Values{"type": {"events"}, "action": {"create"}}, 400},
			{url.Values{"type": {"payment_intents"}, "action": {"update"}}, 400},
			{url.Values{"type": {"invoice_line_items"}, "action": {"update"}}, 400},
			{url.Values{"type": {"widgets"}, "action": {"create"}}, 400},
			{url.Values{"type": {"customers"}, "action": {"paint"}}, 400},
			{url.Values{"type": {"customers"}, "action": {"create"}, "count": {"0"}}, 400},
			{url.Values{"type": {"customers"}, "action": {"update"}, "id": {"cus_1nope"}}, 404},
		} {
			c.form.Set("account", acct.ID)
			if r := h.post("/_sandbox/mutate", "", c.form); r.status != c.status || r.apiErr()["message"] == "" {
				t.Errorf("%v: %d %s", c.form, r.status, r.raw)
			}
		}
		if r := h.post("/_sandbox/mutate", "", url.Values{"account": {"acct_nope"}, "type": {"customers"}, "action": {"create"}}); r.status != http.StatusNotFound {
			t.Errorf("unknown account: %d", r.status)
		}
	})
}

func TestTruthStaysExactUnderMutations(t *testing.T) {
	h := newHarness(t, Options{Seed: 92, Scale: 900})
	acct := h.info.Accounts[1]
	plan := []struct {
		typ     string
		actions []string
	}{
		{"customers", []string{"create", "update", "delete"}}, {"charges", []string{"create", "update"}},
		{"coupons", []string{"create", "update", "delete"}}, {"invoices", []string{"create", "update", "delete"}},
		{"plans", []string{"create", "update", "delete"}}, {"subscriptions", []string{"create", "update", "delete"}},
		{"refunds", []string{"create", "update"}}, {"payment_intents", []string{"create"}},
		{"payouts", []string{"create", "update"}}, {"disputes", []string{"create", "update"}},
		{"products", []string{"create", "update", "delete"}}, {"prices", []string{"create", "update", "delete"}},
		{"credit_notes", []string{"create", "update"}},
	}
	events := 0
	for round := 0; round < 2; round++ {
		h.clock.Advance(time.Minute)
		for _, p := range plan {
			for _, a := range p.actions {
				events += len(h.mutate(acct.ID, p.typ, a, 2, ""))
			}
		}
	}
	truth := h.truth(acct.ID)
	for _, lt := range listTypes {
		if n := len(idsOf(t, lt.name, h.walk(acct.APIKey, lt.path, lt.params, 100))); n != truth[lt.name].Live {
			t.Errorf("%s: listed %d, truth %v", lt.name, n, truth[lt.name])
		}
	}
	if got := len(h.eventsSince(acct.APIKey, "")); got != truth["events"].Live || events < 100 {
		t.Errorf("events: %d listed, truth %v, %d made by mutations", got, truth["events"], events)
	}
}

func TestChurn(t *testing.T) {
	sb, err := New(Options{Seed: 93, Scale: 500, Churn: 200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	acct := sb.Info().Accounts[0].ID
	start, _ := sb.Truth(acct)

	t.Run("churn makes changes with events in the background", func(t *testing.T) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			now, _ := sb.Truth(acct)
			if now["events"].Live >= start["events"].Live+20 && now["charges"].Live > start["charges"].Live {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s: events %v → %v, charges %v → %v", start["events"], now["events"], start["charges"], now["charges"])
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("lists, events and truth can be read while churn runs", func(t *testing.T) {
		srv := httptest.NewServer(sb.Handler())
		defer srv.Close()
		h := &harness{t: t, sb: sb, base: srv.URL, info: sb.Info(), client: srv.Client()}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // truth from another goroutine, beside the walks and the churn
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					_, _ = sb.Truth(acct)
				}
			}
		}()
		for range 3 {
			for _, path := range []string{"/v1/customers", "/v1/events", "/v1/invoices", "/v1/balance_transactions"} {
				idsOf(t, path, h.walk(h.info.Accounts[0].APIKey, path, nil, 100))
			}
		}
		close(stop)
		wg.Wait()
	})

	t.Run("Close stops the churn", func(t *testing.T) {
		_ = sb.Close()
		stopped, _ := sb.Truth(acct)
		time.Sleep(100 * time.Millisecond)
		if later, _ := sb.Truth(acct); later["events"] != stopped["events"] {
			t.Fatalf("events went on after Close: %v → %v", stopped["events"], later["events"])
		}
	})
}

func TestNewObjectsReferToLiveObjects(t *testing.T) {
	h := newHarness(t, Options{Seed: 94, Scale: 600})
	acct := h.info.Accounts[0]
	customersOf := func(path string, n int, params url.Values) map[string]string {
		q := cloneValues(params)
		q.Set("limit", itoa(n))
		out := map[string]string{}
		for _, o := range h.page(acct.APIKey, path, q).Data {
			c, _ := o["customer"].(string)
			out[idOf(o)] = c
		}
		return out
	}
	h.mutate(acct.ID, "charges", "create", 30, "")
	before := customersOf("/v1/charges", 30, nil)
	deleted := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(before)) {
		if c := before[id]; c != "" && !deleted[c] && len(deleted) < 5 {
			h.mutate(acct.ID, "customers", "delete", 1, c)
			deleted[c] = true
		}
	}
	t.Run("a new object keeps the customer it was made with", func(t *testing.T) {
		for id, c := range customersOf("/v1/charges", 30, nil) {
			if before[id] != c {
				t.Fatalf("charge %s changed customer from %s to %s", id, before[id], c)
			}
		}
	})
	t.Run("objects made after a deletion never name the deleted customer", func(t *testing.T) {
		h.mutate(acct.ID, "charges", "create", 40, "")
		h.mutate(acct.ID, "subscriptions", "create", 20, "")
		h.mutate(acct.ID, "invoices", "create", 20, "")
		for path, n := range map[string]int{"/v1/charges": 40, "/v1/subscriptions": 20, "/v1/invoices": 20} {
			for id, c := range customersOf(path, n, url.Values{}) {
				if deleted[c] {
					t.Fatalf("%s %s names deleted customer %s", path, id, c)
				}
			}
		}
	})
}
