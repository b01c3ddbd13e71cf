package syncer

import (
	"context"
	"testing"
	"time"
)

func TestSyncAgainstFake(t *testing.T) {
	ctx := context.Background()

	t.Run("a backfill stores exactly what the account holds, children past the first ten included", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 40, "invoices": 120, "charges": 250}, 12, 400*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		eng := e.engine(f.srv.URL, Params{})
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		e.requireCounts(f.truth())
		e.integrity()
		st := e.state("charges")
		if st.Phase != PhaseReady || len(st.Ranges) != 0 || st.Synced != 250 {
			t.Errorf("charges state after backfill: phase %q, ranges %d, synced %d", st.Phase, len(st.Ranges), st.Synced)
		}
	})

	t.Run("mutations then an incremental sync: still exact, updated fields match", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 30}, 2, 40*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		eng := e.engine(f.srv.URL, Params{})
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("first Sync: %v", err)
		}
		f.mutate("customers", "create")
		updated := f.mutate("charges", "update")
		f.mutate("invoices", "delete")
		f.mutate("subscriptions", "delete")
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("second Sync: %v", err)
		}
		e.requireCounts(f.truth())
		got := e.queryString(`SELECT json_extract(data, '$.description') FROM stripe_charges WHERE id = ?`, updated)
		if want := f.field(updated, "description"); got != want {
			t.Errorf("updated charge's description = %q, want %q", got, want)
		}
	})
}
