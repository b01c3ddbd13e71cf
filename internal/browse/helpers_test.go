package browse

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// env is a real database with two connections: conn has a few hundred
// objects of each view's type (some deleted, created times shared by
// neighbours, NULLs in sortable columns, text with commas, quotes and
// newlines); other has charges of its own that no query of conn may see.
type env struct {
	db          *store.DB
	b           *Browser
	conn, other string
}

// t0 is the newest created time of the seeded objects.
const t0 = 1_760_000_000

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e := &env{db: db, b: New(db.Reader())}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*string{&e.conn, &e.other} {
		*c = domain.NewConnectionID()
		err := db.CreateConnection(ctx, domain.Connection{ID: *c, Provider: domain.ProviderStripe, Name: "Shop",
			AccountID: "acct_" + *c, AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected,
			ConnectedAt: time.Unix(t0, 0)}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	seed := func(conn, typ string, n int, make func(i int) map[string]any, deleted func(i int) bool) {
		ty, _ := warehouse.TypeByName(typ)
		// Written in a shuffled order, so rowids do not follow created.
		order := rand.New(rand.NewPCG(uint64(n), 1)).Perm(n)
		var rows []warehouse.Row
		for _, i := range order {
			raw, _ := json.Marshal(make(i))
			r, err := warehouse.Prepare(ty, raw, 1, deleted(i))
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		if err := wh.Apply(ctx, conn, ty, rows, nil); err != nil {
			t.Fatal(err)
		}
	}
	every := func(k int) func(int) bool { return func(i int) bool { return i%k == k-1 } }
	seed(e.conn, "charges", 300, charge, every(13))
	seed(e.other, "charges", 40, charge, every(1000))
	seed(e.conn, "invoices", 150, invoice, every(11))
	seed(e.conn, "customers", 120, customer, every(9))
	seed(e.conn, "subscriptions", 100, subscription, every(7))
	return e
}

// created spaces objects a minute apart, newest first; one in four shares
// its second with the one before it.
func created(i int) int64 {
	c := int64(t0 - i*60)
	if i%4 == 1 {
		c += 60
	}
	return c
}

func pick[T any](i int, vs ...T) T { return vs[i%len(vs)] }

func charge(i int) map[string]any {
	o := map[string]any{"id": fmt.Sprintf("ch_3%06dx", 900_000-i), "object": "charge", "created": created(i),
		"amount": 1000 + (i*37)%500, "amount_refunded": 0, "currency": pick(i, "usd", "usd", "jpy"),
		"status": pick(i, "succeeded", "succeeded", "failed", "pending"), "livemode": false,
		"description": pick(i, fmt.Sprintf("Order #%d", i), fmt.Sprintf("Order #%d, \"gift\"\nwrapped", i)),
		"metadata":    map[string]any{"order": i}, "payment_method_details": map[string]any{"type": "card",
			"card": map[string]any{"brand": "visa", "checks": map[string]any{}}},
		"refunds": map[string]any{"data": []any{}, "has_more": false}}
	if i%5 != 0 {
		o["customer"] = fmt.Sprintf("cus_%04d", i%17)
	}
	if i%3 == 2 {
		o["failure_code"] = "card_declined"
	}
	if i%29 == 3 {
		delete(o, "amount") // a NULL in a sortable column
	}
	return o
}

func invoice(i int) map[string]any {
	o := map[string]any{"id": fmt.Sprintf("in_1%06d", 900_000-i), "object": "invoice", "created": created(i),
		"number": fmt.Sprintf("INV-%04d", i), "status": pick(i, "draft", "open", "paid", "paid", "uncollectible", "void"),
		"customer": fmt.Sprintf("cus_%04d", i%17), "customer_email": fmt.Sprintf("Jenny.Rosen%d@Example.com", i%23),
		"currency": pick(i, "usd", "jpy"), "total": 500 * (i % 9), "amount_due": 500 * (i % 9), "amount_remaining": 0,
		"livemode": false}
	if i%6 == 0 {
		delete(o, "amount_due")
	}
	if i%3 == 0 {
		o["due_date"] = created(i) + int64(86400*(i%5))
	}
	return o
}

func customer(i int) map[string]any {
	o := map[string]any{"id": fmt.Sprintf("cus_%04d", i), "object": "customer", "created": created(i),
		"currency": pick(i, "usd", "jpy"), "balance": -100 * (i % 4), "delinquent": i%10 == 0, "livemode": false,
		"description": pick(i, "Regular", "Wholesale, \"VIP\"")}
	if i%8 != 0 {
		o["email"] = fmt.Sprintf("person%d@example.com", i%50)
	}
	if i%5 != 0 {
		o["name"] = pick(i, "Jenny Rosen", "Ada Lovelace", "Émile Zola")
	}
	return o
}

func subscription(i int) map[string]any {
	o := map[string]any{"id": fmt.Sprintf("sub_1%05d", 90_000-i), "object": "subscription", "created": created(i),
		"customer": fmt.Sprintf("cus_%04d", i%17), "status": pick(i, "active", "active", "trialing", "past_due", "canceled"),
		"currency": "usd", "cancel_at_period_end": i%4 == 0, "collection_method": "charge_automatically",
		"livemode": false}
	if i%6 != 0 {
		o["current_period_end"] = created(i%20) + 30*86400
	}
	return o
}

// want returns the ids q should show, in order, computed independently of
// the Pager: one plain SQL query for the connection's live rows in the
// sort order (ties by rowid: opposite to created's direction for the date,
// as its index holds them; the same way for the other columns), and the
// filters applied in Go.
func (e *env) want(t testing.TB, q Query) []string {
	t.Helper()
	s, ok := specByName(q.View)
	if !ok {
		t.Fatalf("no view %q", q.View)
	}
	col, dir, tie := q.SortBy, "DESC", "DESC"
	if col == "" || col == "created" {
		col, tie = "created", "ASC"
	}
	if q.Asc {
		dir, tie = "ASC", map[string]string{"ASC": "DESC", "DESC": "ASC"}[tie]
	}
	status := "NULL"
	if len(s.Statuses) > 0 {
		status = "status"
	}
	textCols := slices.Clone(s.search)
	for _, p := range refPrefixes(s) {
		textCols = append(textCols, s.refIDs[p])
	}
	query := fmt.Sprintf("SELECT id, created, ifnull(%s, ''), %s FROM %s WHERE connection_id = ? AND is_deleted = 0 ORDER BY %s %s, rowid %s",
		status, "ifnull("+strings.Join(textCols, ", '') || char(0) || ifnull(")+", '')", s.table, col, dir, tie)
	rows, err := e.db.Reader().Query(query, q.ConnID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	term := strings.TrimSpace(q.Search)
	var out []string
	for rows.Next() {
		var id, st, text string
		var c int64
		if err := rows.Scan(&id, &c, &st, &text); err != nil {
			t.Fatal(err)
		}
		vals := strings.Split(text, "\x00")
		switch {
		case q.Status != "" && st != q.Status,
			!q.From.IsZero() && c < q.From.Unix(),
			!q.To.IsZero() && c >= q.To.Unix(),
			term != "" && !matches(s, term, id, vals):
			continue
		}
		out = append(out, id)
	}
	return out
}

// matches is the search rule, written out plainly: an id prefix of the
// view's own ids matches ids starting with the term; another object's id
// prefix matches its column exactly; else a case-insensitive substring
// of a search column.
func matches(s spec, term, id string, vals []string) bool {
	lower := strings.ToLower(term)
	for _, p := range s.ownIDs {
		if strings.HasPrefix(lower, p) {
			return strings.HasPrefix(id, p+term[len(p):])
		}
	}
	for i, p := range refPrefixes(s) {
		if strings.HasPrefix(lower, p) {
			return vals[len(s.search)+i] == p+term[len(p):]
		}
	}
	for _, v := range vals[:len(s.search)] {
		if strings.Contains(strings.ToLower(v), lower) {
			return true
		}
	}
	return false
}

func refPrefixes(s spec) []string {
	ps := slices.Collect(maps.Keys(s.refIDs))
	slices.Sort(ps)
	return ps
}

func ids(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}
