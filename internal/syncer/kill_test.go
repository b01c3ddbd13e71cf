package syncer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
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
		s := newSandboxEnv(t, sandbox.Options{Seed: 7, Scale: 4000}, nil)
		rnd := rand.New(rand.NewPCG(5, 5))
		for i := range 20 {
			cctx, cancel := context.WithCancel(ctx)
			client, _ := countingClient("/v1/", int64(1+rnd.IntN(12)), cancel)
			err := s.engine(s.base, Params{HTTPClient: client}).Sync(cctx, s.connID, Options{})
			cancel()
			if err != nil && !errors.Is(err, domain.ErrCanceled) {
				t.Fatalf("kill %d: Sync: %v", i+1, err)
			}
		}
		if st := s.state("charges"); st == nil || st.Phase != PhaseBackfill {
			t.Fatalf("after the kills charges should still be listing (else the kills came too late): %+v", st)
		}
		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("final Sync: %v", err)
		}
		requireResumedExactly(s.env, s.truth())
	})

	t.Run("kill -9 of a sync process at random moments, restarted each time: exact counts, database intact", func(t *testing.T) {
		if testing.Short() {
			t.Skip("starts processes")
		}
		s := newSandboxEnv(t, sandbox.Options{Seed: 8, Scale: 6000}, nil)
		rnd := rand.New(rand.NewPCG(9, 9))
		kills := 0
		synced := func() int64 {
			var n int64
			_ = s.db.Reader().QueryRow(`SELECT COALESCE(SUM(objects_synced), 0) FROM sync_state`).Scan(&n)
			return n
		}
		for i := range 4 {
			cmd := childSync(s, "wait")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			// Kill once the process has committed a few more pages, at a
			// random moment after that: mid-page, mid-commit, wherever.
			target := synced() + int64(100+rnd.IntN(500))
			deadline := time.Now().Add(30 * time.Second)
			for synced() < target && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(time.Duration(rnd.IntN(40)) * time.Millisecond)
			select {
			case err := <-exited:
				t.Logf("run %d finished before its kill (%v)", i+1, err)
			default:
				_ = cmd.Process.Signal(syscall.SIGKILL)
				<-exited
				kills++
			}
		}
		if kills == 0 {
			t.Fatal("no run was killed: the sync is too fast for this test's timings")
		}
		if n := synced(); n == 0 {
			t.Fatal("the killed processes committed nothing: the kills came too early to test anything")
		} else {
			t.Logf("after %d kills, %d objects were stored", kills, n)
		}
		s.integrity()
		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("final Sync: %v", err)
		}
		requireResumedExactly(s.env, s.truth())
	})
}

func TestSyncInTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	ctx := context.Background()
	s := newSandboxEnv(t, sandbox.Options{Seed: 10, Scale: 3000}, nil)
	started := make(chan struct{})
	var once sync.Once
	client, _ := countingClient("/v1/", 1, func() { once.Do(func() { close(started) }) })
	done := make(chan error, 1)
	go func() {
		done <- s.engine(s.base, Params{HTTPClient: client, Limits: Limits{Test: 30, PerEndpoint: 30}}).Sync(ctx, s.connID, Options{})
	}()
	<-started

	var out bytes.Buffer
	other := childSync(s, "no-wait")
	other.Stderr = &out
	err := other.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(out.String(), "already running") {
		t.Errorf("a second process without waiting: %v, said %q; want exit 3 saying a sync is already running", err, out.String())
	}

	waiting := childSync(s, "wait")
	out.Reset()
	waiting.Stderr = &out
	if err := waiting.Run(); err != nil {
		t.Errorf("a second process that waits: %v (%s)", err, out.String())
	}
	if err := <-done; err != nil {
		t.Fatalf("the first sync: %v", err)
	}
	s.requireCounts(s.truth())
	s.integrity()
}

// childSync is this test binary run as TestSyncChildProcess against s:
// mode "wait" waits for the connection's lock, "no-wait" exits 3 when it is
// taken.
func childSync(s *sandboxEnv, mode string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSyncChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SYNCER_CHILD_DIR="+s.dir, "SYNCER_CHILD_BASE="+s.base,
		"SYNCER_CHILD_KEY="+s.keys.keys[s.connID], "SYNCER_CHILD_CONN="+s.connID, "SYNCER_CHILD_MODE="+mode)
	return cmd
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
	err = eng.Sync(ctx, os.Getenv("SYNCER_CHILD_CONN"), Options{Wait: os.Getenv("SYNCER_CHILD_MODE") == "wait"})
	switch {
	case errors.Is(err, ErrAlreadyRunning):
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
