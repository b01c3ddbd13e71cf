package warehouse

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// mrrLinesWorld makes invoices with embedded subscription lines whose
// columns, JSON, invoice and membership change at random.
type mrrLinesWorld struct {
	r       *rand.Rand
	version int64
	lines   map[int]uint64 // per invoice, the seed of its lines' state
}

// invoice returns invoice n in a random state: status, customer, currency,
// created, and 0–3 of its 4 possible lines (a line left out is gone from
// the invoice), each with random amounts, discounts, periods, metering and
// sometimes no subscription (a one-off item). Half the time its lines stay
// as they were, so only the invoice's own columns change.
func (w *mrrLinesWorld) invoice(n int) obj {
	id := fmt.Sprintf("in_%04d", n)
	if w.lines == nil {
		w.lines = map[int]uint64{}
	}
	if _, ok := w.lines[n]; !ok || w.r.IntN(2) == 0 {
		w.lines[n] = w.r.Uint64()
	}
	lr := rand.New(rand.NewPCG(w.lines[n], 1))
	var lines []any
	for k := range 4 {
		if lr.IntN(3) == 0 {
			continue
		}
		start := int64(1_760_000_000 + lr.IntN(4)*2_592_000)
		l := obj{"id": fmt.Sprintf("il_%04d_%d", n, k), "object": "line_item", "invoice": id,
			"amount": int64(lr.IntN(5000) - 500), "currency": []any{"usd", "eur", nil}[lr.IntN(3)],
			"period": obj{"start": start, "end": start + int64(1+lr.IntN(12))*2_592_000},
			"price":  obj{"id": fmt.Sprintf("price_%d", lr.IntN(3)), "object": "price", "recurring": obj{"usage_type": []string{"licensed", "licensed", "metered"}[lr.IntN(3)]}}}
		if lr.IntN(5) > 0 {
			l["subscription"] = fmt.Sprintf("sub_%d", n%7)
		}
		var discounts []any
		for range lr.IntN(3) {
			discounts = append(discounts, obj{"amount": int64(lr.IntN(300)), "discount": "di_1"})
		}
		l["discount_amounts"] = discounts
		lines = append(lines, l)
	}
	return obj{"id": id, "object": "invoice", "created": int64(1_759_000_000 + w.r.IntN(1000)),
		"status": []string{"paid", "open", "void", "draft"}[w.r.IntN(4)], "customer": fmt.Sprintf("cus_%d", w.r.IntN(5)),
		"currency": []string{"usd", "eur"}[w.r.IntN(2)],
		"lines":    obj{"object": "list", "data": lines, "has_more": false}}
}

func (w *mrrLinesWorld) page(t *testing.T, ids, n int) []Row {
	t.Helper()
	ty := mustType(t, "invoices")
	var rows []Row
	for range n {
		w.version++
		o := w.invoice(w.r.IntN(ids))
		deleted := w.r.IntN(12) == 0
		raw := pretty(o)
		if deleted && w.r.IntN(2) == 0 {
			raw = pretty(obj{"id": o["id"], "object": "invoice", "deleted": true})
		}
		r, err := Prepare(ty, raw, w.version, deleted)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

// checkMRRLines compares report_mrr_lines with the lines recomputed in Go
// from the stored rows: each live subscription line's JSON (amount less
// its discount_amounts, metered price or plan) beside its invoice's
// columns.
func (e *env) checkMRRLines(t *testing.T, when string) {
	t.Helper()
	type inv struct {
		customer, status, currency sql.NullString
		created                    sql.NullInt64
		deleted                    int64
	}
	invoices := map[string]inv{}
	rows, err := e.db.Reader().Query(`SELECT connection_id, id, customer, status, currency, created, is_deleted FROM stripe_invoices`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var conn, id string
		var i inv
		if err := rows.Scan(&conn, &id, &i.customer, &i.status, &i.currency, &i.created, &i.deleted); err != nil {
			t.Fatal(err)
		}
		invoices[conn+"/"+id] = i
	}
	rows.Close()
	var want []string
	rows, err = e.db.Reader().Query(`SELECT connection_id, id, data FROM stripe_invoice_line_items WHERE is_deleted = 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var conn, id, data string
		if err := rows.Scan(&conn, &id, &data); err != nil {
			t.Fatal(err)
		}
		var l struct {
			Invoice      string
			Amount       int64
			Currency     *string
			Subscription *string
			Period       struct{ Start, End *int64 }
			Price        struct {
				ID        string
				Recurring struct {
					UsageType string `json:"usage_type"`
				}
			}
			DiscountAmounts []struct{ Amount int64 } `json:"discount_amounts"`
		}
		if err := json.Unmarshal([]byte(data), &l); err != nil {
			t.Fatal(err)
		}
		if l.Subscription == nil || l.Period.Start == nil || l.Period.End == nil {
			continue
		}
		amount := l.Amount
		for _, d := range l.DiscountAmounts {
			amount -= d.Amount
		}
		i, ok := invoices[conn+"/"+l.Invoice]
		if !ok {
			i.deleted = 1
		}
		cur := sql.NullString{}
		if l.Currency != nil {
			cur = sql.NullString{String: *l.Currency, Valid: true}
		}
		want = append(want, fmt.Sprintln(conn, *l.Period.End, id, l.Invoice, *l.Period.Start, amount,
			l.Price.Recurring.UsageType == "metered", l.Price.ID, cur, i.customer, i.status, i.created, i.deleted, i.currency))
	}
	rows.Close()
	var got []string
	rows, err = e.db.Reader().Query(`SELECT connection_id, period_end, id, invoice, period_start, amount, metered, price,
		line_currency, customer, status, invoice_created, invoice_deleted, invoice_currency FROM report_mrr_lines`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var conn, id, invoice, price string
		var end, start, amount, deleted int64
		var metered bool
		var cur, customer, status, icur sql.NullString
		var created sql.NullInt64
		if err := rows.Scan(&conn, &end, &id, &invoice, &start, &amount, &metered, &price, &cur, &customer, &status,
			&created, &deleted, &icur); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintln(conn, end, id, invoice, start, amount, metered, price, cur, customer, status, created, deleted, icur))
	}
	rows.Close()
	slices.Sort(got)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: report_mrr_lines differs from the lines (%d rows, want %d)\n got %q\nwant %q", when, len(got), len(want), got, want)
	}
}

func TestMRRLinesEqualTheLinesAfterEveryKindOfWrite(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	other := e.addConnection(t, 2)
	w := &mrrLinesWorld{r: rand.New(rand.NewPCG(5, 6))}
	invoices := mustType(t, "invoices")
	for _, conn := range []string{e.connID, other} {
		if err := e.w.Apply(ctx, conn, invoices, w.page(t, 60, 60), nil); err != nil {
			t.Fatal(err)
		}
	}
	e.checkMRRLines(t, "after inserts")
	for round := range 5 {
		e.apply(t, invoices, w.page(t, 60, 40)...)
		e.checkMRRLines(t, fmt.Sprintf("after update round %d (status, customer, lines added, changed and removed, deletions)", round))
	}
	boom := errors.New("boom")
	if err := e.w.Apply(ctx, e.connID, invoices, w.page(t, 60, 40), func(*sql.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	e.checkMRRLines(t, "after a rolled-back page")
	if err := e.db.DeleteConnection(ctx, other); err != nil {
		t.Fatal(err)
	}
	e.checkMRRLines(t, "after deleting a connection")
	var left int
	if err := e.db.Reader().QueryRow(`SELECT count(*) FROM report_mrr_lines WHERE connection_id = ?`, other).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows of a deleted connection left (%v)", left, err)
	}
}
