package testkit

import (
	"context"
	"testing"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

func TestChargesDB(t *testing.T) {
	ctx := context.Background()
	const n = 2000
	db, connID := ChargesDB(t, n)

	t.Run("holds n live charges of one connection, with realistic JSON", func(t *testing.T) {
		wh, err := warehouse.New(warehouse.Options{DB: db})
		if err != nil {
			t.Fatal(err)
		}
		counts, err := wh.Counts(ctx, connID)
		if err != nil {
			t.Fatal(err)
		}
		if got := counts["charges"]; got.Live != n || got.Deleted != 0 {
			t.Errorf("charges = %+v, want %d live", got, n)
		}
		var avg float64
		var currencies, statuses, ties int
		err = db.Reader().QueryRowContext(ctx, `SELECT avg(length(data)), count(DISTINCT currency), count(DISTINCT status),
			(SELECT count(*) FROM (SELECT created FROM stripe_charges GROUP BY created HAVING count(*) > 1))
			FROM stripe_charges WHERE connection_id = ?`, connID).Scan(&avg, &currencies, &statuses, &ties)
		if err != nil {
			t.Fatal(err)
		}
		if avg < 1300 || avg > 1800 {
			t.Errorf("a charge's JSON is %.0f bytes on average, want about 1.5 KB", avg)
		}
		if currencies != 4 || statuses != 3 {
			t.Errorf("%d currencies and %d statuses, want 4 and 3", currencies, statuses)
		}
		if ties != n/10 {
			t.Errorf("%d created seconds shared by two charges, want %d", ties, n/10)
		}
	})

	t.Run("gives every caller in the process the same database", func(t *testing.T) {
		again, id := ChargesDB(t, n)
		if again != db || id != connID {
			t.Error("a second call opened another database")
		}
	})

	t.Run("gives distinct ids that sort by time, as Stripe's do", func(t *testing.T) {
		prev := warehouse.Row{}
		for i := range 5000 {
			r, err := warehouse.Prepare(mustCharges(t), appendCharge(nil, i), 1, false)
			if err != nil {
				t.Fatal(err)
			}
			if i > 0 && (r.ID >= prev.ID && r.Created < prev.Created || r.ID == prev.ID) {
				t.Fatalf("charge %d: id %s created %d after %s created %d", i, r.ID, r.Created, prev.ID, prev.Created)
			}
			prev = r
		}
	})
}

func mustCharges(t *testing.T) warehouse.Type {
	t.Helper()
	ty, ok := warehouse.TypeByName("charges")
	if !ok {
		t.Fatal("no charges type")
	}
	return ty
}
