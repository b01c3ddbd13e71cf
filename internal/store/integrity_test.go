package store

import (
	"context"
	"errors"
	"os"
	execpkg "os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// leaveOrphanSession leaves what a killed process leaves in dir: a session
// marker nobody holds.
func leaveOrphanSession(t *testing.T, dir string) {
	t.Helper()
	sdir := filepath.Join(dir, sessionsDir)
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(sdir, "killed"+sessionSuffix), "")
}

func TestIntegrityIsCheckedWhenItMatters(t *testing.T) {
	ctx := context.Background()

	t.Run("a damaged file closed cleanly opens without a full read; Check finds it and changes nothing", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		makeDatabaseWithRows(t, dir, 400)
		corruptMiddlePages(t, path)
		before := readFile(t, path)
		db, err := Open(ctx, Options{Dir: dir})
		if err != nil {
			t.Fatalf("Open = %v; a clean file is not read whole at start", err)
		}
		defer db.Close()
		if db.NeedsCheck() {
			t.Error("NeedsCheck after a clean close")
		}
		err = db.Check(ctx)
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Check = %v, want ErrCorrupt", err)
		}
		if _, facts := domain.KindOf(err); facts[domain.FactPath] != path {
			t.Errorf("Check's error names %q, want %s", facts[domain.FactPath], path)
		}
		assertUnchanged(t, path, before)
	})

	t.Run("after an unclean shutdown a deferred check is owed until it passes", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		leaveOrphanSession(t, dir)
		db, err := Open(ctx, Options{Dir: dir, DeferCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		if !db.NeedsCheck() {
			t.Fatal("NeedsCheck is false after an unclean shutdown")
		}
		if err := db.Check(ctx); err != nil {
			t.Fatalf("Check of a sound file = %v", err)
		}
		if db.NeedsCheck() {
			t.Error("NeedsCheck is still true after a passing check")
		}
		db.Close()
		db, err = Open(ctx, Options{Dir: dir, DeferCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if db.NeedsCheck() {
			t.Error("a clean close after the check still asks for one")
		}
	})

	t.Run("a database another process has open is not an unclean shutdown", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		first, err := Open(ctx, Options{Dir: dir, DeferCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		defer first.Close()
		// A second Open takes its own marker on its own file handle, as
		// another process would; the first's marker is locked.
		second, err := Open(ctx, Options{Dir: dir, DeferCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		if second.NeedsCheck() {
			t.Error("the open session of another DB was taken for an unclean shutdown")
		}
	})

	t.Run("a process killed with the database open leaves an unclean shutdown behind", func(t *testing.T) {
		dir := t.TempDir()
		makeDatabaseWithRows(t, dir, 3)
		cmd := execpkg.Command(os.Args[0], "-test.run=^TestHelperHoldsTheDatabaseOpen$")
		cmd.Env = append(os.Environ(), "LEDGERLINE_HOLD_DB="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make([]byte, 5)
		if _, err := out.Read(ready); err != nil || string(ready) != "ready" {
			cmd.Process.Kill()
			t.Fatalf("helper said %q, %v", ready, err)
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean close
			t.Fatal(err)
		}
		_ = cmd.Wait()
		db, err := Open(ctx, Options{Dir: dir, DeferCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if !db.NeedsCheck() {
			t.Error("NeedsCheck is false after the process holding the database was killed")
		}
		if list, err := db.ListConnections(ctx); err != nil || len(list) != 3 {
			t.Errorf("after the kill: %d connections, %v", len(list), err)
		}
	})
}

// TestHelperHoldsTheDatabaseOpen is the process the kill test kills: it
// opens the database, says "ready" and waits.
func TestHelperHoldsTheDatabaseOpen(t *testing.T) {
	dir := os.Getenv("LEDGERLINE_HOLD_DB")
	if dir == "" {
		t.Skip("run by TestIntegrityIsCheckedWhenItMatters")
	}
	db, err := Open(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	os.Stdout.WriteString("ready")
	time.Sleep(time.Minute)
}
