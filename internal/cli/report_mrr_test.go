package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// reportAccount is a data dir with two connections, one of them holding a
// few subscriptions, invoices, charges and disputes (testNow is 26 November
// 2026): USD MRR 3000 + 750 (a yearly 12000 with a forever 25% coupon), EUR
// 1500 past_due; a failed charge; an overdue invoice; an open dispute.
func reportAccount(t *testing.T) (dir string, conn, empty domain.Connection) {
	t.Helper()
	dir = t.TempDir()
	conn, empty = sampleConnection(1), sampleConnection(2)
	seed(t, dir, conn, empty)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	unix := func(y int, m time.Month, d int) int64 { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() }
	add := func(typeName string, objects ...string) {
		ty, _ := warehouse.TypeByName(typeName)
		var rows []warehouse.Row
		for _, o := range objects {
			row, err := warehouse.Prepare(ty, []byte(o), 1, false)
			if err != nil {
				t.Fatalf("%v: %s", err, o)
			}
			rows = append(rows, row)
		}
		if err := wh.Apply(ctx, conn.ID, ty, rows, nil); err != nil {
			t.Fatal(err)
		}
	}
	sub := func(id, customer, status, cur string, unit int64, interval string, qty int64, extra string) string {
		return fmt.Sprintf(`{"id":%q,"object":"subscription","created":1,"customer":%q,"status":%q,"currency":%q%s,
			"items":{"object":"list","data":[{"id":"si_%s","object":"subscription_item","created":1,"quantity":%d,
			"price":{"id":"price_%s","object":"price","currency":%q,"unit_amount":%d,"recurring":{"interval":%q,"interval_count":1,"usage_type":"licensed"}}}]}}`,
			id, customer, status, cur, extra, id, qty, id, cur, unit, interval)
	}
	add("subscriptions",
		sub("sub_a", "cus_a", "active", "usd", 1000, "month", 3, ""),
		sub("sub_b", "cus_b", "active", "usd", 12000, "year", 1, `,"discount":{"coupon":{"duration":"forever","percent_off":25}}`),
		sub("sub_e", "cus_e", "past_due", "eur", 1500, "month", 1, ""))
	line := func(id, subID string, amount, start, end int64) string {
		return fmt.Sprintf(`{"id":%q,"object":"line_item","amount":%d,"currency":"usd","subscription":%q,"period":{"start":%d,"end":%d}}`,
			id, amount, subID, start, end)
	}
	var invoices []string
	for m := time.September; m <= time.November; m++ {
		invoices = append(invoices, fmt.Sprintf(`{"id":"in_a%d","object":"invoice","customer":"cus_a","currency":"usd","status":"paid","created":%d,
			"lines":{"object":"list","data":[%s]}}`, m, unix(2026, m, 1), line(fmt.Sprintf("il_a%d", m), "sub_a", 3000, unix(2026, m, 1), unix(2026, m+1, 1))))
	}
	invoices = append(invoices, fmt.Sprintf(`{"id":"in_late","object":"invoice","customer":"cus_x","currency":"usd","status":"open","created":1,
		"due_date":%d,"amount_remaining":4200}`, unix(2026, 10, 1)))
	add("invoices", invoices...)
	add("charges", fmt.Sprintf(`{"id":"ch_fail","object":"charge","status":"failed","customer":"cus_e","currency":"eur","amount":1500,"created":%d,"failure_code":"card_declined"}`,
		unix(2026, 11, 20)))
	add("disputes", fmt.Sprintf(`{"id":"dp_open","object":"dispute","charge":"ch_x","status":"needs_response","currency":"usd","amount":999,"created":%d,
		"reason":"fraudulent","evidence_details":{"due_by":%d}}`, unix(2026, 11, 10), unix(2026, 12, 1)))
	return dir, conn, empty
}

// direct computes what a report should print straight from the reports package.
func direct(t *testing.T, dir string) *reports.Reports {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return reports.New(db.Reader(), func() time.Time { return testNow })
}

func TestReportMRRCommand(t *testing.T) {
	dir, conn, empty := reportAccount(t)
	r := direct(t, dir)
	ctx := context.Background()
	now, err := r.MRRNow(ctx, conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	months, err := r.MRRByMonth(ctx, conn.ID, 12)
	if err != nil {
		t.Fatal(err)
	}
	if now.MRR["usd"] != 3750 || now.MRR["eur"] != 1500 {
		t.Fatalf("the account's MRR is %v", now.MRR)
	}

	t.Run("JSON round trip: the figures come back as the reports computed them", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "report", "mrr", "--connection", conn.ID, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got mrrJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Connections) != 1 {
			t.Fatalf("%d connections", len(got.Connections))
		}
		c := got.Connections[0]
		if c.ConnectionID != conn.ID || !maps.Equal(c.MRR, now.MRR) || !maps.Equal(c.ARR, now.ARR) || !maps.Equal(c.ARPU, now.ARPU) ||
			c.ActiveSubscribers != 3 || len(c.Months) != 12 || len(c.Subscriptions) != 3 {
			t.Errorf("got %+v", c)
		}
		for i, m := range c.Months {
			if m.Month != months[i].Month.Format("2006-01") || !maps.Equal(m.MRR, months[i].MRR) || !maps.Equal(m.New, months[i].New) {
				t.Errorf("month %d: %+v, want %+v", i, m, months[i])
			}
		}
		// October is the last complete month before testNow: no churn, so no LTV.
		if c.Churn.From != "2026-10-01T00:00:00Z" || c.Churn.To != "2026-11-01T00:00:00Z" || len(c.LTV) != 0 || c.Churn.SubscriberChurnRate["usd"] != 0 {
			t.Errorf("churn %+v, LTV %v", c.Churn, c.LTV)
		}
		var raw map[string]any
		_ = json.Unmarshal([]byte(out), &raw)
		first := raw["connections"].([]any)[0].(map[string]any)
		for _, k := range []string{"connection_id", "name", "as_of", "mrr", "arr", "arpu", "active_subscribers", "subscribers",
			"unpriced_items", "churn", "ltv", "months", "subscriptions"} {
			if _, ok := first[k]; !ok {
				t.Errorf("no key %q", k)
			}
		}
	})

	t.Run("CSV round trip: every figure a row", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "report", "mrr", "--connection", conn.ID, "--csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(recs[0], mrrCSVHeader) {
			t.Fatalf("header %v", recs[0])
		}
		back := map[string]reports.Money{}
		for _, rec := range recs[1:] {
			if rec[0] != conn.ID {
				t.Errorf("row of %q", rec[0])
			}
			v, err := strconv.ParseInt(rec[4], 10, 64)
			if err != nil {
				continue // a rate
			}
			k := rec[1] + " " + rec[2]
			if back[k] == nil {
				back[k] = reports.Money{}
			}
			back[k][rec[3]] += v
		}
		for k, want := range map[string]reports.Money{"mrr now": now.MRR, "arr now": now.ARR, "arpu now": now.ARPU,
			"month_mrr 2026-11": months[11].MRR, "new 2026-09": months[9].New} {
			if !maps.Equal(back[k], want) {
				t.Errorf("%s: %v, want %v", k, back[k], want)
			}
		}
	})

	t.Run("text by default, for every connection with --all", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "report", "mrr", "--all")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{conn.ID, empty.ID, "USD  MRR 37.50 · ARR 450.00 · active subscribers 2 · ARPU 18.75",
			"EUR  MRR 15.00", "No active or past-due paid subscriptions", "2026-09 USD  30.00  +30.00 new"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in:\n%s", want, out)
			}
		}
	})
}

func TestReportAtRiskCommand(t *testing.T) {
	dir, conn, _ := reportAccount(t)
	r := direct(t, dir)
	want, err := r.AtRisk(context.Background(), conn.ID, testNow.AddDate(0, 0, -30), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Failed) != 1 || len(want.PastDue) != 1 || len(want.Overdue) != 1 || len(want.Disputes) != 1 {
		t.Fatalf("the account's risk %+v", want)
	}

	t.Run("JSON round trip", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "report", "at-risk", "--connection", conn.ID, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got atRiskJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		c := got.Connections[0]
		if !maps.Equal(c.FailedTotal, want.FailedTotal) || !maps.Equal(c.PastDueMRR, want.PastDueMRR) ||
			!maps.Equal(c.OverdueTotal, want.OverdueTotal) || !maps.Equal(c.DisputedTotal, want.DisputedTotal) ||
			!maps.Equal(c.OverdueByBucket["31-60"], reports.Money{"usd": 4200}) {
			t.Errorf("got %+v", c)
		}
		if c.FailedPayments[0].ID != "ch_fail" || c.PastDue[0].ID != "sub_e" || c.Overdue[0].ID != "in_late" || c.Overdue[0].DaysOverdue != 57 ||
			c.Disputes[0].ID != "dp_open" || c.Disputes[0].EvidenceDueBy != "2026-12-01T00:00:00Z" {
			t.Errorf("rows %+v", c)
		}
	})

	t.Run("CSV round trip: one object a row, adding up to the totals", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "report", "at-risk", "--connection", conn.ID, "--csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(recs[0], atRiskCSVHeader) || len(recs) != 5 {
			t.Fatalf("rows %v", recs)
		}
		sums := map[string]reports.Money{}
		for _, rec := range recs[1:] {
			v, _ := strconv.ParseInt(rec[5], 10, 64)
			if sums[rec[1]] == nil {
				sums[rec[1]] = reports.Money{}
			}
			sums[rec[1]][rec[4]] += v
		}
		for section, total := range map[string]reports.Money{"failed_payment": want.FailedTotal, "past_due_subscription": want.PastDueMRR,
			"overdue_invoice": want.OverdueTotal, "open_dispute": want.DisputedTotal} {
			if !maps.Equal(sums[section], total) {
				t.Errorf("%s: %v, want %v", section, sums[section], total)
			}
		}
	})

	t.Run("the period's days are included, in UTC", func(t *testing.T) {
		code, out, _ := runCLI(t, Env{}, "--data-dir", dir, "report", "at-risk", "--connection", conn.ID, "--from", "2026-11-21", "--to", "2026-11-25", "--json")
		var got atRiskJSON
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Connections[0].FailedPayments) != 0 ||
			got.Connections[0].From != "2026-11-21T00:00:00Z" || got.Connections[0].To != "2026-11-26T00:00:00Z" {
			t.Errorf("exit %d: %s", code, out)
		}
		code, out, _ = runCLI(t, Env{}, "--data-dir", dir, "report", "at-risk", "--connection", conn.ID, "--from", "2026-11-20", "--to", "2026-11-20", "--json")
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Connections[0].FailedPayments) != 1 {
			t.Errorf("exit %d: %s", code, out)
		}
	})

	t.Run("text names every object", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "report", "at-risk", "--connection", conn.ID)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, w := range []string{"ch_fail", "sub_e", "in_late", "31-60 days: USD 42.00", "dp_open", "evidence due 2026-12-01"} {
			if !strings.Contains(out, w) {
				t.Errorf("no %q in:\n%s", w, out)
			}
		}
	})
}

func TestReportCommandsRefuseBadInput(t *testing.T) {
	dir, conn, _ := reportAccount(t)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"an unknown connection", []string{"mrr", "--connection", "conn_nope"}, ExitError, "No connection conn_nope. Run ledgerline connections"},
		{"an unknown connection (at-risk)", []string{"at-risk", "--connection", "conn_nope", "--json"}, ExitError, "No connection conn_nope"},
		{"a date that isn't one", []string{"at-risk", "--all", "--from", "2026-13-01"}, ExitUsage, `--from takes a calendar day written YYYY-MM-DD, like 2026-01-31; “2026-13-01” is not one.`},
		{"a day in another shape", []string{"mrr", "--all", "--from", "2026-11-01", "--to", "26/11/2026"}, ExitUsage, "--to takes a calendar day"},
		{"--to alone", []string{"mrr", "--all", "--to", "2026-11-26"}, ExitUsage, "--to needs --from"},
		{"an unknown period", []string{"mrr", "--all", "--period", "last_week"}, ExitUsage, "There is no period “last_week”"},
		{"a period that ends before it starts", []string{"at-risk", "--all", "--from", "2026-11-20", "--to", "2026-11-01"}, ExitUsage, "--from 2026-11-20 is not before --to 2026-11-01"},
		{"both formats", []string{"mrr", "--json", "--csv"}, ExitUsage, "choose --json or --csv, not both"},
		{"a connection and all", []string{"mrr", "--connection", conn.ID, "--all"}, ExitUsage, "choose --connection ID or --all, not both"},
		{"several connections and no choice", []string{"at-risk"}, ExitUsage, "there are 2 connections; choose one with --connection ID"},
		{"an unknown report", []string{"mrrr"}, ExitUsage, `no report "mrrr"`},
		{"no report", nil, ExitUsage, "say which report"},
		{"an extra argument", []string{"mrr", "--all", "usd"}, ExitUsage, `takes no argument "usd"`},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, Env{}, append([]string{"--data-dir", dir, "report"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) || out != "" || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, c.code, c.want)
			}
		})
	}
}
