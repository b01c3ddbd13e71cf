package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestApplyWritesRows(t *testing.T) {
	e := newEnv(t)
	charges := mustType(t, "charges")
	ids := newFakeIDs(5)
	o := chargeFixture(ids, 1)
	e.apply(t, charges, mustPrepare(t, charges, o, 1_700_000_000_123, false))

	t.Run("stores the common and typed columns", func(t *testing.T) {
		var created, version int64
		var livemode, deleted bool
		var syncedAt, status, customer string
		var amount int64
		var invoice sql.NullString
		err := e.db.Reader().QueryRow(`SELECT created, livemode, is_deleted, synced_at, version, status, customer, amount, invoice
			FROM stripe_charges WHERE connection_id = ? AND id = ?`, e.connID, o["id"]).
			Scan(&created, &livemode, &deleted, &syncedAt, &version, &status, &customer, &amount, &invoice)
		if err != nil {
			t.Fatal(err)
		}
		if created != o["created"] || livemode || deleted || version != 1_700_000_000_123 {
			t.Errorf("created %d livemode %v deleted %v version %d", created, livemode, deleted, version)
		}
		if syncedAt != "2026-11-26T15:04:05.678Z" {
			t.Errorf("synced_at = %q", syncedAt)
		}
		if status != "succeeded" || customer != o["customer"] || amount != o["amount"] || invoice.Valid {
			t.Errorf("status %q customer %q amount %d invoice %v", status, customer, amount, invoice)
		}
	})
	t.Run("keeps data queryable with SQLite's JSON functions", func(t *testing.T) {
		var valid bool
		var last4, city string
		var phone sql.NullString
		var orderID string
		err := e.db.Reader().QueryRow(`SELECT json_valid(data), json_extract(data, '$.payment_method_details.card.last4'),
			json_extract(data, '$.billing_details.address.city'), json_extract(data, '$.billing_details.phone'),
			json_extract(data, '$.metadata.order_id')
			FROM stripe_charges WHERE id = ?`, o["id"]).Scan(&valid, &last4, &city, &phone, &orderID)
		if err != nil {
			t.Fatal(err)
		}
		if !valid || last4 != "4242" || city != "San Francisco" || phone.Valid || orderID != "10001" {
			t.Errorf("json_valid %v, last4 %q, city %q, phone %v, order %q", valid, last4, city, phone, orderID)
		}
		var typ string
		if err := e.db.Reader().QueryRow(`SELECT typeof(data) FROM stripe_charges WHERE id = ?`, o["id"]).Scan(&typ); err != nil || typ != "text" {
			t.Errorf("data is stored as %q (%v), want text", typ, err)
		}
	})
	t.Run("takes livemode from the connection when the object has none", func(t *testing.T) {
		refunds := mustType(t, "refunds")
		e.apply(t, refunds, mustPrepare(t, refunds, obj{"id": "re_1", "object": "refund", "amount": 1}, 1, false))
		var livemode sql.NullBool
		e.db.Reader().QueryRow(`SELECT livemode FROM stripe_refunds WHERE id = 're_1'`).Scan(&livemode)
		if !livemode.Valid || livemode.Bool {
			t.Errorf("livemode = %+v, want the test-mode connection's false", livemode)
		}
	})
	t.Run("writes an empty page (and runs extra)", func(t *testing.T) {
		ran := false
		err := e.w.Apply(context.Background(), e.connID, charges, nil, func(*sql.Tx) error { ran = true; return nil })
		if err != nil || !ran {
			t.Errorf("err %v, extra ran %v", err, ran)
		}
	})
}

func TestApplyNewerVersionWins(t *testing.T) {
	customers := mustType(t, "customers")
	old := mustPrepare(t, customers, obj{"id": "cus_1", "object": "customer", "email": "old@example.com"}, 1000, false)
	newer := mustPrepare(t, customers, obj{"id": "cus_1", "object": "customer", "email": "new@example.com"}, 2000, false)
	for _, order := range []struct {
		name  string
		pages [][]Row
	}{
		{"older then newer", [][]Row{{old}, {newer}}},
		{"newer then older", [][]Row{{newer}, {old}}},
		{"both in one page, newer first", [][]Row{{newer, old}}},
	} {
		t.Run(order.name+": the newer state stays", func(t *testing.T) {
			e := newEnv(t)
			for _, page := range order.pages {
				e.apply(t, customers, page...)
			}
			s, _ := e.get(t, customers, "cus_1", "email")
			if s.col.String != "new@example.com" || s.version != 2000 || !strings.Contains(s.data, "new@example.com") {
				t.Errorf("email %q, version %d, data %s", s.col.String, s.version, s.data)
			}
		})
	}
	t.Run("an equal version overwrites (a page written twice)", func(t *testing.T) {
		e := newEnv(t)
		same := mustPrepare(t, customers, obj{"id": "cus_1", "object": "customer", "email": "again@example.com"}, 2000, false)
		e.apply(t, customers, newer)
		e.apply(t, customers, same)
		if s, _ := e.get(t, customers, "cus_1", "email"); s.col.String != "again@example.com" {
			t.Errorf("email %q", s.col.String)
		}
	})
}

func TestApplyDeletes(t *testing.T) {
	customers := mustType(t, "customers")
	live := mustPrepare(t, customers, obj{"id": "cus_1", "object": "customer", "email": "a@example.com", "created": 5}, 1000, false)
	stub := func(id string, version int64) Row {
		return mustPrepare(t, customers, obj{"id": id, "object": "customer", "deleted": true}, version, false)
	}
	t.Run("a deletion stub flags the row and keeps what it held", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, customers, live)
		e.apply(t, customers, stub("cus_1", 2000))
		s, _ := e.get(t, customers, "cus_1", "email")
		if !s.deleted || s.version != 2000 || s.col.String != "a@example.com" || !strings.Contains(s.data, "a@example.com") {
			t.Errorf("deleted %v version %d email %q data %s", s.deleted, s.version, s.col.String, s.data)
		}
	})
	t.Run("a deleted object (from a customer.deleted event) replaces the row, flagged", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, customers, live)
		e.apply(t, customers, mustPrepare(t, customers, obj{"id": "cus_1", "object": "customer", "email": "last@example.com"}, 2000, true))
		s, _ := e.get(t, customers, "cus_1", "email")
		if !s.deleted || s.col.String != "last@example.com" {
			t.Errorf("deleted %v email %q", s.deleted, s.col.String)
		}
	})
	t.Run("a deletion of an id never seen leaves a tombstone", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, customers, stub("cus_gone", 2000))
		var created sql.NullInt64
		var livemode, deleted bool
		err := e.db.Reader().QueryRow(`SELECT created, livemode, is_deleted FROM stripe_customers WHERE id = 'cus_gone'`).
			Scan(&created, &livemode, &deleted)
		if err != nil || created.Valid || livemode || !deleted {
			t.Errorf("err %v created %v livemode %v deleted %v", err, created, livemode, deleted)
		}
		if c := e.counts(t)["customers"]; c != (Count{Live: 0, Deleted: 1}) {
			t.Errorf("counts %+v", c)
		}
	})
	t.Run("an older deletion does not delete a newer row", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, customers, live)
		e.apply(t, customers, stub("cus_1", 500))
		if s, _ := e.get(t, customers, "cus_1", "email"); s.deleted || s.version != 1000 {
			t.Errorf("deleted %v version %d", s.deleted, s.version)
		}
	})
	t.Run("an older live state does not undelete", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, customers, stub("cus_1", 2000))
		e.apply(t, customers, live)
		if s, _ := e.get(t, customers, "cus_1", "email"); !s.deleted || s.col.Valid {
			t.Errorf("deleted %v email %v", s.deleted, s.col)
		}
	})
}

func TestApplyReplacesChildrenWithTheirParent(t *testing.T) {
	invoices := mustType(t, "invoices")
	lines := mustType(t, "invoice_line_items")
	ids := newFakeIDs(9)
	inv := invoiceFixture(ids, 3)
	invID := inv["id"].(string)
	lineIDs := []string{}
	for _, l := range inv["lines"].(obj)["data"].([]any) {
		lineIDs = append(lineIDs, l.(obj)["id"].(string))
	}
	// withLines returns the invoice holding only the given lines of inv
	// plus extra ones.
	withLines := func(hasMore bool, keep []int, extra ...obj) obj {
		o := invoiceFixture(newFakeIDs(9), 3) // the same ids again
		data := []any{}
		for _, i := range keep {
			data = append(data, o["lines"].(obj)["data"].([]any)[i])
		}
		for _, x := range extra {
			data = append(data, x)
		}
		o["lines"] = obj{"object": "list", "data": data, "has_more": hasMore}
		return o
	}
	state := func(e *env) map[string]bool { // line id → deleted
		rows, err := e.db.Reader().Query(`SELECT id, is_deleted FROM stripe_invoice_line_items WHERE connection_id = ? AND invoice = ?`, e.connID, invID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]bool{}
		for rows.Next() {
			var id string
			var d bool
			rows.Scan(&id, &d)
			m[id] = d
		}
		return m
	}
	newLine := lineFixture(newFakeIDs(77), invID, "sub_x", 4)

	t.Run("an invoice brings its lines", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, invoices, mustPrepare(t, invoices, inv, 1000, false))
		got := state(e)
		if len(got) != 3 || got[lineIDs[0]] || got[lineIDs[1]] || got[lineIDs[2]] {
			t.Errorf("lines %v", got)
		}
		var invoiceCol string
		e.db.Reader().QueryRow(`SELECT invoice FROM stripe_invoice_line_items WHERE id = ?`, lineIDs[0]).Scan(&invoiceCol)
		if invoiceCol != invID {
			t.Errorf("invoice column %q, want %q", invoiceCol, invID)
		}
	})
	t.Run("a newer invoice without a line marks that line deleted and adds new ones", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, invoices, mustPrepare(t, invoices, inv, 1000, false))
		e.apply(t, invoices, mustPrepare(t, invoices, withLines(false, []int{0, 2}, newLine), 2000, false))
		got := state(e)
		want := map[string]bool{lineIDs[0]: false, lineIDs[1]: true, lineIDs[2]: false, newLine["id"].(string): false}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("lines %v, want %v", got, want)
		}
		if c := e.counts(t)["invoice_line_items"]; c != (Count{Live: 3, Deleted: 1}) {
			t.Errorf("counts %+v", c)
		}
	})
	t.Run("an incomplete list (has_more) deletes nothing", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, invoices, mustPrepare(t, invoices, inv, 1000, false))
		e.apply(t, invoices, mustPrepare(t, invoices, withLines(true, []int{0}), 2000, false))
		if got := state(e); got[lineIDs[1]] || got[lineIDs[2]] {
			t.Errorf("lines %v", got)
		}
	})
	t.Run("an older invoice touches no line", func(t *testing.T) {
		e := newEnv(t)
		e.apply(t, invoices, mustPrepare(t, invoices, inv, 2000, false))
		e.apply(t, invoices, mustPrepare(t, invoices, withLines(false, []int{0}, newLine), 1000, false))
		got := state(e)
		if len(got) != 3 || got[lineIDs[1]] || got[lineIDs[2]] {
			t.Errorf("lines %v", got)
		}
	})
	t.Run("a deleted invoice deletes its lines", func(t *testing.T) {
		for _, how := range []struct {
			name string
			row  func() Row
		}{
			{"as a stub", func() Row {
				return mustPrepare(t, invoices, obj{"id": invID, "object": "invoice", "deleted": true}, 2000, false)
			}},
			{"as an invoice.deleted event's object", func() Row { return mustPrepare(t, invoices, inv, 2000, true) }},
		} {
			t.Run(how.name, func(t *testing.T) {
				e := newEnv(t)
				e.apply(t, invoices, mustPrepare(t, invoices, inv, 1000, false))
				e.apply(t, invoices, how.row())
				for id, deleted := range state(e) {
					if !deleted {
						t.Errorf("line %s not deleted", id)
					}
				}
				c := e.counts(t)
				if c["invoices"] != (Count{0, 1}) || c["invoice_line_items"] != (Count{0, 3}) {
					t.Errorf("counts %+v %+v", c["invoices"], c["invoice_line_items"])
				}
			})
		}
	})
	t.Run("lines fetched on their own keep their invoice id", func(t *testing.T) {
		e := newEnv(t)
		l := lineFixture(newFakeIDs(5), "in_other", "sub_y", 1)
		delete(l, "invoice")
		r := mustPrepare(t, lines, l, 1, false)
		r.ParentID = "in_other"
		e.apply(t, lines, r)
		if s, ok := e.get(t, lines, l["id"].(string), "invoice"); !ok || s.col.String != "in_other" {
			t.Errorf("invoice %q", s.col.String)
		}
	})
	t.Run("subscriptions replace their items the same way", func(t *testing.T) {
		e := newEnv(t)
		subs := mustType(t, "subscriptions")
		sub := subscriptionFixture(newFakeIDs(3), 2)
		e.apply(t, subs, mustPrepare(t, subs, sub, 1000, false))
		sub["items"].(obj)["data"] = sub["items"].(obj)["data"].([]any)[:1]
		e.apply(t, subs, mustPrepare(t, subs, sub, 2000, false))
		if c := e.counts(t)["subscription_items"]; c != (Count{Live: 1, Deleted: 1}) {
			t.Errorf("counts %+v", c)
		}
	})
}

func TestApplyIsOneTransaction(t *testing.T) {
	charges := mustType(t, "charges")
	ids := newFakeIDs(2)
	page := func(n int) []Row {
		rows := make([]Row, n)
		for i := range rows {
			rows[i] = mustPrepare(t, charges, chargeFixture(ids, i), 1, false)
		}
		return rows
	}
	t.Run("extra sees the page and commits with it", func(t *testing.T) {
		e := newEnv(t)
		var seen int
		err := e.w.Apply(context.Background(), e.connID, charges, page(100), func(tx *sql.Tx) error {
			if err := tx.QueryRow(`SELECT count(*) FROM stripe_charges`).Scan(&seen); err != nil {
				return err
			}
			_, err := tx.Exec(`UPDATE connections SET name = 'cursor saved' WHERE id = ?`, e.connID)
			return err
		})
		if err != nil || seen != 100 {
			t.Fatalf("err %v, extra saw %d rows", err, seen)
		}
		c, _ := e.db.GetConnection(context.Background(), e.connID)
		if c.Name != "cursor saved" || e.counts(t)["charges"].Live != 100 {
			t.Errorf("name %q counts %+v", c.Name, e.counts(t)["charges"])
		}
	})
	t.Run("a failing extra rolls the whole page back", func(t *testing.T) {
		e := newEnv(t)
		boom := errors.New("cursor not saved")
		err := e.w.Apply(context.Background(), e.connID, charges, page(100), func(tx *sql.Tx) error {
			tx.Exec(`UPDATE connections SET name = 'half' WHERE id = ?`, e.connID)
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the extra's error", err)
		}
		c, _ := e.db.GetConnection(context.Background(), e.connID)
		if n := e.counts(t)["charges"]; n != (Count{}) || c.Name == "half" {
			t.Errorf("counts %+v, name %q: the page was half written", n, c.Name)
		}
	})
	t.Run("a bad row in the middle writes nothing", func(t *testing.T) {
		e := newEnv(t)
		rows := page(10)
		rows[5].Values = rows[5].Values[:3]
		err := e.w.Apply(context.Background(), e.connID, charges, rows, nil)
		if err == nil || !strings.Contains(err.Error(), "column values") {
			t.Fatalf("err = %v", err)
		}
		if n := e.counts(t)["charges"]; n != (Count{}) {
			t.Errorf("counts %+v", n)
		}
	})
	t.Run("an unknown connection is not found", func(t *testing.T) {
		e := newEnv(t)
		err := e.w.Apply(context.Background(), "conn_nobody", charges, page(1), nil)
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an unknown type is refused", func(t *testing.T) {
		e := newEnv(t)
		err := e.w.Apply(context.Background(), e.connID, Type{Name: "widgets"}, nil, nil)
		if err == nil || !strings.Contains(err.Error(), `"widgets"`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCountsAndConnections(t *testing.T) {
	e := newEnv(t)
	other := e.addConnection(t, 2)
	charges, customers := mustType(t, "charges"), mustType(t, "customers")
	ids := newFakeIDs(4)
	var rows []Row
	for i := range 30 {
		rows = append(rows, mustPrepare(t, charges, chargeFixture(ids, i), 1, i%10 == 0))
	}
	e.apply(t, charges, rows...)
	e.apply(t, customers, mustPrepare(t, customers, obj{"id": "cus_1", "object": "customer"}, 1, false))
	if err := e.w.Apply(context.Background(), other, charges, rows[:7], nil); err != nil {
		t.Fatal(err)
	}

	t.Run("counts live and deleted rows per type, all 17 present", func(t *testing.T) {
		c := e.counts(t)
		if len(c) != 17 {
			t.Errorf("%d types counted", len(c))
		}
		if c["charges"] != (Count{Live: 27, Deleted: 3}) || c["customers"] != (Count{Live: 1}) || c["events"] != (Count{}) {
			t.Errorf("counts %+v", c)
		}
	})
	t.Run("counts each connection on its own", func(t *testing.T) {
		c, err := e.w.Counts(context.Background(), other)
		if err != nil || c["charges"] != (Count{Live: 6, Deleted: 1}) || c["customers"] != (Count{}) {
			t.Errorf("counts %+v, %v", c, err)
		}
	})
	t.Run("deleting a connection deletes its rows and only its rows", func(t *testing.T) {
		if err := e.db.DeleteConnection(context.Background(), other); err != nil {
			t.Fatal(err)
		}
		var n int
		e.db.Reader().QueryRow(`SELECT count(*) FROM stripe_charges WHERE connection_id = ?`, other).Scan(&n)
		if n != 0 {
			t.Errorf("%d charges of the deleted connection remain", n)
		}
		if c := e.counts(t)["charges"]; c != (Count{Live: 27, Deleted: 3}) {
			t.Errorf("the other connection's counts changed: %+v", c)
		}
	})
}

func TestApplyConcurrently(t *testing.T) {
	e := newEnv(t)
	charges := mustType(t, "charges")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := newFakeIDs(uint64(100 + g))
			for range 5 {
				rows := make([]Row, 20)
				for i := range rows {
					r, err := Prepare(charges, pretty(chargeFixture(ids, i)), 1, false)
					if err != nil {
						t.Error(err)
						return
					}
					rows[i] = r
				}
				if err := e.w.Apply(context.Background(), e.connID, charges, rows, nil); err != nil {
					t.Error(err)
				}
				if _, err := e.w.Counts(context.Background(), e.connID); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if c := e.counts(t)["charges"]; c.Live != 400 {
		t.Errorf("counts %+v, want 400 live", c)
	}
}
