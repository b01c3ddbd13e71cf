package warehouse

import (
	"slices"
	"testing"
)

// btFixture is the balance transaction of a charge, as Stripe renders it.
func btFixture(id, source string, created int64) obj {
	return obj{
		"id": id, "object": "balance_transaction", "amount": 9120, "available_on": created + 172_800,
		"created": created, "currency": "usd", "description": nil, "exchange_rate": nil,
		"fee": 294, "fee_details": []any{obj{"amount": 294, "application": nil, "currency": "usd",
			"description": "Stripe processing fees", "type": "stripe_fee"}},
		"net": 8826, "reporting_category": "charge", "source": source, "status": "available", "type": "charge",
	}
}

func TestPrepareTakesOutExpandedObjects(t *testing.T) {
	charges, bts := mustType(t, "charges"), mustType(t, "balance_transactions")
	ids := newFakeIDs(3)
	plain := chargeFixture(ids, 1)
	btID := plain["balance_transaction"].(string)
	expanded := obj{}
	for k, v := range plain {
		expanded[k] = v
	}
	expanded["balance_transaction"] = btFixture(btID, plain["id"].(string), plain["created"].(int64))

	want := mustPrepare(t, charges, plain, 42, false)
	got := mustPrepare(t, charges, expanded, 42, false)

	t.Run("the charge's row is what it is without expansion", func(t *testing.T) {
		if got.Data != want.Data {
			t.Errorf("data differs:\n got %s\nwant %s", got.Data, want.Data)
		}
		if !slices.Equal(got.Values, want.Values) {
			t.Errorf("columns differ: %v, want %v", got.Values, want.Values)
		}
		if len(want.Expanded) != 0 {
			t.Errorf("a charge with the id only brought %d expanded rows", len(want.Expanded))
		}
	})
	t.Run("the balance transaction comes as its own row, as Prepare makes it", func(t *testing.T) {
		if len(got.Expanded) != 1 {
			t.Fatalf("got %d expanded rows, want 1", len(got.Expanded))
		}
		own := mustPrepare(t, bts, btFixture(btID, plain["id"].(string), plain["created"].(int64)), 42, false)
		x := got.Expanded[0]
		if x.ID != btID || x.Data != own.Data || !slices.Equal(x.Values, own.Values) || x.Version != 42 {
			t.Errorf("expanded row %+v, want %+v", x, own)
		}
		if !x.Livemode.Valid || x.Livemode.Bool {
			t.Errorf("the expanded row's livemode is %v; want the charge's (false)", x.Livemode)
		}
	})
	t.Run("Apply writes both, each to its own table, under its own version", func(t *testing.T) {
		e := newEnv(t)
		newer := mustPrepare(t, bts, btFixture(btID, "ch_x", 1), 50, false)
		e.apply(t, bts, newer)
		e.apply(t, charges, got)
		s, ok := e.get(t, charges, got.ID, "balance_transaction")
		if !ok || s.col.String != btID || s.data != want.Data {
			t.Errorf("charge row %+v", s)
		}
		b, ok := e.get(t, bts, btID, "source")
		if !ok || b.version != 50 || b.col.String != "ch_x" {
			t.Errorf("an older expanded object overwrote a newer row: %+v", b)
		}
		got.Expanded[0].Version = 60
		e.apply(t, charges, got)
		if b, _ := e.get(t, bts, btID, "source"); b.version != 60 || b.col.String != got.ID {
			t.Errorf("a newer expanded object did not replace the row: %+v", b)
		}
	})
	t.Run("a bad expanded object makes the charge unreadable", func(t *testing.T) {
		expanded["balance_transaction"] = obj{"object": "balance_transaction", "amount": 1}
		if _, err := Prepare(charges, pretty(expanded), 1, false); err == nil {
			t.Error("an expanded object without an id was accepted")
		}
		expanded["balance_transaction"] = obj{"id": "ch_1", "object": "charge"}
		if _, err := Prepare(charges, pretty(expanded), 1, false); err == nil {
			t.Error("an expanded object of another type was accepted")
		}
	})
}

func TestExpansionsCoverDisjointFilterValues(t *testing.T) {
	seen := map[string]string{}
	for _, ty := range Types() {
		x := ty.Expands
		if x == nil {
			continue
		}
		inner, ok := TypeByName(x.Type)
		if !ok || inner.FilterParam == "" {
			t.Fatalf("%s expands %q, which is no type with a filter", ty.Name, x.Type)
		}
		if k, v := x.ListExpand(); k != "expand[]" || v != "data."+x.Field {
			t.Errorf("%s: expands with %s=%s", ty.Name, k, v)
		}
		for _, c := range x.Covers {
			if !slices.Contains(inner.FilterValues, c) {
				t.Errorf("%s covers %q, which is not a %s %s", ty.Name, c, inner.Object, inner.FilterParam)
			}
			if other, dup := seen[c]; dup {
				t.Errorf("%q is covered by both %s and %s", c, other, ty.Name)
			}
			seen[c] = ty.Name
		}
	}
	if len(seen) != 5 {
		t.Errorf("expansions cover %v; want charge, payment, refund, payment_refund and payout", seen)
	}
}
