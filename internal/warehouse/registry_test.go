package warehouse

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	t.Run("holds the 17 types of the sync contract", func(t *testing.T) {
		want := strings.Fields(`customers charges coupons invoices plans subscriptions events refunds payment_intents
			balance_transactions payouts disputes products prices invoice_line_items credit_notes subscription_items`)
		var got []string
		for _, ty := range Types() {
			got = append(got, ty.Name)
			if ty.Table != "stripe_"+ty.Name {
				t.Errorf("%s: table %q", ty.Name, ty.Table)
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("types %v\nwant %v", got, want)
		}
	})
	t.Run("finds types by name, object and event", func(t *testing.T) {
		for _, c := range []struct{ lookup, want string }{
			{"name charges", "charges"}, {"object line_item", "invoice_line_items"},
			{"object subscription_item", "subscription_items"}, {"event charge.succeeded", "charges"},
			{"event charge.dispute.created", "disputes"}, {"event charge.refund.updated", "refunds"},
			{"event refund.created", "refunds"}, {"event customer.subscription.deleted", "subscriptions"},
			{"event customer.deleted", "customers"}, {"event invoice.payment_succeeded", "invoices"},
			{"event invoiceitem.created", ""}, {"event balance.available", ""}, {"name widgets", ""},
			{"object card", ""},
		} {
			how, key, _ := strings.Cut(c.lookup, " ")
			var ty Type
			var ok bool
			switch how {
			case "name":
				ty, ok = TypeByName(key)
			case "object":
				ty, ok = TypeByObject(key)
			case "event":
				ty, ok = TypeForEvent(key)
			}
			if ty.Name != c.want || ok != (c.want != "") {
				t.Errorf("%s → %q, %v; want %q", c.lookup, ty.Name, ok, c.want)
			}
		}
	})
	t.Run("links parents and children", func(t *testing.T) {
		for parent, child := range map[string]string{"invoices": "invoice_line_items", "subscriptions": "subscription_items"} {
			p, c := mustType(t, parent), mustType(t, child)
			if p.Child != child || c.Parent != parent || c.ParentColumn == "" || c.columnIndex(c.ParentColumn) < 0 {
				t.Errorf("%s ↔ %s: Child %q, Parent %q, ParentColumn %q", parent, child, p.Child, c.Parent, c.ParentColumn)
			}
		}
	})
	t.Run("builds the list request of a child", func(t *testing.T) {
		path, params := mustType(t, "invoice_line_items").ListFor("in_1")
		if path != "/v1/invoices/in_1/lines" || len(params) != 0 {
			t.Errorf("%s %v", path, params)
		}
		path, params = mustType(t, "subscription_items").ListFor("sub_1")
		if path != "/v1/subscription_items" || params.Get("subscription") != "sub_1" {
			t.Errorf("%s %v", path, params)
		}
		path, params = mustType(t, "subscriptions").ListFor("")
		if path != "/v1/subscriptions" || params.Get("status") != "all" {
			t.Errorf("%s %v", path, params)
		}
	})
	t.Run("hands out copies nobody else sees changed", func(t *testing.T) {
		ty := mustType(t, "subscriptions")
		ty.ListParams.Set("status", "active")
		ty.Columns[0].Name = "changed"
		ty.Columns[1].From[0] = "changed"
		ty.EventPrefixes[0] = "changed."
		ty.child.Columns[0].Name = "changed"
		again := mustType(t, "subscriptions")
		if again.ListParams.Get("status") != "all" || again.Columns[0].Name == "changed" ||
			again.Columns[1].From[0] == "changed" || again.EventPrefixes[0] == "changed." ||
			again.child.Columns[0].Name == "changed" {
			t.Error("a change to one Type leaked into the registry")
		}
	})
	t.Run("names columns once per table, apart from the common ones", func(t *testing.T) {
		for _, ty := range Types() {
			seen := map[string]bool{}
			for _, c := range Common() {
				seen[c.Name] = true
			}
			for _, c := range ty.Columns {
				if seen[c.Name] {
					t.Errorf("%s.%s twice", ty.Name, c.Name)
				}
				seen[c.Name] = true
				if c.Doc == "" {
					t.Errorf("%s.%s has no doc", ty.Name, c.Name)
				}
			}
		}
	})
}

// TestMigrationMatchesRegistry checks the tables migration 0002 made
// against the registry, column by column, and their foreign key.
func TestMigrationMatchesRegistry(t *testing.T) {
	e := newEnv(t)
	for _, ty := range Types() {
		t.Run(ty.Table, func(t *testing.T) {
			rows, err := e.db.Reader().Query(`SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, ty.Table)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var name, typ string
				var pk int
				rows.Scan(&name, &typ, &pk)
				got = append(got, fmt.Sprintf("%s %s %d", name, typ, pk))
			}
			rows.Close()
			want := []string{"connection_id TEXT 1", "id TEXT 2", "created INTEGER 0", "livemode INTEGER 0",
				"is_deleted INTEGER 0", "synced_at TEXT 0", "version INTEGER 0"}
			for _, c := range ty.Columns {
				want = append(want, fmt.Sprintf("%s %s 0", c.Name, c.Kind.SQLType()))
			}
			want = append(want, "data TEXT 0")
			if !reflect.DeepEqual(got, want) {
				t.Errorf("columns\n got %v\nwant %v", got, want)
			}
			var table, onDelete string
			err = e.db.Reader().QueryRow(`SELECT "table", on_delete FROM pragma_foreign_key_list(?) WHERE "from" = 'connection_id'`, ty.Table).
				Scan(&table, &onDelete)
			if err != nil || table != "connections" || onDelete != "CASCADE" {
				t.Errorf("foreign key: %s %s %v", table, onDelete, err)
			}
		})
	}
}
