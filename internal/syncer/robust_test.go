package syncer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

func TestSyncSurvivesTrouble(t *testing.T) {
	ctx := context.Background()

	t.Run("with 10% 429s, 5% 500s and 2% connection resets the counts are exact", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 30, "charges": 300, "invoices": 60}, 3, 300*24*time.Hour)
		var faults *faultyHandler
		f.wrap(func(h http.Handler) http.Handler {
			faults = newFaultyHandler(h, 0.10, 0.05, 0.02, 14) // a seed whose first 25 draws hold every fault
			return faults
		})
		e := newEnv(t, "acct_fake", f.key)
		if err := e.engine(f.srv.URL, Params{}).Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		e.requireCounts(f.truth())
		e.integrity()
		if faults.n429.Load() == 0 || faults.n500.Load() == 0 || faults.nResets.Load() == 0 {
			t.Errorf("the faults never struck: 429 %d, 500 %d, resets %d", faults.n429.Load(), faults.n500.Load(), faults.nResets.Load())
		}
	})

	for _, c := range []struct {
		name  string
		spoil func([]byte) []byte
		says  string
	}{
		{"bad JSON", truncate, "not JSON"},
		{"an object without an id", dropFirstID, "has no id"},
	} {
		t.Run("a page with "+c.name+" is fetched again and then reported; nothing of it is written", func(t *testing.T) {
			f := newFakeStripe(t, sizes{"*": 20, "charges": 350}, 0, 300*24*time.Hour)
			bad := &corrupting{path: "/v1/charges", after: 1, times: -1, spoil: c.spoil}
			f.wrap(func(h http.Handler) http.Handler { bad.next = h; return bad })
			e := newEnv(t, "acct_fake", f.key)
			eng := e.engine(f.srv.URL, Params{PerType: 1})
			err := eng.Sync(ctx, e.connID, Options{})
			if !errors.Is(err, ErrMalformedPage) || !strings.Contains(err.Error(), "charges") || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("Sync: %v; want ErrMalformedPage naming charges and saying %q", err, c.says)
			}
			if bad.count() != DefaultRetry().MalformedAttempts {
				t.Errorf("the bad page was fetched %d times, want %d", bad.count(), DefaultRetry().MalformedAttempts)
			}
			got := e.counts()
			if got["charges"].Live != 100 {
				t.Errorf("charges stored: %d, want exactly the one good page (100)", got["charges"].Live)
			}
			st := e.state("charges")
			if st.Phase != PhaseBackfill || st.Synced != 100 || !strings.Contains(st.LastError, c.says) {
				t.Errorf("charges state: phase %q, synced %d, last error %q", st.Phase, st.Synced, st.LastError)
			}
			truth := f.truth()
			if got["customers"] != truth["customers"] {
				t.Errorf("the other types should complete: customers %+v, truth %+v", got["customers"], truth["customers"])
			}

			// Once Stripe sends good pages again, the sync resumes and completes.
			bad.mu.Lock()
			bad.times = bad.done
			bad.mu.Unlock()
			if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
				t.Fatalf("Sync after the fault: %v", err)
			}
			e.requireCounts(truth)
			if st := e.state("charges"); st.LastError != "" || st.Phase != PhaseReady {
				t.Errorf("after recovery: phase %q, last error %q", st.Phase, st.LastError)
			}
		})
	}

	t.Run("a key revoked mid-sync: needs re-authentication, committed rows kept, resumes after re-authentication", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 20, "charges": 300}, 0, 300*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		client, _ := countingClient("/v1/charges", 2, func() { f.revoke(true) })
		eng := e.engine(f.srv.URL, Params{HTTPClient: client, PerType: 1})
		err := eng.Sync(ctx, e.connID, Options{})
		if !errors.Is(err, stripeapi.ErrNeedsReauth) {
			t.Fatalf("Sync: %v, want ErrNeedsReauth", err)
		}
		conn, _ := e.db.GetConnection(ctx, e.connID)
		if conn.Status != domain.StatusNeedsReauth || conn.StatusDetail == "" || strings.Contains(conn.StatusDetail, f.key) {
			t.Errorf("connection: status %q, detail %q", conn.Status, conn.StatusDetail)
		}
		kept := e.counts()["charges"].Live
		if kept < 100 {
			t.Errorf("charges kept: %d, want the page before the revocation", kept)
		}
		if strings.Contains(e.logs.String(), f.key) {
			t.Error("the log holds the key")
		}

		// The owner re-authenticates: a new key.
		f.mu.Lock()
		f.key, f.revoked = "rk_test_fakeRenewed987654", false
		f.mu.Unlock()
		e.keys.set(e.connID, "rk_test_fakeRenewed987654")
		if err := e.db.SetStatus(ctx, e.connID, domain.StatusConnected, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("Sync after re-authentication: %v", err)
		}
		e.requireCounts(f.truth())
		if st := e.state("charges"); st.Synced != 300 {
			t.Errorf("charges synced %d: the resumed sync should continue the count, not restart it", st.Synced)
		}
	})

	t.Run("a key source that says the sign-in can't be renewed stops the sync the same way", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 5}, 0, 24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		e.keys.err = &domain.SentenceError{Kind: stripeapi.ErrNeedsReauth, Msg: "Re-authenticate this connection."}
		err := e.engine(f.srv.URL, Params{}).Sync(ctx, e.connID, Options{})
		if !errors.Is(err, stripeapi.ErrNeedsReauth) {
			t.Fatalf("Sync: %v", err)
		}
		if conn, _ := e.db.GetConnection(ctx, e.connID); conn.Status != domain.StatusNeedsReauth || conn.StatusDetail != "Re-authenticate this connection." {
			t.Errorf("connection: %q %q", conn.Status, conn.StatusDetail)
		}
	})
}
