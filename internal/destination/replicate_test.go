package destination

import (
	"context"
	"testing"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

func TestReplication(t *testing.T) {
	pg := testkit.StartPostgres(t)
	pg.SQL("postgres", "CREATE DATABASE team")
	ctx := context.Background()

	for _, seed := range []int64{1, 2} {
		t.Run("seed "+string(rune('0'+seed)), func(t *testing.T) {
			a := syncedAccount(t, seed, 600, "")
			schema := "copy" + string(rune('0'+seed))
			d, pw := a.addDestination(t, pg, "team", schema)
			r := NewReplicator(a.local, d, pw, Options{Batch: 700})
			defer r.Close()
			conn := superConn(t, pg, "team", schema)

			t.Run("the initial copy equals the local rows, row for row", func(t *testing.T) {
				n := catchUp(t, r)
				counts := assertSameRows(t, a.db, conn)
				total := 0
				for _, c := range counts {
					total += c
				}
				if n != total || total == 0 {
					t.Errorf("the initial copy covered %d log entries; the warehouse holds %d rows", n, total)
				}
			})
			t.Run("updates, new objects and deletions in Stripe follow", func(t *testing.T) {
				a.mutate(t, "customers", "update", 7)
				a.mutate(t, "customers", "create", 3)
				a.mutate(t, "invoices", "delete", 4)
				a.mutate(t, "products", "delete", 2)
				a.sync(t)
				if n := catchUp(t, r); n == 0 {
					t.Fatal("the sync's changes reached no log")
				}
				assertSameRows(t, a.db, conn)
			})
			t.Run("the applied log is pruned", func(t *testing.T) {
				var left int
				if err := a.db.Reader().QueryRow(`SELECT count(*) FROM destination_changes`).Scan(&left); err != nil {
					t.Fatal(err)
				}
				if left != 0 {
					t.Errorf("%d log entries left after the only destination applied them all", left)
				}
			})
			t.Run("rows deleted locally stay as tombstones", func(t *testing.T) {
				var before int
				if err := conn.QueryRow(ctx, `SELECT count(*) FROM stripe_charges WHERE connection_id = $1`, a.connID).Scan(&before); err != nil {
					t.Fatal(err)
				}
				if err := a.db.DeleteConnection(ctx, a.connID); err != nil {
					t.Fatal(err)
				}
				catchUp(t, r)
				var rows, live int
				if err := conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT is_deleted) FROM stripe_charges WHERE connection_id = $1`,
					a.connID).Scan(&rows, &live); err != nil {
					t.Fatal(err)
				}
				if rows != before || live != 0 || before == 0 {
					t.Errorf("after the connection's deletion: %d rows, %d not deleted; want %d, 0", rows, live, before)
				}
			})
		})
	}
}
