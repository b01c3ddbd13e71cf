package syncer

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// betweenLists stages, in the sandbox behind it, changes made after the
// refunds' listing served its first (newest) page and before the charges'
// listing asks for its own: those charges' requests wait until then.
type betweenLists struct {
	between func() // the changes; run once, inside the first refunds request
	once    sync.Once
	done    chan struct{}
	late    chan struct{} // closed when a charges request gave up waiting
	lateOne sync.Once
}

func (b *betweenLists) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/charges":
			select {
			case <-b.done:
			case <-time.After(20 * time.Second):
				b.lateOne.Do(func() { close(b.late) })
			}
			h.ServeHTTP(w, r)
		case "/v1/refunds":
			h.ServeHTTP(w, r)
			b.once.Do(func() { b.between(); close(b.done) })
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// sandboxClock is the sandbox's clock: the real one, or a time set.
type sandboxClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *sandboxClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

func (c *sandboxClock) set(at time.Time) {
	c.mu.Lock()
	c.at = at
	c.mu.Unlock()
}

func TestFirstForwardPassStartsFromTheListingsStart(t *testing.T) {
	t.Run("a refund made between two lists, older than the newest balance transaction stored, gets its balance transaction", func(t *testing.T) {
		ctx := context.Background()
		clock := &sandboxClock{}
		began := time.Now()
		var (
			mu      sync.Mutex
			s       *sandboxEnv
			refund  string // made once the refunds' listing is past its newest page
			charge  string // made after it, before the charges' listing starts
			madeErr error
		)
		gate := &betweenLists{done: make(chan struct{}), late: make(chan struct{})}
		gate.between = func() {
			mu.Lock()
			defer mu.Unlock()
			// Dated 20 s before the sync began: newer than every refund
			// listed, older than the charge made next.
			clock.set(began.Add(-20 * time.Second))
			r, err := s.sb.Mutate(s.account, "refunds", "create", 1, "")
			if err != nil {
				madeErr = err
				return
			}
			clock.set(time.Time{})
			c, err := s.sb.Mutate(s.account, "charges", "create", 1, "")
			if err != nil {
				madeErr = err
				return
			}
			refund = r[0].ID
			for _, ch := range c {
				if ch.Type == "charges" {
					charge = ch.ID
				}
			}
		}
		env := newSandboxEnv(t, sandbox.Options{Seed: 7, Scale: 600, Now: clock.now}, gate.wrap)
		mu.Lock()
		s = env
		mu.Unlock()

		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		select {
		case <-gate.late:
			t.Fatal("the charges' listing did not wait for the refunds' first page")
		default:
		}
		mu.Lock()
		defer mu.Unlock()
		if madeErr != nil || refund == "" || charge == "" {
			t.Fatalf("the changes between the lists: refund %q, charge %q, err %v", refund, charge, madeErr)
		}

		// What makes the old start ("newest stored − 1 s") miss it.
		refundTxn := s.object("/v1/refunds/" + refund)["balance_transaction"].(string)
		chargeTxn := s.object("/v1/charges/" + charge)["balance_transaction"].(string)
		refundAt := int64(s.object("/v1/balance_transactions/" + refundTxn)["created"].(float64))
		if got := s.queryString(`SELECT id FROM stripe_balance_transactions WHERE connection_id = ? ORDER BY created DESC, id DESC LIMIT 1`, s.connID); got != chargeTxn {
			t.Fatalf("the newest balance transaction stored is %s, want the new charge's %s", got, chargeTxn)
		}
		var newest int64
		if err := s.db.Reader().QueryRow(`SELECT MAX(created) FROM stripe_balance_transactions WHERE connection_id = ?`, s.connID).Scan(&newest); err != nil {
			t.Fatal(err)
		}
		if refundAt >= newest-1 {
			t.Fatalf("the refund's balance transaction (created %d) is not older than the newest stored (%d) less a second", refundAt, newest)
		}

		if got := s.queryString(`SELECT COUNT(*) FROM stripe_balance_transactions WHERE id = ?`, refundTxn); got != "1" {
			t.Errorf("the refund's balance transaction %s is not stored after the sync", refundTxn)
		}
		s.requireCounts(s.truth())
		if st := s.state("balance_transactions"); st.Phase != PhaseReady || st.CaughtUpAt.Before(st.CompletedAt) {
			t.Errorf("balance transactions: phase %q, caught up %v, listing completed %v", st.Phase, st.CaughtUpAt, st.CompletedAt)
		}
	})
}
