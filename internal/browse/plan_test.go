package browse

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a queryer that notes every query the Browser runs.
type recorder struct {
	db      *sql.DB
	mu      sync.Mutex
	queries []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *recorder) note(q string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, recorded{q, args})
}

func (r *recorder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	r.note(q, args)
	return r.db.QueryContext(ctx, q, args...)
}

func (r *recorder) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	r.note(q, args)
	return r.db.QueryRowContext(ctx, q, args...)
}

// TestQueriesUseIndexes runs each kind of query through a Pager and checks,
// with EXPLAIN QUERY PLAN, every statement it ran: an index serves each one
// (no table is scanned whole), the date order and the indexed sorts need
// no temporary sort, and a jump steps through an index that covers it.
func TestQueriesUseIndexes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mid := time.Unix(t0-100*60, 0)
	for _, c := range []struct {
		name     string
		q        Query
		mayOrder bool   // a temporary sort is allowed (the payments' amount: no index)
		uses     string // a plan line that must appear
	}{
		{"payments newest first", Query{View: "payments"}, false, "COVERING INDEX stripe_charges_by_created"},
		{"payments oldest first in a date range", Query{View: "payments", Asc: true, From: mid}, false, "COVERING INDEX stripe_charges_by_created (connection_id=? AND created>?)"},
		{"payments by status and date", Query{View: "payments", Status: "failed", To: mid}, false, "INDEX stripe_charges_by_created"},
		{"payments searched", Query{View: "payments", Search: "gift"}, false, "INDEX stripe_charges_by_created"},
		// The primary key finds the few ids; they sort in memory.
		{"payments searched by id", Query{View: "payments", Search: "ch_38999"}, true, "sqlite_autoindex_stripe_charges_1"},
		{"payments by amount in a date range", Query{View: "payments", SortBy: "amount", From: mid}, true, "INDEX stripe_charges_by_created"},
		{"invoices newest first", Query{View: "invoices"}, false, "COVERING INDEX stripe_invoices_by_created"},
		{"invoices by status and date", Query{View: "invoices", Status: "open", From: mid}, false, "COVERING INDEX stripe_invoices_by_status (connection_id=? AND status=? AND created>?)"},
		{"invoices by amount due", Query{View: "invoices", SortBy: "amount_due"}, false, "COVERING INDEX stripe_invoices_by_amount_due"},
		{"invoices by due date, oldest first", Query{View: "invoices", SortBy: "due_date", Asc: true, Status: "paid"}, false, "INDEX stripe_invoices_by_due_date"},
		{"customers newest first", Query{View: "customers"}, false, "COVERING INDEX stripe_customers_by_created"},
		{"customers by email", Query{View: "customers", SortBy: "email"}, false, "COVERING INDEX stripe_customers_by_email"},
		{"customers by name, backwards", Query{View: "customers", SortBy: "name", Asc: true}, false, "COVERING INDEX stripe_customers_by_name"},
		{"subscriptions by status", Query{View: "subscriptions", Status: "active"}, false, "COVERING INDEX stripe_subscriptions_by_status"},
		{"subscriptions by renewal", Query{View: "subscriptions", SortBy: "current_period_end"}, false, "COVERING INDEX stripe_subscriptions_by_period_end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{db: e.db.Reader()}
			b := &Browser{db: rec}
			c.q.ConnID = e.conn
			pg, err := b.Open(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			small(pg, false)
			if _, err := pg.Count(ctx); err != nil {
				t.Fatal(err)
			}
			for _, from := range []int{0, 30, 7, 1000} {
				if _, err := pg.Rows(ctx, from, 5); err != nil {
					t.Fatal(err)
				}
			}
			var all strings.Builder
			for _, r := range rec.queries {
				plan := explain(t, e, r)
				all.WriteString(plan)
				for _, line := range strings.Split(plan, "\n") {
					if strings.HasPrefix(line, "SCAN stripe_") {
						t.Errorf("a table is scanned whole:\n%s\n%s", r.sql, plan)
					}
					if strings.Contains(line, "TEMP B-TREE") && !c.mayOrder && !strings.Contains(r.sql, "INDEXED BY") {
						t.Errorf("a temporary sort:\n%s\n%s", r.sql, plan)
					}
				}
			}
			if !strings.Contains(all.String(), c.uses) {
				t.Errorf("no plan uses %q:\n%s", c.uses, all.String())
			}
		})
	}
}

func explain(t *testing.T, e *env, r recorded) string {
	t.Helper()
	rows, err := e.db.Reader().Query("EXPLAIN QUERY PLAN "+r.sql, r.args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}
