package syncer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestLock(t *testing.T) {
	ctx := context.Background()

	t.Run("a second sync of the same connection says plainly that one is running", func(t *testing.T) {
		dir := t.TempDir()
		release, err := acquire(ctx, dir, "conn_a", false)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		_, err = acquire(ctx, dir, "conn_a", false)
		if !errors.Is(err, ErrAlreadyRunning) || !strings.Contains(err.Error(), "already running") {
			t.Errorf("second acquire: %v, want ErrAlreadyRunning in plain words", err)
		}
		if other, err := acquire(ctx, dir, "conn_b", false); err != nil {
			t.Errorf("another connection's lock: %v", err)
		} else {
			other()
		}
	})

	t.Run("a waiting sync starts when the first one ends", func(t *testing.T) {
		dir := t.TempDir()
		release, err := acquire(ctx, dir, "conn_a", false)
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 1)
		go func() {
			r, err := acquire(ctx, dir, "conn_a", true)
			if err == nil {
				r()
			}
			got <- err
		}()
		select {
		case err := <-got:
			t.Fatalf("the waiting acquire returned while the lock was held: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		release()
		select {
		case err := <-got:
			if err != nil {
				t.Errorf("waiting acquire: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the waiting acquire never got the lock")
		}
	})

	t.Run("a waiting sync gives up when its context ends", func(t *testing.T) {
		dir := t.TempDir()
		release, err := acquire(ctx, dir, "conn_a", false)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if _, err := acquire(cctx, dir, "conn_a", true); !errors.Is(err, domain.ErrCanceled) {
			t.Errorf("err = %v, want ErrCanceled", err)
		}
	})

	t.Run("running tells whether a sync holds the lock, without taking it from anyone", func(t *testing.T) {
		dir := t.TempDir()
		if busy, err := running(dir, "conn_a"); err != nil || busy {
			t.Fatalf("before any sync: running = %v, %v", busy, err)
		}
		release, err := acquire(ctx, dir, "conn_a", false)
		if err != nil {
			t.Fatal(err)
		}
		if busy, err := running(dir, "conn_a"); err != nil || !busy {
			t.Errorf("while held: running = %v, %v", busy, err)
		}
		release()
		if busy, err := running(dir, "conn_a"); err != nil || busy {
			t.Errorf("after release: running = %v, %v", busy, err)
		}
		again, err := acquire(ctx, dir, "conn_a", false)
		if err != nil {
			t.Errorf("acquire after running(): %v", err)
		} else {
			again()
		}
	})

	t.Run("refuses an id that could name a file elsewhere", func(t *testing.T) {
		if _, err := acquire(ctx, t.TempDir(), "../etc/passwd", false); err == nil {
			t.Error("a path-like id was accepted")
		}
	})
}
