package wintest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSyncLockAcrossProcesses: while one Windows `sync --follow` holds a
// connection's lock (gofrs/flock, LockFileEx on Windows), a second `sync`
// stops at once saying another sync runs, and `sync --wait` waits and then
// syncs once the first has ended. The data folder is given with
// --data-dir, a path with Swedish letters and a space.
func TestSyncLockAcrossProcesses(t *testing.T) {
	needWine(t)
	ctx := ctxFor(t, 5*time.Minute)
	dataDir := filepath.Join(prefix.UserDir(), "Lås och nycklar")
	dirFlag := "--data-dir=" + prefix.WinPath(dataDir)
	sb, err := StartSandbox(sandboxPath, "--scale", "500", "--seed", "15")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Stop()
	api := "--stripe-api-base=" + sb.BaseURL
	if r, err := prefix.Run(ctx, exePath, strings.NewReader(sb.APIKey), dirFlag, "connect", "stripe", "--api-key-stdin", api); err != nil || r.Code != 0 {
		t.Fatalf("connect: exit %d, %v: %s", r.Code, err, r.Stderr)
	}

	first := prefix.Wine(ctx, exePath, nil, dirFlag, "sync", "--follow", "--json", api)
	out, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	firstDone := make(chan error, 1)
	caughtUp := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(nil, 1<<20)
		seen := false
		for sc.Scan() {
			var line struct{ Event string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Event == "caught_up" && !seen {
				seen = true
				caughtUp <- true
			}
		}
		if !seen {
			caughtUp <- false
		}
		firstDone <- first.Wait()
	}()
	defer func() { _ = first.Process.Kill() }()
	select {
	case ok := <-caughtUp:
		if !ok {
			t.Fatal("sync --follow ended before catching up")
		}
	case <-ctx.Done():
		t.Fatal("sync --follow did not catch up in time")
	}

	r, err := prefix.Run(ctx, exePath, nil, dirFlag, "sync", api)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code == 0 || !strings.Contains(r.Stderr, "already running") {
		t.Errorf("a second sync beside sync --follow: exit %d, %q; want a failure saying a sync is already running", r.Code, r.Stderr)
	}

	waiter := prefix.Wine(ctx, exePath, nil, dirFlag, "sync", "--wait", api)
	waited := make(chan Result, 1)
	go func() { r, _ := run(waiter, nil); waited <- r }()
	select {
	case r := <-waited:
		t.Fatalf("sync --wait ended while the other sync still ran: exit %d, %s", r.Code, r.Stderr)
	case <-time.After(5 * time.Second):
	}
	_ = first.Process.Kill() // the lock goes with the process
	<-firstDone
	select {
	case r := <-waited:
		if r.Code != 0 {
			t.Errorf("sync --wait after the other ended: exit %d, %s", r.Code, r.Stderr)
		}
	case <-ctx.Done():
		t.Fatal("sync --wait did not finish after the other sync ended")
	}
}

// TestCommandPrompt runs the program from cmd.exe (`wine cmd /c`): its
// output reaches cmd's standard output and cmd's own redirection into a
// file, in a folder named with Swedish letters and a space.
func TestCommandPrompt(t *testing.T) {
	needWine(t)
	ctx := ctxFor(t, 2*time.Minute)
	dataDir := filepath.Join(prefix.UserDir(), "Tom mapp åäö")
	exe := prefix.WinPath(exePath)
	r, err := prefix.Run(ctx, "cmd", nil, "/c", exe, "--data-dir", prefix.WinPath(dataDir), "connections")
	if err != nil || r.Code != 0 {
		t.Fatalf("cmd /c Ledgerline.exe connections: exit %d, %v: %s", r.Code, err, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "No connections yet.") {
		t.Errorf("cmd.exe showed %q, want the empty list's sentence", r.Stdout)
	}

	out := filepath.Join(dataDir, "lista över kopplingar.json")
	// Wine quotes each argument holding a space for cmd's command line, and
	// passes ">" bare, so cmd redirects.
	args := []string{"/c", exe, "--data-dir", prefix.WinPath(dataDir), "connections", "--json", ">", prefix.WinPath(out)}
	r, err = prefix.Run(ctx, "cmd", nil, args...)
	if err != nil || r.Code != 0 {
		t.Fatalf("cmd %s: exit %d, %v: %s", strings.Join(args, " "), r.Code, err, r.Stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("cmd.exe's redirection wrote no file: %v", err)
	}
	var cs []connection
	if err := json.Unmarshal(b, &cs); err != nil || len(cs) != 0 {
		t.Errorf("the redirected output %q: %v, want []", b, err)
	}
}
