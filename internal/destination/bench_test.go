package destination

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// The targets, measured on a sandbox account of
// LEDGERLINE_DEST_BENCH_SCALE objects (default 20,000; the figure
// is at 1,000,000): the initial copy's rows/s into a PostgreSQL 15 on the
// same machine (≥ 40,000), a change's way from SQLite to PostgreSQL while
// a replicator follows (≤ 2 s median), and the sync's objects/s with a
// destination's triggers against without (≤ 5% slower).

func benchScale() int {
	if n, err := strconv.Atoi(os.Getenv("LEDGERLINE_DEST_BENCH_SCALE")); err == nil && n > 0 {
		return n
	}
	return 20000
}

func warehouseRows(b *testing.B, a *account) int64 {
	var total int64
	for _, tbl := range tables() {
		var n int64
		if err := a.db.Reader().QueryRow(`SELECT count(*) FROM ` + tbl.name).Scan(&n); err != nil {
			b.Fatal(err)
		}
		total += n
	}
	return total
}

// BenchmarkSyncOverhead syncs the same sandbox account into fresh folders,
// alternately without a destination and with one (its triggers logging
// every row), and reports both medians in objects/s.
func BenchmarkSyncOverhead(b *testing.B) {
	scale := benchScale()
	var without, with []float64
	for i := 0; i < b.N; i++ {
		for _, withDest := range []bool{false, true} {
			start := time.Now()
			a := syncedAccountSetup(b, 7, scale, withDest)
			a.sync(b)
			rate := float64(warehouseRows(b, a)) / time.Since(start).Seconds()
			if withDest {
				with = append(with, rate)
			} else {
				without = append(without, rate)
			}
		}
	}
	w, d := median(without), median(with)
	b.ReportMetric(w, "objects/s-without")
	b.ReportMetric(d, "objects/s-with")
	b.ReportMetric(100*(w-d)/w, "%slower")
}

// BenchmarkInitialCopy copies a synced account into a new schema each
// time and reports rows/s.
func BenchmarkInitialCopy(b *testing.B) {
	pg := testkit.StartPostgres(b)
	pg.SQL("postgres", "CREATE DATABASE team")
	a := syncedAccount(b, 8, benchScale(), "")
	rows := warehouseRows(b, a)
	var rates []float64
	for i := 0; i < b.N; i++ {
		d, pw := a.addDestination(b, pg, "team", "copy"+strconv.Itoa(i))
		r := NewReplicator(a.local, d, pw, Options{})
		start := time.Now()
		if _, err := r.CatchUp(context.Background()); err != nil {
			b.Fatal(err)
		}
		rates = append(rates, float64(rows)/time.Since(start).Seconds())
		r.Close()
		if err := a.local.Remove(context.Background(), d.ID, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(median(rates), "rows/s")
}

// BenchmarkChangeLatency commits one changed customer at a time to SQLite
// while a replicator follows, and reports the median time until
// PostgreSQL holds it.
func BenchmarkChangeLatency(b *testing.B) {
	pg := testkit.StartPostgres(b)
	pg.SQL("postgres", "CREATE DATABASE team")
	a := syncedAccount(b, 9, 2000, "")
	d, pw := a.addDestination(b, pg, "team", "fresh")
	r := NewReplicator(a.local, d, pw, Options{})
	defer r.Close()
	if _, err := r.CatchUp(context.Background()); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Follow(ctx, nil) }()
	conn := superConn(b, pg, "team", "fresh")
	var id string
	if err := a.db.Reader().QueryRow(`SELECT id FROM stripe_customers LIMIT 1`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	var lat []float64
	for i := 0; i < b.N*10; i++ {
		version := time.Now().UnixMilli() + int64(i)
		start := time.Now()
		if err := a.db.WriteTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE stripe_customers SET version = ? WHERE connection_id = ? AND id = ?`, version, a.connID, id)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		for {
			var got int64
			err := conn.QueryRow(ctx, `SELECT version FROM stripe_customers WHERE id = $1`, id).Scan(&got)
			if err != nil && err != pgx.ErrNoRows {
				b.Fatal(err)
			}
			if got == version {
				break
			}
			if time.Since(start) > 30*time.Second {
				b.Fatal("a change took more than 30 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		lat = append(lat, float64(time.Since(start).Milliseconds()))
	}
	b.ReportMetric(median(lat), "ms-median")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
