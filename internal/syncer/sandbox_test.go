package syncer

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// sandboxEnv is the real sandbox, in this process on 127.0.0.1, and an env
// connected to its first account with that account's restricted key.
type sandboxEnv struct {
	*env
	sb      *sandbox.Server
	base    string
	account string
}

func newSandboxEnv(t testing.TB, opts sandbox.Options) *sandboxEnv {
	t.Helper()
	opts.Accounts = 1
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	info := sb.Info()
	acct := info.Accounts[0]
	return &sandboxEnv{env: newEnv(t, acct.ID, acct.APIKey), sb: sb, base: srv.URL, account: acct.ID}
}

// truth is the sandbox's /_sandbox/truth for the account.
func (s *sandboxEnv) truth() map[string]warehouse.Count {
	s.t.Helper()
	tr, ok := s.sb.Truth(s.account)
	if !ok {
		s.t.Fatalf("the sandbox doesn't know account %s", s.account)
	}
	out := make(map[string]warehouse.Count, len(tr))
	for k, c := range tr {
		out[k] = warehouse.Count{Live: int64(c.Live), Deleted: int64(c.Deleted)}
	}
	return out
}

func TestSyncMatchesSandboxTruth(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []int64{1, 2} {
		t.Run("a backfill stores exactly the sandbox's truth, seed "+string(rune('0'+seed)), func(t *testing.T) {
			s := newSandboxEnv(t, sandbox.Options{Seed: seed, Scale: 1500})
			if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
				t.Fatalf("Sync: %v", err)
			}
			truth := s.truth()
			t.Logf("truth: %v", truth)
			s.requireCounts(truth)
			s.integrity()
		})
	}
}
