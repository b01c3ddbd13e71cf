package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

func TestCoverageKeysAndWords(t *testing.T) {
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	copying := reports.Completeness{Complete: true, PreviousComplete: false,
		From: time.Date(2026, 11, 20, 10, 0, 1, 0, time.UTC), Copying: []string{"charges", "customers"}}
	cases := []struct {
		name       string
		c          reports.Completeness
		json, text string
	}{
		{"copying, with a date", copying,
			`{"complete":true,"previous_complete":false,"complete_from":"2026-11-20T10:00:01Z","copying":["charges","customers"]}`,
			"Still copying from Stripe (charges, customers): figures include data from 20 Nov 2026 11:00 on."},
		{"copying, nothing stored yet", reports.Completeness{Copying: []string{"payouts"}},
			`{"complete":false,"previous_complete":false,"complete_from":null,"copying":["payouts"]}`,
			"Still copying from Stripe (payouts): no figure is complete yet."},
		{"complete", reports.Completeness{Complete: true, PreviousComplete: true},
			`{"complete":true,"previous_complete":true,"complete_from":null,"copying":[]}`, ""},
	}
	for _, c := range cases {
		b, err := json.Marshal(toCoverageJSON(c.c))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.json {
			t.Errorf("%s: JSON %s, want %s", c.name, b, c.json)
		}
		if got := coverageText(c.c, stockholm); got != c.text {
			t.Errorf("%s: text %q, want %q", c.name, got, c.text)
		}
	}
}

// Every report with a period carries its coverage: over data that no sync
// wrote (reportData puts rows straight into the warehouse), nothing is
// complete and every type it reads is still to copy.
func TestEveryReportSaysWhetherItsDataIsComplete(t *testing.T) {
	dir, a, _ := reportData(t)
	env := Env{Zone: time.UTC}
	run := func(args ...string) map[string]any {
		t.Helper()
		code, out, errOut := runCLI(t, env, append([]string{"--data-dir", dir, "report"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	check := func(where string, v any, types ...string) {
		t.Helper()
		c, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: no coverage object: %v", where, v)
			return
		}
		var copying []string
		for _, s := range c["copying"].([]any) {
			copying = append(copying, s.(string))
		}
		if c["complete"] != false || c["complete_from"] != nil || !slices.Equal(copying, types) {
			t.Errorf("%s: %v, want incomplete with nothing stored, copying %v", where, c, types)
		}
	}
	check("overview", run("overview", "--connection", a, "--json")["coverage"],
		"balance_transactions", "charges", "customers", "disputes", "refunds")
	check("payouts", run("payouts", "--connection", a, "--json")["coverage"], "payouts")
	mrr := run("mrr", "--connection", a, "--json")["connections"].([]any)[0].(map[string]any)
	history := []string{"invoice_line_items", "invoices", "plans", "prices"}
	check("mrr churn", mrr["churn"].(map[string]any)["coverage"], history...)
	for _, m := range mrr["months"].([]any) {
		check("mrr month", m.(map[string]any)["coverage"], history...)
	}
	risk := run("at-risk", "--connection", a, "--json")["connections"].([]any)[0].(map[string]any)
	check("at-risk", risk["failed_coverage"], "charges")

	code, out, _ := runCLI(t, env, "--data-dir", dir, "report", "overview", "--connection", a)
	if code != 0 || !strings.Contains(out, "Still copying from Stripe (balance_transactions, charges, customers, disputes, refunds): no figure is complete yet.") {
		t.Errorf("the text does not say the copy is incomplete:\n%s", out)
	}
}

// After a whole sync, the reports say complete.
func TestReportsAfterAWholeSyncAreComplete(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemoryBackend()
	info := sandboxInfo(t)
	if code, _, errOut := runCLI(t, Env{Keychain: keys, Stdin: strings.NewReader(info.Accounts[0].APIKey)},
		"--sandbox", "--data-dir", dir, "connect", "stripe", "--api-key-stdin"); code != 0 {
		t.Fatalf("connect: %s", errOut)
	}
	if code, _, errOut := runCLIWithEnv(t, Env{Keychain: keys}, map[string]string{EnvSyncLimits: "off"},
		"--sandbox", "--data-dir", dir, "sync"); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	for _, name := range []string{"overview", "payouts"} {
		code, out, errOut := runCLI(t, Env{Zone: time.UTC}, "--sandbox", "--data-dir", dir, "report", name, "--period", "last_year", "--json")
		var v struct{ Coverage coverageJSON }
		if code != 0 || json.Unmarshal([]byte(out), &v) != nil {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		if c := v.Coverage; !c.Complete || !c.PreviousComplete || c.CompleteFrom != nil || len(c.Copying) != 0 {
			t.Errorf("%s after the sync: %+v", name, c)
		}
	}
	code, out, _ := runCLI(t, Env{Zone: time.UTC}, "--sandbox", "--data-dir", dir, "report", "overview", "--period", "last_year")
	if code != 0 || strings.Contains(out, "Still copying") {
		t.Errorf("the text says still copying after the sync:\n%s", out)
	}
}
