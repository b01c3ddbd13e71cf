package syncer

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// requestLog records the query of every list request, by path.
type requestLog struct {
	mu      sync.Mutex
	queries map[string][]string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		if l.queries == nil {
			l.queries = map[string][]string{}
		}
		l.queries[r.URL.Path] = append(l.queries[r.URL.Path], r.URL.RawQuery)
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *requestLog) of(path string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.queries[path]...)
}

func TestBalanceTransactionsComeWithTheirSources(t *testing.T) {
	ctx := context.Background()
	var log requestLog
	s := newSandboxEnv(t, sandbox.Options{Seed: 5, Scale: 3000}, log.wrap)
	if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	truth := s.truth()
	s.requireCounts(truth)

	t.Run("charges, refunds and payouts are listed with their balance transactions expanded", func(t *testing.T) {
		for _, path := range []string{"/v1/charges", "/v1/refunds", "/v1/payouts"} {
			qs := log.of(path)
			if len(qs) == 0 {
				t.Fatalf("no request to %s", path)
			}
			for _, q := range qs {
				if !strings.Contains(q, "expand%5B%5D=data.balance_transaction") {
					t.Fatalf("%s?%s does not expand", path, q)
				}
			}
		}
	})
	t.Run("the balance transactions list asks only for the other types, each once, then what came since", func(t *testing.T) {
		bts, _ := warehouse.TypeByName("balance_transactions")
		first := map[string]int{}
		for _, q := range log.of("/v1/balance_transactions") {
			typ, links := "", false
			for _, kv := range strings.Split(q, "&") {
				if v, ok := strings.CutPrefix(kv, "type="); ok {
					typ = v
				}
				links = links || strings.HasPrefix(kv, "payout=")
			}
			if links {
				continue // a payout's links (payoutlinks_test.go), not the type's listing
			}
			switch typ {
			case "":
				if !strings.Contains(q, "created%5Bgte%5D") {
					t.Fatalf("an unfiltered list that is not the pass for what came since: ?%s", q)
				}
				continue
			case "charge", "payment", "refund", "payment_refund", "payout":
				t.Fatalf("a list of what expansion brings: ?%s", q)
			}
			if !strings.Contains(q, "starting_after") {
				first[typ]++
			}
		}
		if len(first) != len(bts.FilterValues)-5 {
			t.Errorf("%d types listed, want %d", len(first), len(bts.FilterValues)-5)
		}
		for typ, n := range first {
			if n != 1 {
				t.Errorf("type %s listed %d times from the start", typ, n)
			}
		}
	})
	t.Run("stored objects are Stripe's, the charges' with the balance transaction's id", func(t *testing.T) {
		for _, id := range strings.Split(s.queryString(`SELECT group_concat(id) FROM (SELECT id FROM stripe_charges
			WHERE balance_transaction IS NOT NULL ORDER BY id LIMIT 5)`), ",") {
			want := s.object("/v1/charges/" + id)
			if got := s.stored("stripe_charges", id); !reflect.DeepEqual(got, want) {
				t.Errorf("charge %s:\nstored %v\nstripe %v", id, got, want)
			}
			bt := want["balance_transaction"].(string)
			if got, want := s.stored("stripe_balance_transactions", bt), s.object("/v1/balance_transactions/"+bt); !reflect.DeepEqual(got, want) {
				t.Errorf("balance transaction %s:\nstored %v\nstripe %v", bt, got, want)
			}
		}
	})
	t.Run("the balance transactions' state counts them all and is complete", func(t *testing.T) {
		st := s.state("balance_transactions")
		if st.Phase != PhaseReady || len(st.Ranges) != 0 || st.Synced != truth["balance_transactions"].Live ||
			st.Estimated != st.Synced {
			t.Errorf("state %+v, truth %d", st, truth["balance_transactions"].Live)
		}
	})
}

func TestBalanceTransactionsWithoutTheirSources(t *testing.T) {
	ctx := context.Background()
	t.Run("with charges off, their balance transactions are listed by type; on again, charges alone", func(t *testing.T) {
		var log requestLog
		s := newSandboxEnv(t, sandbox.Options{Seed: 6, Scale: 1500}, log.wrap)
		eng := s.engine(s.base, Params{})
		if err := eng.SetEnabled(ctx, s.connID, "charges", false); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		truth := s.truth()
		if got := s.counts(); got["balance_transactions"] != truth["balance_transactions"] || got["charges"].Live != 0 {
			t.Fatalf("counts %v, truth %v", got, truth)
		}
		charge := 0
		for _, q := range log.of("/v1/balance_transactions") {
			if strings.Contains(q, "type=charge") {
				charge++
			}
		}
		if charge == 0 {
			t.Fatal("the charges' balance transactions were not listed by type")
		}
		if err := eng.SetEnabled(ctx, s.connID, "charges", true); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		s.requireCounts(truth)
	})
	t.Run("with balance transactions off, charges are listed without expansion and none is stored", func(t *testing.T) {
		var log requestLog
		s := newSandboxEnv(t, sandbox.Options{Seed: 6, Scale: 1500}, log.wrap)
		eng := s.engine(s.base, Params{})
		if err := eng.SetEnabled(ctx, s.connID, "balance_transactions", false); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		if n := s.counts()["balance_transactions"]; n.Live != 0 {
			t.Fatalf("%d balance transactions stored while off", n.Live)
		}
		for _, q := range log.of("/v1/charges") {
			if strings.Contains(q, "expand") {
				t.Fatalf("charges expanded while balance transactions are off: ?%s", q)
			}
		}
	})
	t.Run("a listing stopped half way resumes without losing a balance transaction", func(t *testing.T) {
		s := newSandboxEnv(t, sandbox.Options{Seed: 4, Scale: 4000}, nil)
		stop, cancel := context.WithCancel(ctx)
		// Every snapshot, not one per 200 ms: on a fast machine the whole
		// listing can finish within one throttle period, and the stop
		// would come after it.
		eng := s.engine(s.base, Params{PerType: 1, ProgressEvery: time.Nanosecond, Progress: func(p Progress) {
			for _, tp := range p.Types {
				if tp.Type == "charges" && tp.Synced >= 300 {
					cancel()
				}
			}
		}})
		_ = eng.Sync(stop, s.connID, Options{})
		st := s.state("balance_transactions")
		var via *segment
		for _, seg := range st.Ranges {
			if seg.Via == "charges" {
				via = seg
			}
		}
		if via == nil || via.N == 0 || st.Synced < via.N {
			t.Fatalf("after the stop: state %+v, via charges %+v", st, via)
		}
		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("resumed Sync: %v", err)
		}
		s.requireCounts(s.truth())
		s.integrity()
	})
}
