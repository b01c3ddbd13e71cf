package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// reportData writes two connections with a few payments in November 2026
// (testNow's month) and October into a fresh data dir.
func reportData(t *testing.T) (dir, a, b string) {
	t.Helper()
	dir = t.TempDir()
	ca, cb := sampleConnection(0), sampleConnection(1)
	seed(t, dir, ca, cb)
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	put := func(conn, typeName string, objs ...string) {
		typ, _ := warehouse.TypeByName(typeName)
		var rows []warehouse.Row
		for _, o := range objs {
			r, err := warehouse.Prepare(typ, []byte(o), 1, false)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		if err := wh.Apply(context.Background(), conn, typ, rows, nil); err != nil {
			t.Fatal(err)
		}
	}
	nov, oct := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC).Unix(), time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC).Unix()
	ch := `{"id":"%s","amount":%d,"currency":"%s","status":"succeeded","created":%d,"payment_method_details":{"type":"card"}}`
	bt := `{"id":"%s","amount":%d,"fee":%d,"net":%d,"currency":"usd","type":"%s","reporting_category":"%s","created":%d}`
	put(ca.ID, "charges", fmt.Sprintf(ch, "ch_1", 10000, "usd", nov), fmt.Sprintf(ch, "ch_2", 4000, "eur", nov),
		fmt.Sprintf(ch, "ch_3", 8000, "usd", oct))
	put(ca.ID, "refunds", `{"id":"re_1","amount":2500,"currency":"usd","status":"succeeded","created":`+strconv.FormatInt(nov+60, 10)+`}`)
	put(ca.ID, "disputes", `{"id":"dp_1","amount":10000,"currency":"usd","status":"lost","created":`+strconv.FormatInt(nov+120, 10)+`}`)
	put(ca.ID, "customers", `{"id":"cus_1","created":`+strconv.FormatInt(nov, 10)+`}`)
	put(ca.ID, "balance_transactions", fmt.Sprintf(bt, "txn_1", 10000, 320, 9680, "charge", "charge", nov),
		fmt.Sprintf(bt, "txn_2", 4400, 158, 4242, "charge", "charge", nov),
		fmt.Sprintf(bt, "txn_3", -2500, 0, -2500, "refund", "refund", nov+60),
		fmt.Sprintf(bt, "txn_4", -10000, 1500, -11500, "adjustment", "dispute", nov+120),
		fmt.Sprintf(bt, "txn_5", 8000, 262, 7738, "charge", "charge", oct))
	put(cb.ID, "charges", fmt.Sprintf(ch, "ch_b", 3000, "gbp", nov))
	return dir, ca.ID, cb.ID
}

func TestReportOverviewCommand(t *testing.T) {
	dir, a, b := reportData(t)
	env := Env{Zone: time.UTC}
	report := func(args ...string) (int, string, string) {
		return runCLI(t, env, append([]string{"--data-dir", dir, "report", "overview"}, args...)...)
	}

	t.Run("JSON has the documented keys and the figures the reports package computes", func(t *testing.T) {
		code, out, errOut := report("--connection", a, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &keys); err != nil {
			t.Fatal(err)
		}
		var names []string
		for k := range keys {
			names = append(names, k)
		}
		slices.Sort(names)
		if want := []string{"connections", "coverage", "currencies", "disputes", "new_customers", "payments", "period", "previous_period", "settlement", "time_zone"}; !slices.Equal(names, want) {
			t.Errorf("keys %v, want %v", names, want)
		}
		var got overviewJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		want := overviewFor(t, dir, env, []string{a}, reports.PeriodThisMonth)
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Errorf("round trip differs:\n%s\nwant\n%s", g, w)
		}
		usd := got.Currencies[1]
		if got.Period.Name != "this_month" || got.Period.From.Format(time.RFC3339) != "2026-11-01T00:00:00Z" || got.Period.Complete ||
			usd.Currency != "usd" || usd.Gross.Value != 10000 || usd.Gross.Previous != 8000 || *usd.Gross.ChangePct != 0.25 ||
			got.Settlement[0].Net.Value != 10000+4400-2500-10000-320-158-1500 || got.Disputes.Level != "excessive" {
			t.Errorf("%s", out)
		}
	})
	t.Run("CSV has a row per currency and figure, equal to the JSON", func(t *testing.T) {
		code, out, errOut := report("--connection", a, "--csv", "--from", "2026-11-01", "--to", "2026-11-30")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(recs[0], overviewCSVHeader) {
			t.Fatalf("header %v", recs[0])
		}
		m := overviewFor(t, dir, env, []string{a}, reports.PeriodThisMonth)
		byKey := map[string]string{}
		var flat func(prefix string, v any)
		flat = func(prefix string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					flat(prefix+"."+k, e)
				}
			default:
				byKey[prefix] = fmt.Sprint(v)
			}
		}
		var generic map[string]any
		_ = json.Unmarshal([]byte(mustJSON(t, m)), &generic)
		for _, c := range generic["currencies"].([]any) {
			c := c.(map[string]any)
			flat("currency."+c["currency"].(string), c)
		}
		for _, c := range generic["settlement"].([]any) {
			c := c.(map[string]any)
			flat("settlement."+c["currency"].(string), c)
		}
		d := generic["disputes"].(map[string]any)
		flat("all.", map[string]any{"payments": generic["payments"], "new_customers": generic["new_customers"],
			"disputes": d["count"], "card_payments": d["card_payments"], "dispute_rate": d["rate"]})
		for _, r := range recs[1:] {
			if r[7] != "2026-11-01" || r[8] != "2026-12-01" {
				t.Errorf("row %v: period", r)
			}
			for i, col := range []string{"value", "previous", "change", "change_pct"} {
				key := r[0] + "." + r[1] + "." + r[2] + "." + col
				want, ok := byKey[key]
				if !ok {
					t.Errorf("CSV row %v has no JSON figure %s", r, key)
					continue
				}
				if want == "<nil>" {
					want = ""
				}
				if g, _ := strconv.ParseFloat(r[3+i], 64); r[3+i] != want && fmt.Sprint(g) != want {
					t.Errorf("%s: CSV %q, JSON %q", key, r[3+i], want)
				}
			}
		}
		if len(recs)-1 != 2*6+1*7+5 {
			t.Errorf("%d rows", len(recs)-1)
		}
	})
	t.Run("text is a table a person reads", func(t *testing.T) {
		code, out, errOut := report("--connection", a, "--period", "this_month")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		t.Logf("\n%s", out)
		for _, want := range []string{"This month: 1 Nov 2026 – 30 Nov 2026, compared with 1 Oct 2026 – 31 Oct 2026. Days in UTC.",
			"Paid in USD", "Settled in USD", "Gross volume", "$100.00", "+$20.00 (+25.0%)", "Net volume", "Dispute rate: WARNING"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
		}
	})
	t.Run("--all reads every connection", func(t *testing.T) {
		code, out, errOut := report("--all", "--json")
		var got overviewJSON
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Connections) != 2 || len(got.Currencies) != 3 ||
			got.Payments.Value != 3 {
			t.Errorf("exit %d %s: %s", code, errOut, out)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a day that does not exist", []string{"--connection", a, "--from", "2026-02-30"}, ExitUsage,
			"--from takes a calendar day written YYYY-MM-DD, like 2026-01-31; “2026-02-30” is not one."},
		{"a range that ends before it starts", []string{"--connection", a, "--from", "2026-11-05", "--to", "2026-11-01"}, ExitUsage,
			"The report's range must end after it starts: --from 2026-11-05 is not before --to 2026-11-01."},
		{"an unknown period", []string{"--connection", a, "--period", "fortnight"}, ExitUsage, "There is no period “fortnight”."},
		{"an unknown connection", []string{"--connection", "conn_nope"}, ExitError, "No connection conn_nope. Run ledgerline connections to see the IDs."},
		{"two connections and no choice", nil, ExitUsage, "there are 2 connections; choose one with --connection ID"},
		{"both formats", []string{"--all", "--json", "--csv"}, ExitUsage, "choose --json or --csv"},
		{"both scopes", []string{"--all", "--connection", b}, ExitUsage, "choose --connection ID or --all"},
		{"a period and dates", []string{"--all", "--period", "today", "--from", "2026-11-01"}, ExitUsage, "choose --period or --from/--to"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			code, out, errOut := report(c.args...)
			if code != c.code || out != "" || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, out %q, err %q", code, out, errOut)
			}
		})
	}
	t.Run("an unknown report", func(t *testing.T) {
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "report", "weather")
		if code != ExitUsage || !strings.Contains(errOut, `no report "weather"; choose one of at-risk, mrr, overview`) {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
}

// overviewFor computes what --json should print, through the reports
// package directly.
func overviewFor(t *testing.T, dir string, env Env, ids []string, k reports.PeriodKind) overviewJSON {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := reports.PresetPeriod(k, testNow, env.Zone)
	if err != nil {
		t.Fatal(err)
	}
	m, err := reports.New(db.Reader(), nil).MoneyReport(context.Background(), ids, p)
	if err != nil {
		t.Fatal(err)
	}
	var conns []domain.Connection
	for _, id := range ids {
		conns = append(conns, domain.Connection{ID: id})
	}
	return overviewToJSON(&reportRun{Conns: conns, Zone: env.Zone, Now: testNow}, m)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
