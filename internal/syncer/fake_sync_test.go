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

}
