package syncer

import (
	"context"
	"testing"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// Against Stripe's stripe-mock, which checks every request against Stripe's
// OpenAPI description (an unknown parameter or a bad value is a 400): a
// full sync completes and each table holds stripe-mock's fixture row.
// stripe-mock's lists hold one fixture object and ignore filters, so this
// checks request shapes (limits, created filters, cursors, status=all,
// children's endpoints), not sync logic. Without stripe-mock installed the
// test skips, unless LEDGERLINE_CONTRACT_TESTS=1 (as in CI).
func TestSyncAgainstStripeMock(t *testing.T) {
	base := testkit.StartStripeMock(t)
	e := newEnv(t, "acct_mock", "sk_test_contractSyncKey0123456789")
	eng := e.engine(base, Params{})
	ctx := context.Background()
	if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
		t.Fatalf("Sync against stripe-mock: %v", err)
	}
	for name, c := range e.counts() {
		if c.Live < 1 {
			t.Errorf("%s holds no row", name)
		}
	}
	p, err := eng.Progress(ctx, e.connID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range p.Types {
		if tp.Phase != PhaseReady || tp.LastError != "" {
			t.Errorf("%s: phase %q, error %q", tp.Type, tp.Phase, tp.LastError)
		}
	}
	// A second sync finds nothing new and still succeeds (events catch-up,
	// forward scans with created filters).
	if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
		t.Fatalf("second Sync against stripe-mock: %v", err)
	}
}
