package reports

import (
	"strings"
	"testing"
)

// TestIndexesServeTheReportsQueries checks with EXPLAIN QUERY PLAN that an
// index finds the rows of every table each report reads: no statement scans
// a whole table or all of a connection's rows of one (json_each's virtual
// table is the line's own JSON).
func TestIndexesServeTheSubscriptionAndRiskQueries(t *testing.T) {
	a := newAccount(t)
	for name, q := range map[string]string{
		"MRR now: items of active subscriptions": mrrItemsQuery,
		"MRR by month: subscription lines":       linesQuery,
		"customers' earlier lines":               earlierLinesQuery(3),
		"failed payments":                        unrecoveredQuery,
		"overdue invoices":                       overdueQuery,
		"open disputes":                          openDisputesQuery,
		"the catalog's prices":                   pricesQuery,
		"the catalog's plans":                    plansQuery,
	} {
		t.Run(name, func(t *testing.T) {
			args := make([]any, strings.Count(q, "?"))
			for i := range args {
				args[i] = "x"
			}
			rows, err := a.db.Reader().Query("EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
				whole := strings.HasPrefix(detail, "SCAN ") && !strings.Contains(detail, "VIRTUAL TABLE") && detail != "SCAN CONSTANT ROW" ||
					// An index on the connection alone reads all of its rows:
					// only for disputes, prices and plans, which are few.
					strings.HasSuffix(detail, "(connection_id=?)") && !strings.Contains(detail, "stripe_disputes") &&
						!strings.Contains(detail, "stripe_prices") && !strings.Contains(detail, "stripe_plans")
				if whole {
					t.Errorf("reads a whole table: %q", detail)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", strings.Join(plan, " | "))
		})
	}
}
