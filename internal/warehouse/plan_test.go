package warehouse

import (
	"regexp"
	"strings"
	"testing"
)

// TestIndexesServeTheCommonQueries checks, with EXPLAIN QUERY PLAN, that
// the few indexes the migration makes serve what the app and an analyst
// do most: page charges newest first, filter them by status and date, join
// them to customers and invoices, find an invoice's lines, count.
func TestIndexesServeTheCommonQueries(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, query string
		uses        []string
	}{
		{"pages charges newest first from a cursor",
			`SELECT id, amount FROM stripe_charges WHERE connection_id = ?1 AND (created < ?2 OR (created = ?2 AND id < ?3))
			 ORDER BY created DESC, id DESC LIMIT 50`,
			[]string{"stripe_charges USING INDEX stripe_charges_by_created (connection_id=? AND created<?)"}},
		{"filters charges by status and date",
			`SELECT id FROM stripe_charges WHERE connection_id = ? AND status = ? AND created BETWEEN ? AND ?`,
			[]string{"USING INDEX stripe_charges_by_created (connection_id=? AND created>? AND created<?)"}},
		{"joins charges to customers and invoices by primary key",
			`SELECT ch.id, cu.email, inv.number FROM stripe_charges ch
			 LEFT JOIN stripe_customers cu ON cu.connection_id = ch.connection_id AND cu.id = ch.customer
			 LEFT JOIN stripe_invoices inv ON inv.connection_id = ch.connection_id AND inv.id = ch.invoice
			 WHERE ch.connection_id = ?`,
			[]string{"cu USING INDEX sqlite_autoindex_stripe_customers_1 (connection_id=? AND id=?)",
				"inv USING INDEX sqlite_autoindex_stripe_invoices_1 (connection_id=? AND id=?)"}},
		{"lists a customer's invoices",
			`SELECT id FROM stripe_invoices WHERE connection_id = ? AND customer = ?`,
			[]string{"USING INDEX stripe_invoices_by_customer"}},
		{"finds an invoice's lines",
			`SELECT id FROM stripe_invoice_line_items WHERE connection_id = ? AND invoice = ?`,
			[]string{"USING INDEX stripe_invoice_line_items_by_invoice"}},
		{"counts deleted rows without reading the table",
			`SELECT count(*) FROM stripe_charges WHERE connection_id = ? AND is_deleted = 1`,
			[]string{"USING COVERING INDEX stripe_charges_deleted"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan := explain(t, e, c.query)
			for _, u := range c.uses {
				if !strings.Contains(plan, u) {
					t.Errorf("plan does not use %q:\n%s", u, plan)
				}
			}
			if strings.Contains(plan, "SCAN ") {
				t.Errorf("plan scans a table:\n%s", plan)
			}
		})
	}
}

// numbered finds numbered parameters (?1, ?2).
var numbered = regexp.MustCompile(`\?(\d)`)

// explain returns SQLite's query plan for query, one step a line, binding
// "x" to every parameter.
func explain(t *testing.T, e *env, query string) string {
	t.Helper()
	n := strings.Count(query, "?")
	if ms := numbered.FindAllStringSubmatch(query, -1); ms != nil {
		n = 0
		for _, m := range ms {
			n = max(n, int(m[1][0]-'0'))
		}
	}
	args := make([]any, n)
	for i := range args {
		args[i] = "x"
	}
	rows, err := e.db.Reader().Query("EXPLAIN QUERY PLAN "+query, args...)
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
