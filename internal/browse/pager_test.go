package browse

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// queries are the filters every view is checked with.
func queries(e *env, v View) map[string]Query {
	mid := time.Unix(t0-100*60, 0)
	qs := map[string]Query{
		"everything":   {},
		"a date range": {From: time.Unix(t0-200*60, 0), To: mid},
		"from a date":  {From: mid},
		"a word": {Search: map[string]string{"payments": " GIFT ", "invoices": "rosen1", "customers": "vip",
			"subscriptions": "_001"}[v.Name]},
		"an id prefix": {Search: map[string]string{"payments": "CH_3900", "invoices": "in_19000", "customers": "cus_001",
			"subscriptions": "sub_1900"}[v.Name]},
		"a customer id": {Search: "cus_0003"},
		"no match":      {Search: "nothing like this"},
	}
	if len(v.Statuses) > 0 {
		qs["a status"] = Query{Status: v.Statuses[0]}
		qs["a status and dates"] = Query{Status: v.Statuses[len(v.Statuses)-1], To: mid}
		qs["a status and a word"] = Query{Status: v.Statuses[0], Search: "0"}
	}
	return qs
}

// forEachQuery runs fn for every view, sortable column, direction and
// filter.
func forEachQuery(t *testing.T, e *env, fn func(t *testing.T, q Query)) {
	for _, v := range Views() {
		for _, c := range v.Columns {
			if !c.Sortable {
				continue
			}
			for _, asc := range []bool{false, true} {
				for name, q := range queries(e, v) {
					q.ConnID, q.View, q.SortBy, q.Asc = e.conn, v.Name, c.Key, asc
					dir := map[bool]string{false: "down", true: "up"}[asc]
					t.Run(v.Name+"/"+c.Key+" "+dir+"/"+name, func(t *testing.T) { fn(t, q) })
				}
			}
		}
	}
}

// small makes a Pager's steps small, so a few hundred rows exercise its
// anchors; noRaw makes it leave deleted rows out in SQL even when an index
// answers the filter.
func small(pg *Pager, noRaw bool) {
	if k, ok := pg.src.(*keysetPager); ok {
		k.rawChunk, k.liveChunk = 16, 8
		if noRaw {
			k.maxDeleted = -1
		}
	}
}

func TestRowsFollowTheQueryOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	forEachQuery(t, e, func(t *testing.T, q Query) {
		want := e.want(t, q)
		for _, noRaw := range []bool{false, true} {
			t.Run("a walk in pages of 7 gives every row once, in order", func(t *testing.T) {
				pg, err := e.b.Open(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				small(pg, noRaw)
				var got []string
				for from := 0; ; from += 7 {
					rows, err := pg.Rows(ctx, from, 7)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, ids(rows)...)
					if len(rows) < 7 {
						break
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("walk = %v\nwant   %v", got, want)
				}
			})
			t.Run("Count is the number of rows", func(t *testing.T) {
				pg, _ := e.b.Open(ctx, q)
				small(pg, noRaw)
				if n, err := pg.Count(ctx); err != nil || n != len(want) {
					t.Errorf("Count = %d, %v; want %d", n, err, len(want))
				}
			})
			t.Run("jumps forward, backward and near the end give the walk's rows", func(t *testing.T) {
				pg, _ := e.b.Open(ctx, q)
				small(pg, noRaw)
				r := rand.New(rand.NewPCG(uint64(len(want)), 3))
				positions := append(r.Perm(len(want) + 3)[:min(40, len(want)+3)], len(want)+1, len(want)-1, len(want)-2, 0)
				for i, p := range positions {
					if p < 0 {
						continue
					}
					if i == len(positions)/2 { // half before counting, half after
						if _, err := pg.Count(ctx); err != nil {
							t.Fatal(err)
						}
					}
					rows, err := pg.Rows(ctx, p, 5)
					if err != nil {
						t.Fatal(err)
					}
					exp := want[min(p, len(want)):min(p+5, len(want))]
					if !slices.Equal(ids(rows), exp) {
						t.Fatalf("Rows(%d, 5) = %v, want %v", p, ids(rows), exp)
					}
				}
			})
		}
	})
}
