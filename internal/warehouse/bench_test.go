package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
)

// BenchmarkPrepareCharge prepares realistic charges (≈2.8 KB pretty JSON
// with nulls, as Stripe sends them) on one goroutine. Target: ≥ 25,000/s.
func BenchmarkPrepareCharge(b *testing.B) {
	charges := mustType(b, "charges")
	raws := chargePages(1, 100)
	var n, in int
	b.ReportAllocs()
	for b.Loop() {
		raw := raws[n%len(raws)]
		if _, err := Prepare(charges, raw, 1, false); err != nil {
			b.Fatal(err)
		}
		n++
		in += len(raw)
	}
	b.SetBytes(int64(in / n))
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkPrepareChargeParallel is BenchmarkPrepareCharge on every core,
// as the sync engine's decoders run beside the writer.
func BenchmarkPrepareChargeParallel(b *testing.B) {
	charges := mustType(b, "charges")
	raws := chargePages(1, 100)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := Prepare(charges, raws[i%len(raws)], 1, false); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// pageSizes are the page sizes the write benchmarks compare: SQLite's
// default, which store.Open uses today, and the largest.
var pageSizes = []int{4096, 65536}

// BenchmarkApplyChargePages writes pages of 100 new charges (≈1.7 KB of
// compact JSON each), one transaction per page, the way a backfill does:
// newest first, with ids that sort by time as Stripe's do, into a growing
// table. Target: ≥ 26,000 rows/s.
func BenchmarkApplyChargePages(b *testing.B) {
	for _, ps := range pageSizes {
		b.Run(fmt.Sprintf("page_size=%d", ps), func(b *testing.B) {
			e := newEnvPageSize(b, ps)
			charges := mustType(b, "charges")
			template := preparedCharges(b, 1000)
			ids := newFakeIDs(3)
			ctx := context.Background()
			page := make([]Row, 100)
			rows := 0
			for b.Loop() {
				for i := range page {
					// The template's data with a new id and time, going back.
					page[i] = template[(rows+i)%len(template)]
					page[i].Created = 1_800_000_000 - int64(rows+i)*7
					page[i].ID = ids.ordered("ch", page[i].Created, 24)
				}
				if err := e.w.Apply(ctx, e.connID, charges, page, nil); err != nil {
					b.Fatal(err)
				}
				rows += len(page)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkChargeBytesOnDisk writes 100,000 realistic charges newest first
// in pages of 100 and reports what they take on disk, indexes included:
// from SQLite's dbstat for the table and its indexes (table_B/charge, the
// figure the ≤ 2,048-byte target is about), the database file after a
// checkpoint (file_B/charge, which also holds the other, empty tables),
// and the compact JSON alone (json_B/charge). Run with -benchtime 1x.
func BenchmarkChargeBytesOnDisk(b *testing.B) {
	const total = 100_000
	charges := mustType(b, "charges")
	ctx := context.Background()
	for _, ps := range pageSizes {
		b.Run(fmt.Sprintf("page_size=%d", ps), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				e := newEnvPageSize(b, ps)
				ids := newFakeIDs(11)
				b.StartTimer()
				for start := total - 1; start >= 0; start -= 100 {
					page := make([]Row, 0, 100)
					for i := start; i > start-100; i-- {
						r, err := Prepare(charges, pretty(chargeFixture(ids, i)), 1, false)
						if err != nil {
							b.Fatal(err)
						}
						page = append(page, r)
					}
					if err := e.w.Apply(ctx, e.connID, charges, page, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				reportBytes(b, e, total)
				b.StartTimer()
			}
		})
	}
}

// reportBytes reports the charges' bytes per row (see
// BenchmarkChargeBytesOnDisk).
func reportBytes(b *testing.B, e *env, total int) {
	var tableBytes, jsonBytes int64
	err := e.db.Reader().QueryRow(`SELECT sum(pgsize) FROM dbstat WHERE name = 'stripe_charges'
		OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'stripe_charges')`).Scan(&tableBytes)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.db.Reader().QueryRow(`SELECT sum(length(data)) FROM stripe_charges`).Scan(&jsonBytes); err != nil {
		b.Fatal(err)
	}
	if err := e.db.WriteTx(context.Background(), func(*sql.Tx) error { return nil }); err != nil {
		b.Fatal(err)
	}
	var busy, logged, done int
	if err := e.db.Reader().QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil || busy != 0 {
		b.Logf("checkpoint: busy %d, %v", busy, err)
	}
	fi, err := os.Stat(e.db.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(tableBytes)/float64(total), "table_B/charge")
	b.ReportMetric(float64(fi.Size())/float64(total), "file_B/charge")
	b.ReportMetric(float64(jsonBytes)/float64(total), "json_B/charge")
}

// chargePages returns n pretty-printed charges.
func chargePages(seed uint64, n int) [][]byte {
	ids := newFakeIDs(seed)
	raws := make([][]byte, n)
	for i := range raws {
		raws[i] = pretty(chargeFixture(ids, i))
	}
	return raws
}

// preparedCharges returns n prepared charges.
func preparedCharges(b *testing.B, n int) []Row {
	charges := mustType(b, "charges")
	rows := make([]Row, n)
	for i, raw := range chargePages(2, n) {
		r, err := Prepare(charges, raw, 1, false)
		if err != nil {
			b.Fatal(err)
		}
		rows[i] = r
	}
	return rows
}
