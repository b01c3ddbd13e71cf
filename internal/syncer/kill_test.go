package syncer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Killing a sync at any moment loses nothing: each page is written in one
// transaction with the state that says how far the sync got, so a restart
// lists exactly what was not committed.

// requireResumedExactly checks the end state after kills and a final sync:
// counts equal truth, the database is sound, and every listed object was
// stored once (each type's synced count equals its objects: no page was
// listed twice).
func requireResumedExactly(e *env, truth map[string]warehouse.Count) {
	e.t.Helper()
	e.requireCounts(truth)
	e.integrity()
	for name, c := range truth {
		typ, _ := warehouse.TypeByName(name)
		if typ.Parent != "" || name == eventsType {
			continue
		}
		if st := e.state(name); st == nil || st.Synced != c.Live+c.Deleted || st.Phase != PhaseReady {
			e.t.Errorf("%s: state %+v after resuming; want ready with %d synced", name, st, c.Live+c.Deleted)
		}
	}
}

func TestKilledSyncResumes(t *testing.T) {
	ctx := context.Background()

	t.Run("canceled at 20 random points of a backfill, restarted each time: exact counts, no page twice", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 30, "charges": 700, "customers": 300, "invoices": 150}, 11, 500*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		rnd := rand.New(rand.NewPCG(5, 5))
		for i := range 20 {
			cctx, cancel := context.WithCancel(ctx)
			client, _ := countingClient("/v1/", int64(1+rnd.IntN(30)), cancel)
			err := e.engine(f.srv.URL, Params{HTTPClient: client}).Sync(cctx, e.connID, Options{})
			cancel()
			if err != nil && !errors.Is(err, domain.ErrCanceled) {
				t.Fatalf("kill %d: Sync: %v", i+1, err)
			}
		}
		if err := e.engine(f.srv.URL, Params{}).Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("final Sync: %v", err)
		}
		requireResumedExactly(e, f.truth())
	})

	t.Run("kill -9 of a sync process at random moments, restarted each time: exact counts, database intact", func(t *testing.T) {
		if testing.Short() {
			t.Skip("starts processes")
		}
		f := newFakeStripe(t, sizes{"*": 40, "charges": 900, "customers": 300}, 0, 500*24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		rnd := rand.New(rand.NewPCG(9, 9))
		kills := 0
		for i := range 4 {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSyncChildProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "SYNCER_CHILD_DIR="+e.dir, "SYNCER_CHILD_BASE="+f.srv.URL,
				"SYNCER_CHILD_KEY="+f.key, "SYNCER_CHILD_CONN="+e.connID)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-time.After(time.Duration(300+rnd.IntN(900)) * time.Millisecond):
				_ = cmd.Process.Signal(syscall.SIGKILL)
				<-exited
				kills++
			case err := <-exited:
				t.Logf("run %d finished before its kill (%v)", i+1, err)
			}
		}
		if kills == 0 {
			t.Fatal("no run was killed: the sync is too fast for this test's timings")
		}
		e.integrity()
		if err := e.engine(f.srv.URL, Params{}).Sync(ctx, e.connID, Options{}); err != nil {
			t.Fatalf("final Sync: %v", err)
		}
		requireResumedExactly(e, f.truth())
	})
}

// TestSyncChildProcess is the process the kill -9 test kills: a slow sync
// (rate-limited) of the data dir it is given. It does nothing when run on
// its own.
func TestSyncChildProcess(t *testing.T) {
	dir := os.Getenv("SYNCER_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestKilledSyncResumes")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	wh, _ := warehouse.New(warehouse.Options{DB: db})
	keys := &testKeys{keys: map[string]string{os.Getenv("SYNCER_CHILD_CONN"): os.Getenv("SYNCER_CHILD_KEY")}}
	eng, err := New(Params{Store: db, Warehouse: wh, Keys: keys, APIBase: os.Getenv("SYNCER_CHILD_BASE"), LockDir: dir,
		Limits: Limits{Test: 40, PerEndpoint: 20}, Retry: Retry{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := eng.Sync(ctx, os.Getenv("SYNCER_CHILD_CONN"), Options{Wait: true}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
