package cli

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// TestReportPayoutCSVCells: a payout whose charge's description and
// customer begin like spreadsheet formulas. The CSV puts a ' before them
// (a refund's -2500 stays a number); --raw-cells leaves them as they are.
func TestReportPayoutCSVCells(t *testing.T) {
	dir, _, b := payoutData(t)
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	put := func(typeName, obj string) {
		typ, _ := warehouse.TypeByName(typeName)
		r, err := warehouse.Prepare(typ, []byte(obj), 1, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Apply(ctx, b, typ, []warehouse.Row{r}, nil); err != nil {
			t.Fatal(err)
		}
	}
	put("charges", `{"id":"ch_evil","amount":1000,"currency":"usd","status":"succeeded","created":`+unixText("2026-11-10")+
		`,"customer":"@cus_evil","description":"=HYPERLINK(\"http://x.example\",\"Order\")","payment_method_details":{"type":"card"}}`)
	put("payouts", `{"id":"po_evil","object":"payout","amount":-1500,"currency":"usd","status":"paid","automatic":true,"method":"standard","type":"bank_account","created":`+
		unixText("2026-11-12")+`,"arrival_date":`+unixText("2026-11-14")+`}`)
	if err := wh.ApplyPayoutLinks(ctx, b, "po_evil", []warehouse.PayoutLink{
		{BalanceTransaction: "txn_evil", Type: "charge", Amount: 1000, Fee: 0, Net: 1000, Currency: "usd", Source: "ch_evil"},
		{BalanceTransaction: "txn_back", Type: "adjustment", Amount: -2500, Fee: 0, Net: -2500, Currency: "usd", Source: "+46 refund"},
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	read := func(args ...string) [][]string {
		t.Helper()
		code, out, errOut := runCLI(t, Env{Zone: time.UTC}, append([]string{"--data-dir", dir, "report", "payout", "po_evil", "--connection", b, "--csv"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	// Sorted by created: txn_back and txn_evil have no stored balance
	// transaction (created 0), so by id.
	safe := read()
	want := [][]string{
		{"po_evil", "txn_back", "", "adjustment", "", "usd", "-2500", "0", "-2500", "'+46 refund", "", ""},
		{"po_evil", "txn_evil", "", "charge", "", "usd", "1000", "0", "1000", "ch_evil", "'@cus_evil", `'=HYPERLINK("http://x.example","Order")`},
	}
	if !slices.EqualFunc(safe[1:], want, slices.Equal) {
		t.Errorf("CSV rows:\n%q\nwant\n%q", safe[1:], want)
	}
	raw := read("--raw-cells")
	want[0][9], want[1][10], want[1][11] = "+46 refund", "@cus_evil", `=HYPERLINK("http://x.example","Order")`
	if !slices.EqualFunc(raw[1:], want, slices.Equal) {
		t.Errorf("--raw-cells rows:\n%q\nwant\n%q", raw[1:], want)
	}
}
