package browse

import (
	"context"
	"fmt"
	"testing"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// benchCharges is the size of the benchmark database (built once, cached;
// see testkit.ChargesDB).
const benchCharges = 1_000_000

// BenchmarkOpenPaymentsCount opens the Payments tab of a connection with a
// million charges and counts them, as the window does when the tab opens.
// Target: ≤ ~100 ms.
func BenchmarkOpenPaymentsCount(b *testing.B) {
	db, conn := testkit.ChargesDB(b, benchCharges)
	br, ctx := New(db.Reader()), context.Background()
	for b.Loop() {
		pg, err := br.Open(ctx, Query{ConnID: conn, View: "payments"})
		if err != nil {
			b.Fatal(err)
		}
		if n, err := pg.Count(ctx); err != nil || n != benchCharges-benchCharges/50_000 {
			b.Fatalf("Count = %d, %v", n, err)
		}
	}
}

func BenchmarkRowsAt0(b *testing.B)      { benchRowsAt(b, 0) }
func BenchmarkRowsAt500000(b *testing.B) { benchRowsAt(b, 500_000) }
func BenchmarkRowsAt999000(b *testing.B) { benchRowsAt(b, 999_000) }

// benchRowsAt fetches a screen (50 rows) of Payments at position pos with a
// fresh Pager each time: "counted" after the Pager's Count (what the window
// does: it counts when the tab opens, then scrolls), "cold" before any
// Count (from the start, as the end is not known yet). Target: ≤ ~30 ms.
func benchRowsAt(b *testing.B, pos int) {
	db, conn := testkit.ChargesDB(b, benchCharges)
	br, ctx := New(db.Reader()), context.Background()
	for _, counted := range []bool{true, false} {
		b.Run(map[bool]string{true: "counted", false: "cold"}[counted], func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				pg, err := br.Open(ctx, Query{ConnID: conn, View: "payments"})
				if err != nil {
					b.Fatal(err)
				}
				if counted {
					if _, err := pg.Count(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				rows, err := pg.Rows(ctx, pos, 50)
				if err != nil || len(rows) != 50 {
					b.Fatal(fmt.Sprint("Rows = ", len(rows), err))
				}
			}
		})
	}
}

// BenchmarkPlainCountForReference is SQLite's own count of the same index
// entries, the floor under BenchmarkOpenPaymentsCount (whose Count also
// notes a key every 16,384 rows on the way).
func BenchmarkPlainCountForReference(b *testing.B) {
	db, conn := testkit.ChargesDB(b, benchCharges)
	ctx := context.Background()
	for b.Loop() {
		var n int
		err := db.Reader().QueryRowContext(ctx,
			"SELECT count(*) FROM stripe_charges WHERE connection_id = ? AND created IS NOT NULL", conn).Scan(&n)
		if err != nil || n != benchCharges {
			b.Fatal(n, err)
		}
	}
}
