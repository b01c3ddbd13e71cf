package warehouse

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestPrepareReadsEveryTypedColumn(t *testing.T) {
	nonNull := map[string]bool{} // "type.column" seen with a value in some case
	covered := map[string]bool{}
	for _, c := range typeCases() {
		t.Run(c.name, func(t *testing.T) {
			ty := mustType(t, c.typ)
			covered[c.typ] = true
			r, err := Prepare(ty, pretty(c.o), 1234, false)
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != c.o["id"] {
				t.Errorf("ID = %q, want %q", r.ID, c.o["id"])
			}
			if len(c.want) != len(ty.Columns) {
				t.Errorf("the case expects %d columns; %s has %d", len(c.want), ty.Name, len(ty.Columns))
			}
			for i, col := range ty.Columns {
				want, ok := c.want[col.Name]
				if !ok {
					t.Errorf("the case says nothing of column %s", col.Name)
					continue
				}
				if want != nil {
					nonNull[c.typ+"."+col.Name] = true
				}
				if got := r.Values[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", col.Name, got, want)
				}
			}
		})
	}
	t.Run("the cases give every column of every type a value somewhere", func(t *testing.T) {
		for _, ty := range Types() {
			if !covered[ty.Name] {
				t.Errorf("no case for %s", ty.Name)
			}
			for _, col := range ty.Columns {
				if !nonNull[ty.Name+"."+col.Name] {
					t.Errorf("%s.%s is NULL in every case", ty.Name, col.Name)
				}
			}
		}
	})
}

func TestPrepareCommonFields(t *testing.T) {
	charges := mustType(t, "charges")
	t.Run("reads created and livemode and keeps the version", func(t *testing.T) {
		r := mustPrepare(t, charges, obj{"id": "ch_1", "object": "charge", "created": 1_700_000_000, "livemode": true}, 77, false)
		if r.Created != 1_700_000_000 || !r.Livemode.Valid || !r.Livemode.Bool || r.Version != 77 || r.Deleted {
			t.Errorf("row = %+v", r)
		}
	})
	t.Run("leaves livemode unknown when the object has none", func(t *testing.T) {
		r := mustPrepare(t, mustType(t, "refunds"), obj{"id": "re_1", "object": "refund", "created": 1}, 1, false)
		if r.Livemode.Valid {
			t.Errorf("Livemode = %+v, want unknown", r.Livemode)
		}
	})
	t.Run("gives invoice lines no created time", func(t *testing.T) {
		r := mustPrepare(t, mustType(t, "invoice_line_items"), obj{"id": "il_1", "object": "line_item", "created": 5}, 1, false)
		if r.Created != 0 {
			t.Errorf("Created = %d, want 0 (NULL)", r.Created)
		}
	})
	t.Run("marks a row deleted when asked", func(t *testing.T) {
		r := mustPrepare(t, charges, obj{"id": "ch_1", "object": "charge", "amount": 5}, 1, true)
		if !r.Deleted || r.stub {
			t.Errorf("Deleted = %v, stub = %v; want a deleted full object", r.Deleted, r.stub)
		}
	})
	t.Run("reads Stripe's deletion answer as a deleted stub", func(t *testing.T) {
		r := mustPrepare(t, mustType(t, "customers"), obj{"id": "cus_1", "object": "customer", "deleted": true}, 1, false)
		if !r.Deleted || !r.stub {
			t.Errorf("Deleted = %v, stub = %v; want both", r.Deleted, r.stub)
		}
		if r.Data != `{"deleted":true,"id":"cus_1","object":"customer"}` {
			t.Errorf("Data = %s", r.Data)
		}
	})
}

func TestPrepareCompactsWithoutNulls(t *testing.T) {
	charges := mustType(t, "charges")
	ids := newFakeIDs(3)
	for i := range 20 {
		o := chargeFixture(ids, i)
		raw := pretty(o)
		r, err := Prepare(charges, raw, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(r.Data)); err != nil {
			t.Fatalf("data is not valid JSON: %v", err)
		}
		if compact.String() != r.Data {
			t.Fatalf("data is not compact:\n%s", r.Data)
		}
		var got, want any
		json.Unmarshal([]byte(r.Data), &got)
		json.Unmarshal(raw, &want)
		if !reflect.DeepEqual(got, withoutNulls(want)) {
			t.Fatalf("data is not the object without its nulls:\n got %v\nwant %v", got, withoutNulls(want))
		}
		if strings.Contains(r.Data, ":null") {
			t.Fatalf("data keeps a null member: %s", r.Data)
		}
		if len(r.Data) > len(raw)*2/3 {
			t.Errorf("data is %d bytes of the %d Stripe sent; want a third saved at least", len(r.Data), len(raw))
		}
	}
	t.Run("keeps nulls inside arrays and escapes strings as JSON requires", func(t *testing.T) {
		raw := []byte(`{"id":"ch_\u0031","object":"charge","description":"a \"quote\", a \\ and a\ttab\u0001 ünï 😀 \u2028",` +
			`"list":[1,null,{"x":null,"y":-1.5e3}],"empty":{},"nested":{"a":null}}`)
		r, err := Prepare(charges, raw, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.Unmarshal([]byte(r.Data), &got); err != nil {
			t.Fatalf("data is not valid JSON: %v\n%s", err, r.Data)
		}
		json.Unmarshal(raw, &want)
		if !reflect.DeepEqual(got, withoutNulls(want)) {
			t.Errorf("data = %s", r.Data)
		}
		if r.ID != "ch_1" || r.Values[charges.columnIndex("description")] != "a \"quote\", a \\ and a\ttab\x01 ünï 😀 \u2028" {
			t.Errorf("ID %q, description %q", r.ID, r.Values[charges.columnIndex("description")])
		}
	})
}

// withoutNulls drops null object members, as Prepare does.
func withoutNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			if e != nil {
				out[k] = withoutNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = withoutNulls(e)
		}
		return out
	}
	return v
}

func TestPrepareRefusesWhatIsNotAnObject(t *testing.T) {
	charges := mustType(t, "charges")
	secret := "pi_1_secret_DONOTSHOW"
	for _, c := range []struct {
		name, raw, says string
	}{
		{"cut-off JSON", `{"id":"ch_1","object":"charge","client_secret":"` + secret, "not valid JSON"},
		{"bytes that are not JSON", `<html>` + secret, "not valid JSON"},
		{"an empty page entry", ``, "not valid JSON"},
		{"an array", `["` + secret + `"]`, "not an object"},
		{"an object without id", `{"object":"charge","amount":1,"client_secret":"` + secret + `"}`, "has no id"},
		{"an empty id", `{"id":"","object":"charge"}`, "has no id"},
		{"a number for id", `{"id":12,"object":"charge"}`, "has no id"},
		{"another type's object", `{"id":"re_1","object":"refund"}`, "re_1 is a refund, not a charge"},
		{"a number JSON does not allow", `{"id":"ch_1","object":"charge","amount":NaN}`, "not a JSON number"},
		{"livemode that is not a boolean", `{"id":"ch_1","object":"charge","livemode":"yes"}`, "livemode"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			_, err := Prepare(charges, []byte(c.raw), 1, false)
			if !errors.Is(err, ErrBadObject) {
				t.Fatalf("err = %v, want ErrBadObject", err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("err = %q, want it to say %q", err, c.says)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("err quotes the object: %q", err)
			}
		})
	}
	t.Run("refuses an invoice whose embedded line has no id, naming the line", func(t *testing.T) {
		inv := invoiceFixture(newFakeIDs(1), 2)
		delete(inv["lines"].(obj)["data"].([]any)[1].(obj), "id")
		_, err := Prepare(mustType(t, "invoices"), pretty(inv), 1, false)
		if !errors.Is(err, ErrBadObject) || !strings.Contains(err.Error(), "lines item 2") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestPrepareYieldsEmbeddedChildren(t *testing.T) {
	invoices := mustType(t, "invoices")
	lines := mustType(t, "invoice_line_items")
	t.Run("an invoice's lines, with the invoice's id, version and mode", func(t *testing.T) {
		inv := invoiceFixture(newFakeIDs(1), 3)
		inv["livemode"] = true
		for _, l := range inv["lines"].(obj)["data"].([]any) {
			delete(l.(obj), "livemode")
			delete(l.(obj), "invoice") // API versions before 2024 leave it out
		}
		r := mustPrepare(t, invoices, inv, 99, false)
		if len(r.Children) != 3 || !r.ChildrenComplete {
			t.Fatalf("%d children, complete %v; want 3, true", len(r.Children), r.ChildrenComplete)
		}
		for i, c := range r.Children {
			want := inv["lines"].(obj)["data"].([]any)[i].(obj)["id"]
			if c.ID != want || c.ParentID != inv["id"] || c.Version != 99 || !c.Livemode.Bool || c.Deleted {
				t.Errorf("child %d = %+v", i, c)
			}
			if got := c.Values[lines.columnIndex("quantity")]; got != int64(i+1) {
				t.Errorf("child %d quantity = %v", i, got)
			}
		}
	})
	t.Run("a list with more to fetch is incomplete", func(t *testing.T) {
		sub := subscriptionFixture(newFakeIDs(1), 10)
		sub["items"].(obj)["has_more"] = true
		r := mustPrepare(t, mustType(t, "subscriptions"), sub, 1, false)
		if len(r.Children) != 10 || r.ChildrenComplete {
			t.Errorf("%d children, complete %v; want 10, false", len(r.Children), r.ChildrenComplete)
		}
	})
	t.Run("no embedded list says nothing about the children", func(t *testing.T) {
		inv := invoiceFixture(newFakeIDs(1), 1)
		delete(inv, "lines")
		r := mustPrepare(t, invoices, inv, 1, false)
		if r.Children != nil || r.ChildrenComplete {
			t.Errorf("children %v, complete %v; want none, false", r.Children, r.ChildrenComplete)
		}
	})
	t.Run("the children of a deleted parent are deleted", func(t *testing.T) {
		r := mustPrepare(t, invoices, invoiceFixture(newFakeIDs(1), 2), 1, true)
		for _, c := range r.Children {
			if !c.Deleted {
				t.Errorf("child %s not deleted", c.ID)
			}
		}
	})
}
