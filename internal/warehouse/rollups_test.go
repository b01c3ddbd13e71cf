package warehouse

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The money report's hourly rollups (report_*_hourly, kept by migration
// 0007's triggers) must always equal the sums recomputed from the rows they
// summarize. recompute gives those sums in plain SQL, straight from each
// rollup's definition, keyed like the rollup; zero rows are left out of
// both sides (a rollup row whose rows all moved away stays, at zero).
var recompute = map[string]struct{ rollup, rows string }{
	"charges": {
		`SELECT connection_id, hour, currency, payments, gross, card_payments FROM report_charges_hourly
			WHERE payments <> 0 OR gross <> 0 OR card_payments <> 0`,
		`SELECT connection_id, created - created % 3600, coalesce(currency, ''), count(*), coalesce(sum(amount), 0),
			count(CASE WHEN payment_method_type = 'card' THEN 1 END)
			FROM stripe_charges WHERE is_deleted = 0 AND status = 'succeeded' AND created IS NOT NULL GROUP BY 1, 2, 3`,
	},
	"refunds": {
		`SELECT connection_id, hour, currency, refunds FROM report_refunds_hourly WHERE refunds <> 0`,
		`SELECT connection_id, created - created % 3600, coalesce(currency, ''), coalesce(sum(amount), 0)
			FROM stripe_refunds WHERE is_deleted = 0 AND status = 'succeeded' AND created IS NOT NULL GROUP BY 1, 2, 3
			HAVING coalesce(sum(amount), 0) <> 0`,
	},
	"disputes": {
		`SELECT connection_id, hour, currency, disputes, lost FROM report_disputes_hourly WHERE disputes <> 0 OR lost <> 0`,
		`SELECT connection_id, created - created % 3600, coalesce(currency, ''), count(*),
			coalesce(sum(CASE WHEN status = 'lost' THEN amount END), 0)
			FROM stripe_disputes WHERE is_deleted = 0 AND (status IS NULL OR status NOT LIKE 'warning%') AND created IS NOT NULL
			GROUP BY 1, 2, 3`,
	},
	"customers": {
		`SELECT connection_id, hour, customers FROM report_customers_hourly WHERE customers <> 0`,
		`SELECT connection_id, created - created % 3600, count(*) FROM stripe_customers
			WHERE is_deleted = 0 AND created IS NOT NULL GROUP BY 1, 2`,
	},
	"balance_transactions": {
		`SELECT connection_id, hour, currency, category, amount, fee FROM report_balance_hourly WHERE amount <> 0 OR fee <> 0`,
		`SELECT connection_id, created - created % 3600, coalesce(currency, ''), coalesce(reporting_category, type, ''),
			coalesce(sum(amount), 0), coalesce(sum(fee), 0)
			FROM stripe_balance_transactions WHERE is_deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4
			HAVING coalesce(sum(amount), 0) <> 0 OR coalesce(sum(fee), 0) <> 0`,
	},
}

// checkRollups fails the test where a rollup differs from its rows.
func (e *env) checkRollups(t *testing.T, when string) {
	t.Helper()
	read := func(q string) map[string]bool {
		rows, err := e.db.Reader().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		out := map[string]bool{}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintln(vals...)] = true
		}
		return out
	}
	for name, q := range recompute {
		got, want := read(q.rollup), read(q.rows)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the %s rollup differs from its rows\n got %v\nwant %v", when, name, got, want)
		}
	}
}

// rollupWorld makes Stripe-shaped objects of the summarized types whose
// columns tests change at will, spread over a few hours and currencies.
type rollupWorld struct {
	r       *rand.Rand
	version int64
}

var (
	rollupCurrencies = []string{"usd", "eur", "jpy"}
	chargeStatuses   = []string{"succeeded", "succeeded", "failed", "pending"}
	refundStatuses   = []string{"succeeded", "succeeded", "pending", "failed"}
	disputeStatuses  = []string{"needs_response", "won", "lost", "warning_needs_response", "under_review"}
	btTypes          = [][2]string{{"charge", "charge"}, {"refund", "refund"}, {"stripe_fee", "fee"},
		{"adjustment", "dispute"}, {"payout", ""}, {"payment", ""}}
)

func (w *rollupWorld) pick(s []string) string { return s[w.r.IntN(len(s))] }

// object returns object number n of type typ in a random state.
func (w *rollupWorld) object(typ string, n int) []byte {
	created := int64(1_764_547_200 + w.r.IntN(5*3600)) // 2025-12-01, first five hours
	o := obj{"id": fmt.Sprintf("%s_%06d", map[string]string{"charges": "ch", "refunds": "re", "disputes": "dp",
		"customers": "cus", "balance_transactions": "txn"}[typ], n), "created": created, "livemode": false}
	amount := int64(100 + w.r.IntN(10_000))
	switch typ {
	case "charges":
		o["object"], o["amount"], o["currency"], o["status"] = "charge", amount, w.pick(rollupCurrencies), w.pick(chargeStatuses)
		o["payment_method_details"] = obj{"type": w.pick([]string{"card", "card", "sepa_debit"})}
	case "refunds":
		o["object"], o["amount"], o["currency"], o["status"] = "refund", amount, w.pick(rollupCurrencies), w.pick(refundStatuses)
	case "disputes":
		o["object"], o["amount"], o["currency"], o["status"] = "dispute", amount, w.pick(rollupCurrencies), w.pick(disputeStatuses)
	case "customers":
		o["object"], o["email"] = "customer", fmt.Sprintf("c%d@example.com", n)
	case "balance_transactions":
		tc := btTypes[w.r.IntN(len(btTypes))]
		o["object"], o["amount"], o["fee"], o["currency"], o["type"] = "balance_transaction", amount, int64(w.r.IntN(300)),
			w.pick(rollupCurrencies), tc[0]
		if tc[1] != "" {
			o["reporting_category"] = tc[1]
		}
	}
	return pretty(o)
}

// page is n rows of typ among the first ids of its type, each in a new
// random state at a newer version; some are deletions (a full object
// marked deleted, or Stripe's deletion stub).
func (w *rollupWorld) page(t *testing.T, typ string, ids, n int) []Row {
	t.Helper()
	ty := mustType(t, typ)
	rows := make([]Row, 0, n)
	for range n {
		w.version++
		i := w.r.IntN(ids)
		raw := w.object(typ, i)
		deleted := w.r.IntN(10) == 0
		if deleted && w.r.IntN(2) == 0 {
			var o obj
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatal(err)
			}
			raw = pretty(obj{"id": o["id"], "object": ty.Object, "deleted": true})
		}
		r, err := Prepare(ty, raw, w.version, deleted)
		if err != nil {
			t.Fatalf("Prepare %s: %v", typ, err)
		}
		rows = append(rows, r)
	}
	return rows
}

func TestRollupsEqualTheirRowsAfterEveryKindOfWrite(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	other := e.addConnection(t, 2)
	w := &rollupWorld{r: rand.New(rand.NewPCG(11, 12))}
	types := []string{"charges", "refunds", "disputes", "customers", "balance_transactions"}

	t.Run("inserts", func(t *testing.T) {
		for _, typ := range types {
			for _, conn := range []string{e.connID, other} {
				if err := e.w.Apply(ctx, conn, mustType(t, typ), w.page(t, typ, 400, 300), nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		e.checkRollups(t, "after inserts")
	})
	t.Run("updates: status, amount, currency, hour and deletion change", func(t *testing.T) {
		for round := range 5 {
			for _, typ := range types {
				e.apply(t, mustType(t, typ), w.page(t, typ, 400, 200)...)
			}
			e.checkRollups(t, fmt.Sprintf("after update round %d", round))
		}
	})
	t.Run("a re-sync of the same states changes nothing", func(t *testing.T) {
		before := snapshotRollups(t, e)
		for _, typ := range types {
			var rows []Row
			rs, err := e.db.Reader().Query(`SELECT data, version, is_deleted FROM `+mustType(t, typ).Table+` WHERE connection_id = ?`, e.connID)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var data string
				var version int64
				var deleted bool
				if err := rs.Scan(&data, &version, &deleted); err != nil {
					t.Fatal(err)
				}
				r, err := Prepare(mustType(t, typ), []byte(data), version, deleted)
				if err != nil {
					t.Fatal(err)
				}
				rows = append(rows, r)
			}
			rs.Close()
			e.apply(t, mustType(t, typ), rows...)
		}
		if after := snapshotRollups(t, e); !reflect.DeepEqual(before, after) {
			t.Errorf("a re-sync moved the rollups")
		}
		e.checkRollups(t, "after a re-sync")
	})
	t.Run("a page that fails half way leaves rows and rollups as they were", func(t *testing.T) {
		before := snapshotRollups(t, e)
		boom := errors.New("the cursor could not be saved")
		for _, typ := range types {
			err := e.w.Apply(ctx, e.connID, mustType(t, typ), w.page(t, typ, 400, 200), func(*sql.Tx) error { return boom })
			if !errors.Is(err, boom) {
				t.Fatalf("Apply: %v", err)
			}
		}
		if after := snapshotRollups(t, e); !reflect.DeepEqual(before, after) {
			t.Errorf("a rolled-back page moved the rollups")
		}
		e.checkRollups(t, "after a rolled-back page")
	})
	t.Run("deleting a connection deletes its rollups and keeps the others'", func(t *testing.T) {
		if err := e.db.DeleteConnection(ctx, other); err != nil {
			t.Fatal(err)
		}
		for name, q := range recompute {
			var n int
			if err := e.db.Reader().QueryRow(`SELECT count(*) FROM (`+q.rollup+`) WHERE connection_id = ?`, other).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: %d rollup rows of the deleted connection are left", name, n)
			}
		}
		e.checkRollups(t, "after deleting a connection")
	})
}

// snapshotRollups is every rollup row, as text.
func snapshotRollups(t *testing.T, e *env) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range recompute {
		rows, err := e.db.Reader().Query(q.rollup + " ORDER BY 1, 2, 3")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], fmt.Sprintln(vals...))
		}
		rows.Close()
	}
	return out
}
