package reports

import (
	"fmt"
	"strings"
	"testing"
)

// TestMoneyQueriesUseTheCreatedIndexes checks with EXPLAIN QUERY PLAN that
// every money query reads its table through the index on (connection_id,
// created) for one connection and for several, its rollup through the
// rollup's primary key on (connection_id, hour), and scans no table whole:
// a period's figures cost the rows of its edges and the hours between.
func TestMoneyQueriesUseTheCreatedIndexes(t *testing.T) {
	h := newHandBuilt(t)
	for _, ids := range [][]any{{"conn_a"}, {"conn_a", "conn_b", "conn_c"}} {
		in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
		for table, q := range map[string]moneyQueries{"stripe_charges": qCharges, "stripe_refunds": qRefunds,
			"stripe_disputes": qDisputes, "stripe_customers": qCustomers, "stripe_balance_transactions": qBalance} {
			args := append(append([]any{}, ids...), 0, 1)
			p := queryPlan(t, h, fmt.Sprintf(q.rows, in), args)
			if !strings.Contains(p, "INDEX "+table+"_by_created (connection_id=? AND created>? AND created<?)") ||
				strings.Contains(p, "SCAN "+table) {
				t.Errorf("%s with %d connections:\n%s", table, len(ids), p)
			}
			rollup := "report_" + strings.TrimPrefix(strings.TrimPrefix(table, "stripe_"), "balance_transactions") + "_hourly"
			if table == "stripe_balance_transactions" {
				rollup = "report_balance_hourly"
			}
			p = queryPlan(t, h, fmt.Sprintf(q.rollup, in), args)
			if !strings.Contains(p, "PRIMARY KEY (connection_id=? AND hour>? AND hour<?)") || strings.Contains(p, "SCAN") ||
				!strings.Contains(p, rollup) {
				t.Errorf("%s with %d connections:\n%s", rollup, len(ids), p)
			}
		}
	}
}

// queryPlan is EXPLAIN QUERY PLAN's details of q, one a line.
func queryPlan(t *testing.T, h *handBuilt, q string, args []any) string {
	t.Helper()
	rows, err := h.db.Reader().Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	return plan.String()
}
