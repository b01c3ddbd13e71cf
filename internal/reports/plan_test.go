package reports

import (
	"fmt"
	"strings"
	"testing"
)

// TestMoneyQueriesUseTheCreatedIndexes checks with EXPLAIN QUERY PLAN that
// every money query reads its table through the index on (connection_id,
// created) for one connection and for several, and scans no table whole:
// a period's figures cost the rows of the period, not of the account.
func TestMoneyQueriesUseTheCreatedIndexes(t *testing.T) {
	h := newHandBuilt(t)
	for _, ids := range [][]any{{"conn_a"}, {"conn_a", "conn_b", "conn_c"}} {
		in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
		for table, q := range map[string]string{"stripe_charges": qCharges, "stripe_refunds": qRefunds,
			"stripe_disputes": qDisputes, "stripe_customers": qCustomers, "stripe_balance_transactions": qBalance} {
			args := append(append([]any{}, ids...), 0, 1)
			rows, err := h.db.Reader().Query("EXPLAIN QUERY PLAN "+fmt.Sprintf(q, in), args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan strings.Builder
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan.WriteString(detail + "\n")
			}
			rows.Close()
			p := plan.String()
			if !strings.Contains(p, "INDEX "+table+"_by_created (connection_id=? AND created>? AND created<?)") ||
				strings.Contains(p, "SCAN "+table) {
				t.Errorf("%s with %d connections:\n%s", table, len(ids), p)
			}
		}
	}
}
