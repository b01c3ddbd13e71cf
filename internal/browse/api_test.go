package browse

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

func TestViews(t *testing.T) {
	vs := Views()
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
		if v.Columns[0].Key != "created" || v.Columns[0].Kind != Date || !v.Columns[0].Sortable {
			t.Errorf("%s: the first column is %+v, want the sortable date", v.Name, v.Columns[0])
		}
		if _, ok := warehouse.TypeByName(v.Table); !ok {
			t.Errorf("%s: no warehouse type %q", v.Name, v.Table)
		}
	}
	if !slices.Equal(names, []string{"payments", "invoices", "customers", "subscriptions"}) {
		t.Errorf("views = %v", names)
	}
	t.Run("hands out copies", func(t *testing.T) {
		v, _ := ViewByName("payments")
		v.Columns[0].Key = "changed"
		if again, _ := ViewByName("payments"); again.Columns[0].Key != "created" {
			t.Error("changing a returned view changed the next one")
		}
	})
}

func TestCount(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	wh, _ := warehouse.New(warehouse.Options{DB: e.db})
	counts, err := wh.Counts(ctx, e.conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Views() {
		t.Run(v.Name+" counts the connection's live rows only", func(t *testing.T) {
			pg, err := e.b.Open(ctx, Query{ConnID: e.conn, View: v.Name})
			if err != nil {
				t.Fatal(err)
			}
			n, err := pg.Count(ctx)
			if c := counts[v.Table]; err != nil || int64(n) != c.Live || c.Deleted == 0 {
				t.Errorf("Count = %d, %v; the warehouse has %+v", n, err, c)
			}
		})
	}
	t.Run("stops when its context is canceled", func(t *testing.T) {
		pg, _ := e.b.Open(ctx, Query{ConnID: e.conn, View: "payments", Search: "order"})
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := pg.Count(canceled); !errors.Is(err, context.Canceled) {
			t.Errorf("Count = %v, want context.Canceled", err)
		}
	})
}

func TestBadQueries(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		q    Query
		says string
	}{
		{"an unknown view", Query{View: "orders"}, `no view called "orders"`},
		{"no connection", Query{View: "payments"}, "no connection"},
		{"an unknown column", Query{View: "payments", SortBy: "colour"}, `no column "colour"`},
		{"a column that does not sort", Query{View: "payments", SortBy: "status"}, `cannot be sorted by "status"`},
		{"an unknown status", Query{View: "invoices", Status: "lost"}, `"lost" is not a status of invoices`},
		{"a status where there is none", Query{View: "customers", Status: "active"}, "customers have no status"},
		{"a date range backwards", Query{View: "payments", From: time.Unix(t0, 0), To: time.Unix(t0-86400, 0)}, "starts"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			if c.q.ConnID == "" && c.name != "no connection" {
				c.q.ConnID = e.conn
			}
			_, err := e.b.Open(ctx, c.q)
			if !errors.Is(err, ErrInvalidQuery) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Open = %v, want ErrInvalidQuery saying %q", err, c.says)
			}
			if _, err := e.b.Export(ctx, c.q, &bytes.Buffer{}); !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("Export = %v, want ErrInvalidQuery", err)
			}
		})
	}
	t.Run("refuses to sort too many payments by amount, and with the limit and the column for the window to word", func(t *testing.T) {
		b := &Browser{db: e.b.db, sortLimit: 100}
		_, err := b.Open(ctx, Query{ConnID: e.conn, View: "payments", SortBy: "amount"})
		if _, f := domain.KindOf(err); !errors.Is(err, ErrTooManyToSort) || f[domain.FactLimit] != "100" || f[domain.FactColumn] != "amount" {
			t.Errorf("Open = %v, want ErrTooManyToSort", err)
		}
		pg, err := b.Open(ctx, Query{ConnID: e.conn, View: "payments", SortBy: "amount", Search: "order"})
		if err != nil {
			t.Fatalf("with a search, Open = %v; the matches are only known later", err)
		}
		if _, err := pg.Rows(ctx, 0, 10); !errors.Is(err, ErrTooManyToSort) {
			t.Errorf("Rows = %v, want ErrTooManyToSort", err)
		}
		if _, err := b.Open(ctx, Query{ConnID: e.conn, View: "payments", SortBy: "amount", To: time.Unix(t0-250*60, 0)}); err != nil {
			t.Errorf("a narrow date range: Open = %v", err)
		}
	})
}

func TestObject(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t.Run("flattens the stored JSON in document order", func(t *testing.T) {
		ty, _ := warehouse.TypeByName("charges")
		raw := `{"id":"ch_order","object":"charge","created":1700000000,"zeta":1.50,"alpha":{"b":[7,{"c":null,"d":true}],` +
			`"a":"x, \"y\"\nz"},"empty":[],"none":{},"amount":1299,"currency":"usd","status":"succeeded"}`
		r, err := warehouse.Prepare(ty, []byte(raw), 1, false)
		if err != nil {
			t.Fatal(err)
		}
		wh, _ := warehouse.New(warehouse.Options{DB: e.db})
		if err := wh.Apply(ctx, e.conn, ty, []warehouse.Row{r}, nil); err != nil {
			t.Fatal(err)
		}
		fs, err := e.b.Object(ctx, "payments", e.conn, "ch_order")
		if err != nil {
			t.Fatal(err)
		}
		want := []Field{{"id", "ch_order"}, {"object", "charge"}, {"created", "1700000000"}, {"zeta", "1.50"},
			{"alpha.b.0", "7"}, {"alpha.b.1.d", "true"}, {"alpha.a", "x, \"y\"\nz"}, {"empty", "[]"}, {"none", "{}"},
			{"amount", "1299"}, {"currency", "usd"}, {"status", "succeeded"}}
		if !slices.Equal(fs, want) {
			t.Errorf("fields = %q\nwant     %q", fs, want)
		}
	})
	t.Run("says when the object was deleted", func(t *testing.T) {
		fs, err := e.b.Object(ctx, "payments", e.conn, "ch_3899988x") // charge 12: deleted
		if err != nil || len(fs) == 0 || fs[0] != (Field{"deleted", "true"}) {
			t.Errorf("fields = %v, %v; want deleted first", fs, err)
		}
	})
	t.Run("opens a balance transaction, which has no view of its own", func(t *testing.T) {
		ty, _ := warehouse.TypeByName("balance_transactions")
		r, err := warehouse.Prepare(ty, []byte(`{"id":"txn_1","object":"balance_transaction","amount":1000,"fee":59,"net":941,"currency":"usd","type":"charge","created":1700000000}`), 1, false)
		if err != nil {
			t.Fatal(err)
		}
		wh, _ := warehouse.New(warehouse.Options{DB: e.db})
		if err := wh.Apply(ctx, e.conn, ty, []warehouse.Row{r}, nil); err != nil {
			t.Fatal(err)
		}
		fs, err := e.b.Object(ctx, ObjectBalanceTransactions, e.conn, "txn_1")
		if err != nil || !slices.Contains(fs, Field{"fee", "59"}) {
			t.Errorf("fields = %v, %v", fs, err)
		}
		if _, err := e.b.Object(ctx, ObjectBalanceTransactions, e.other, "txn_1"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("another connection's: %v, want ErrNotFound", err)
		}
		if _, err := e.b.Object(ctx, "refunds", e.conn, "re_1"); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("an unknown kind: %v, want ErrInvalidQuery", err)
		}
	})
	t.Run("does not find another connection's object", func(t *testing.T) {
		if _, err := e.b.Object(ctx, "customers", e.other, "cus_0001"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Object = %v, want ErrNotFound", err)
		}
	})
}

func TestExport(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, q := range []Query{
		{View: "payments", Status: "failed"},
		{View: "invoices", SortBy: "amount_due", Asc: true},
		{View: "customers", Search: "vip"},
		{View: "subscriptions"},
	} {
		q.ConnID = e.conn
		t.Run(q.View+" round-trips through encoding/csv", func(t *testing.T) {
			var buf bytes.Buffer
			n, err := e.b.Export(ctx, q, &buf)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			v, _ := ViewByName(q.View)
			header := []string{"id"}
			for _, c := range v.Columns {
				header = append(header, c.Key)
			}
			header = append(header, "currency")
			if !v.hasMoney() {
				header = header[:len(header)-1]
			}
			if !slices.Equal(recs[0], header) {
				t.Errorf("header = %v, want %v", recs[0], header)
			}
			want := e.want(t, q)
			if n != len(want) || len(recs)-1 != n {
				t.Fatalf("%d rows written, %d read back, want %d", n, len(recs)-1, len(want))
			}
			pg, _ := e.b.Open(ctx, q)
			rows, _ := pg.Rows(ctx, 0, n)
			for i, r := range rows {
				rec := recs[i+1]
				if rec[0] != want[i] || rec[0] != r.ID {
					t.Fatalf("row %d is %s, want %s", i, rec[0], want[i])
				}
				for j, c := range v.Columns {
					if got, exp := rec[j+1], formatValue(c.Kind, r.Values[j], r.Currency); got != exp {
						t.Errorf("%s %s = %q, want %q", r.ID, c.Key, got, exp)
					}
				}
			}
		})
	}
	t.Run("writes money with the currency's decimals and dates in UTC", func(t *testing.T) {
		var buf bytes.Buffer
		q := Query{ConnID: e.conn, View: "payments", Search: "ch_3900000x"} // charge 0: 1000 usd
		if _, err := e.b.Export(ctx, q, &buf); err != nil {
			t.Fatal(err)
		}
		q.Search = "ch_3899998x" // charge 2: 1074 jpy, failed
		if _, err := e.b.Export(ctx, q, &buf); err != nil {
			t.Fatal(err)
		}
		recs, _ := csv.NewReader(strings.NewReader(strings.Replace(buf.String(), "id,created", "\nid,created", 1))).ReadAll()
		if recs[1][2] != "10.00" || recs[1][1] != "2025-10-09T08:53:20Z" || recs[1][9] != "usd" {
			t.Errorf("usd row = %v", recs[1])
		}
		if recs[3][2] != "1074" || recs[3][9] != "jpy" {
			t.Errorf("jpy row = %v", recs[3])
		}
	})
}

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		amount int64
		cur    string
		want   string
	}{{1299, "usd", "12.99"}, {1299, "JPY", "1299"}, {5, "eur", "0.05"}, {-5, "usd", "-0.05"}, {1234, "kwd", "1.234"},
		{100, "xyz", "1.00"}, {0, "usd", "0.00"}} {
		if got := FormatMoney(c.amount, c.cur); got != c.want {
			t.Errorf("FormatMoney(%d, %s) = %q, want %q", c.amount, c.cur, got, c.want)
		}
	}
}
