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
	"strings"
	"testing"
)

// mrrItemsWorld makes subscriptions with embedded items whose status,
// trial, coupons and items change at random; half the time a
// subscription's items stay as they were.
type mrrItemsWorld struct {
	r       *rand.Rand
	version int64
	items   map[int]uint64
}

func (w *mrrItemsWorld) subscription(n int) obj {
	id := fmt.Sprintf("sub_%04d", n)
	if w.items == nil {
		w.items = map[int]uint64{}
	}
	if _, ok := w.items[n]; !ok || w.r.IntN(2) == 0 {
		w.items[n] = w.r.Uint64()
	}
	ir := rand.New(rand.NewPCG(w.items[n], 2))
	var items []any
	for k := range 3 {
		if ir.IntN(3) == 0 {
			continue
		}
		it := obj{"id": fmt.Sprintf("si_%04d_%d", n, k), "object": "subscription_item", "subscription": id,
			"quantity": []any{nil, 1, 3}[ir.IntN(3)]}
		switch ir.IntN(3) {
		case 0:
			it["price"] = obj{"id": fmt.Sprintf("price_%d", ir.IntN(4)), "unit_amount": int64(ir.IntN(9000)),
				"recurring": obj{"interval": []string{"month", "year"}[ir.IntN(2)], "interval_count": 1 + ir.IntN(2),
					"usage_type": []string{"licensed", "metered"}[ir.IntN(2)]}}
		case 1:
			it["price"] = obj{"id": "price_dec", "unit_amount_decimal": "12.5", "recurring": obj{"interval": "week"}}
		default:
			it["plan"] = obj{"id": "plan_old", "amount": int64(ir.IntN(5000)), "interval": "month", "interval_count": 1,
				"usage_type": "licensed"}
		}
		items = append(items, it)
	}
	o := obj{"id": id, "object": "subscription", "created": 1_760_000_000, "customer": fmt.Sprintf("cus_%d", w.r.IntN(4)),
		"currency": []string{"usd", "eur"}[w.r.IntN(2)],
		"status":   []string{"active", "past_due", "trialing", "canceled"}[w.r.IntN(4)],
		"items":    obj{"object": "list", "data": items, "has_more": false}}
	if w.r.IntN(2) == 0 {
		o["trial_end"] = int64(1_760_000_000 + w.r.IntN(10)*86_400)
	}
	switch w.r.IntN(3) {
	case 0:
		o["discount"] = obj{"id": "di_1", "coupon": obj{"id": "c", "duration": "forever", "percent_off": 10}}
	case 1:
		o["discounts"] = []any{obj{"id": "di_2", "coupon": obj{"id": "d", "duration": "once", "amount_off": 500, "currency": "usd"}}}
	}
	return o
}

func (w *mrrItemsWorld) page(t *testing.T, ids, n int) []Row {
	t.Helper()
	ty := mustType(t, "subscriptions")
	var rows []Row
	for range n {
		w.version++
		o := w.subscription(w.r.IntN(ids))
		deleted := w.r.IntN(12) == 0
		raw := pretty(o)
		if deleted && w.r.IntN(2) == 0 {
			raw = pretty(obj{"id": o["id"], "object": "subscription", "deleted": true})
		}
		r, err := Prepare(ty, raw, w.version, deleted)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

// checkMRRItems compares report_mrr_items with the items recomputed in Go
// from the stored rows: each live item of a live subscription, its
// embedded price read from its JSON, its subscription's columns, and the
// subscription JSON's discounts when it mentions a coupon.
func (e *env) checkMRRItems(t *testing.T, when string) {
	t.Helper()
	type sub struct {
		status, customer, currency sql.NullString
		trialEnd                   sql.NullInt64
		discount, discounts        string
	}
	subs := map[string]sub{}
	rows, err := e.db.Reader().Query(`SELECT connection_id, id, status, customer, currency, trial_end, data FROM stripe_subscriptions WHERE is_deleted = 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var conn, id, data string
		var s sub
		if err := rows.Scan(&conn, &id, &s.status, &s.customer, &s.currency, &s.trialEnd, &data); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(data, `"coupon"`) {
			var d struct{ Discount, Discounts json.RawMessage }
			if err := json.Unmarshal([]byte(data), &d); err != nil {
				t.Fatal(err)
			}
			s.discount, s.discounts = string(d.Discount), string(d.Discounts)
		}
		subs[conn+"/"+id] = s
	}
	rows.Close()
	var want []string
	rows, err = e.db.Reader().Query(`SELECT connection_id, id, subscription, coalesce(price, ''), data FROM stripe_subscription_items WHERE is_deleted = 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var conn, id, subID, price, data string
		if err := rows.Scan(&conn, &id, &subID, &price, &data); err != nil {
			t.Fatal(err)
		}
		s, ok := subs[conn+"/"+subID]
		if !ok {
			continue
		}
		var it struct {
			Quantity *int64
			Price    struct {
				ID                string
				UnitAmount        *float64 `json:"unit_amount"`
				UnitAmountDecimal string   `json:"unit_amount_decimal"`
				Recurring         struct {
					Interval      string
					IntervalCount int64  `json:"interval_count"`
					UsageType     string `json:"usage_type"`
				}
			}
			Plan struct {
				Amount        *float64
				Interval      string
				IntervalCount int64  `json:"interval_count"`
				UsageType     string `json:"usage_type"`
			}
		}
		if err := json.Unmarshal([]byte(data), &it); err != nil {
			t.Fatal(err)
		}
		qty := int64(1)
		if it.Quantity != nil {
			qty = *it.Quantity
		}
		unit := "<nil>"
		switch {
		case it.Price.UnitAmount != nil:
			unit = fmt.Sprint(*it.Price.UnitAmount)
		case it.Plan.Amount != nil:
			unit = fmt.Sprint(*it.Plan.Amount)
		case it.Price.UnitAmountDecimal != "":
			unit = it.Price.UnitAmountDecimal
		}
		interval, count := it.Price.Recurring.Interval, it.Price.Recurring.IntervalCount
		if interval == "" {
			interval, count = it.Plan.Interval, it.Plan.IntervalCount
		}
		metered := it.Price.Recurring.UsageType == "metered" || it.Plan.UsageType == "metered"
		want = append(want, fmt.Sprintln(conn, s.status.String, subID, id, s.customer, s.currency, s.trialEnd,
			compactJSON(s.discount), compactJSON(s.discounts), qty, price, unit, interval, count, metered))
	}
	rows.Close()
	var got []string
	rows, err = e.db.Reader().Query(`SELECT connection_id, status, subscription, id, customer, currency, trial_end,
		coalesce(discount, ''), coalesce(discounts, ''), quantity, coalesce(price, ''), coalesce(CAST(unit_amount AS TEXT), '<nil>'),
		coalesce(interval, ''), coalesce(interval_count, 0), metered FROM report_mrr_items`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var conn, status, subID, id, discount, discounts, price, unit, interval string
		var customer, currency sql.NullString
		var trialEnd sql.NullInt64
		var qty, count int64
		var metered bool
		if err := rows.Scan(&conn, &status, &subID, &id, &customer, &currency, &trialEnd, &discount, &discounts, &qty,
			&price, &unit, &interval, &count, &metered); err != nil {
			t.Fatal(err)
		}
		unit = strings.TrimSuffix(unit, ".0")
		got = append(got, fmt.Sprintln(conn, status, subID, id, customer, currency, trialEnd, compactJSON(discount),
			compactJSON(discounts), qty, price, unit, interval, count, metered))
	}
	rows.Close()
	slices.Sort(got)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: report_mrr_items differs from the items (%d rows, want %d)\n got %q\nwant %q", when, len(got), len(want), got, want)
	}
}

// compactJSON re-encodes JSON text so both sides compare alike; "" and
// null are "".
func compactJSON(s string) string {
	var v any
	if s == "" || json.Unmarshal([]byte(s), &v) != nil || v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestMRRItemsEqualTheItemsAfterEveryKindOfWrite(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	other := e.addConnection(t, 2)
	w := &mrrItemsWorld{r: rand.New(rand.NewPCG(8, 9))}
	subs := mustType(t, "subscriptions")
	for _, conn := range []string{e.connID, other} {
		if err := e.w.Apply(ctx, conn, subs, w.page(t, 50, 50), nil); err != nil {
			t.Fatal(err)
		}
	}
	e.checkMRRItems(t, "after inserts")
	for round := range 5 {
		e.apply(t, subs, w.page(t, 50, 40)...)
		e.checkMRRItems(t, fmt.Sprintf("after update round %d", round))
	}
	boom := errors.New("boom")
	if err := e.w.Apply(ctx, e.connID, subs, w.page(t, 50, 40), func(*sql.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	e.checkMRRItems(t, "after a rolled-back page")
	if err := e.db.DeleteConnection(ctx, other); err != nil {
		t.Fatal(err)
	}
	e.checkMRRItems(t, "after deleting a connection")
}
