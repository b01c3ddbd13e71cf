package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// payoutData adds to reportData's connection A two November payouts:
// po_1 of txn_1 and txn_3 (9680 − 2500 = 7180), reconciled, to a bank
// account ending 6789; po_2 of 5000 whose only link, txn_2, adds up to
// 4242, so it doesn't reconcile.
func payoutData(t *testing.T) (dir, a, b string) {
	dir, a, b = reportData(t)
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	typ, _ := warehouse.TypeByName("payouts")
	var rows []warehouse.Row
	for _, o := range []string{
		`{"id":"po_1","object":"payout","amount":7180,"currency":"usd","status":"paid","automatic":true,"method":"standard","type":"bank_account","created":` +
			unixText("2026-11-12") + `,"arrival_date":` + unixText("2026-11-14") + `,"destination":{"id":"ba_1","object":"bank_account","last4":"6789"}}`,
		`{"id":"po_2","object":"payout","amount":5000,"currency":"usd","status":"paid","automatic":true,"method":"standard","type":"bank_account","created":` +
			unixText("2026-11-15") + `,"arrival_date":` + unixText("2026-11-17") + `,"destination":"ba_1"}`,
	} {
		r, err := warehouse.Prepare(typ, []byte(o), 1, false)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	ctx := context.Background()
	if err := wh.Apply(ctx, a, typ, rows, nil); err != nil {
		t.Fatal(err)
	}
	if err := wh.ApplyPayoutLinks(ctx, a, "po_1", []warehouse.PayoutLink{
		{BalanceTransaction: "txn_3", Type: "refund", Amount: -2500, Net: -2500, Currency: "usd", Source: "re_1"},
		{BalanceTransaction: "txn_1", Type: "charge", Amount: 10000, Fee: 320, Net: 9680, Currency: "usd", Source: "ch_1"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := wh.ApplyPayoutLinks(ctx, a, "po_2", []warehouse.PayoutLink{
		{BalanceTransaction: "txn_2", Type: "charge", Amount: 4400, Fee: 158, Net: 4242, Currency: "usd", Source: "ch_2"},
	}); err != nil {
		t.Fatal(err)
	}
	return dir, a, b
}

func unixText(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return strconv.FormatInt(d.Unix(), 10)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestReportPayoutsCommand(t *testing.T) {
	dir, a, _ := payoutData(t)
	env := Env{Zone: time.UTC}
	report := func(args ...string) (int, string, string) {
		return runCLI(t, env, append([]string{"--data-dir", dir, "report"}, args...)...)
	}
	want := []payoutJSON{
		{ConnectionID: a, ID: "po_2", ArrivalDate: "2026-11-17", Amount: 5000, Currency: "usd", Status: "paid", Automatic: true,
			Method: "standard", Type: "bank_account", LinksSynced: true, Links: 1, LinkedNet: 4242},
		{ConnectionID: a, ID: "po_1", ArrivalDate: "2026-11-14", Amount: 7180, Currency: "usd", Status: "paid", Automatic: true,
			Method: "standard", Type: "bank_account", BankLast4: "6789", LinksSynced: true, Links: 2, LinkedNet: 7180, Reconciled: true},
	}

	t.Run("payouts JSON has the documented keys and the hand-written answers", func(t *testing.T) {
		code, out, errOut := report("payouts", "--connection", a, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &keys); err != nil {
			t.Fatal(err)
		}
		if names := slices.Sorted(func(yield func(string) bool) {
			for k := range keys {
				yield(k)
			}
		}); !slices.Equal(names, []string{"connections", "coverage", "payouts", "period", "time_zone"}) {
			t.Errorf("keys %v", names)
		}
		var got payoutsJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Payouts, want) || got.Period.Name != "this_month" {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	})
	t.Run("payouts CSV is the JSON's rows", func(t *testing.T) {
		code, out, errOut := report("payouts", "--connection", a, "--csv", "--from", "2026-11-01", "--to", "2026-11-30")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(recs[0], payoutsCSVHeader) || len(recs) != 3 {
			t.Fatalf("%v", recs)
		}
		for i, w := range want {
			var fields map[string]any
			_ = json.Unmarshal([]byte(jsonText(w)), &fields)
			for j, col := range payoutsCSVHeader {
				if g, w := recs[i+1][j], strings.Trim(jsonText(fields[col]), `"`); g != w {
					t.Errorf("row %d %s: CSV %q, JSON %q", i+1, col, g, w)
				}
			}
		}
	})
	t.Run("a period without payouts", func(t *testing.T) {
		code, out, _ := report("payouts", "--connection", a, "--json", "--period", "last_month")
		var got payoutsJSON
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Payouts == nil || len(got.Payouts) != 0 {
			t.Errorf("exit %d: %s", code, out)
		}
	})
	t.Run("payout JSON lists its transactions by created and adds them up", func(t *testing.T) {
		code, out, errOut := report("payout", "po_1", "--connection", a, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got payoutDetailJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Payout != want[1] || len(got.Transactions) != 2 || got.Transactions[0].ID != "txn_1" ||
			got.Transactions[1].ID != "txn_3" || got.Transactions[1].ReportingCategory != "refund" ||
			got.Transactions[0].Created == nil || got.Totals.Gross != 7500 || got.Totals.Fee != 320 || got.Totals.Net != 7180 {
			t.Errorf("%s", out)
		}
	})
	t.Run("payout CSV has one row per transaction", func(t *testing.T) {
		code, out, errOut := report("payout", "po_2", "--csv") // A is not the only connection: found in --all's
		if code == 0 {
			t.Errorf("two connections and no --connection: exit 0: %s", out)
		}
		code, out, errOut = report("payout", "--all", "--csv", "po_2")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		wantRecs := [][]string{reports.PayoutCSVHeader,
			{"po_2", "txn_2", "2026-11-10T12:00:00Z", "charge", "charge", "usd", "4400", "158", "4242", "ch_2", "", ""}}
		if !slices.EqualFunc(recs, wantRecs, slices.Equal) {
			t.Errorf("%v\nwant %v", recs, wantRecs)
		}
	})
	t.Run("text marks the payout that doesn't reconcile", func(t *testing.T) {
		code, out, _ := report("payouts", "--connection", a)
		if code != 0 || !strings.Contains(out, "NO: transactions add up to $42.42") || !strings.Contains(out, "••6789") {
			t.Errorf("exit %d:\n%s", code, out)
		}
		code, out, _ = report("payout", "po_2", "--connection", a)
		if code != 0 || !strings.Contains(out, "NOT RECONCILED: its 1 transactions' net adds up to $42.42, not $50.00.") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
	t.Run("an unknown payout is a one-line error", func(t *testing.T) {
		code, out, errOut := report("payout", "po_nope", "--connection", a, "--json")
		if code == 0 || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 ||
			!strings.Contains(errOut, "No payout po_nope in the synced data of connection "+a+".") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		code, _, errOut = report("payout", "po_nope", "--all")
		if code == 0 || !strings.Contains(errOut, "No payout po_nope in the synced data.") {
			t.Errorf("--all: exit %d, stderr %q", code, errOut)
		}
		code, _, errOut = report("payout", "--connection", a)
		if code == 0 || !strings.Contains(errOut, "say which payout") {
			t.Errorf("no id: exit %d, stderr %q", code, errOut)
		}
	})
}
