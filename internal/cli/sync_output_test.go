package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// connectedSandbox is a fresh data dir with the sandbox's first account
// connected by its key, never synced.
func connectedSandbox(t *testing.T) (string, secrets.Backend) {
	t.Helper()
	dir, keys := t.TempDir(), secrets.NewMemoryBackend()
	info := sandboxInfo(t)
	if code, _, errOut := runCLI(t, Env{Keychain: keys, Stdin: strings.NewReader(info.Accounts[0].APIKey)},
		"--sandbox", "--data-dir", dir, "connect", "stripe", "--api-key-stdin"); code != 0 {
		t.Fatalf("connect: %s", errOut)
	}
	return dir, keys
}

var noLimits = map[string]string{EnvSyncLimits: "off"}

func notTerminal(io.Writer) bool { return false }

// assertNoRedraws fails on a carriage return or a terminal escape.
func assertNoRedraws(t *testing.T, name, s string) {
	t.Helper()
	if i := strings.IndexAny(s, "\r\x1b"); i >= 0 {
		t.Errorf("%s holds %q at %d: %q", name, s[i], i, s[max(0, i-40):min(len(s), i+40)])
	}
}

// plainLine is "TIME CONNECTION-ID SENTENCE".
var plainLine = regexp.MustCompile(`^(\S+) (conn_[a-z0-9]+) (\S.*)$`)

func TestSyncProgressOutput(t *testing.T) {
	t.Run("not a terminal: a plain line per step, with no carriage return or terminal code", func(t *testing.T) {
		dir, keys := connectedSandbox(t)
		code, out, errOut := runCLIWithEnv(t, Env{Keychain: keys, IsTerminal: notTerminal}, noLimits, "--sandbox", "--data-dir", dir, "sync")
		if code != 0 || out != "Up to date: 1 connection(s).\n" {
			t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
		}
		assertNoRedraws(t, "standard error", errOut)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		seen := map[string]int{}
		for _, l := range lines {
			m := plainLine.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("line %q is not TIME CONNECTION SENTENCE", l)
			}
			if at, err := time.Parse(time.RFC3339, m[1]); err != nil || !at.Equal(testNow) {
				t.Errorf("line %q: time %v, %v", l, at, err)
			}
			seen[m[3]]++
		}
		if !strings.HasSuffix(lines[0], "sync of Summit Climbing Gear started") || !strings.Contains(lines[len(lines)-1], " up to date: ") {
			t.Errorf("first line %q, last %q", lines[0], lines[len(lines)-1])
		}
		var started, listed int
		for sentence, n := range seen {
			if n != 1 {
				t.Errorf("%d lines say %q; want one per step", n, sentence)
			}
			if strings.HasSuffix(sentence, ": listing every object") {
				started++
			}
			if strings.Contains(sentence, ": listed, ") {
				listed++
			}
		}
		// A first sync lists every one of the 17 types: a line as each
		// starts and one as it ends, not one a page.
		if started != 17 || listed != 17 || len(lines) != 2+17+17 {
			t.Errorf("%d types started, %d listed, %d lines:\n%s", started, listed, len(lines), errOut)
		}
	})

	t.Run("--json: a JSON object per step with the documented fields, the last one each type's final state", func(t *testing.T) {
		dir, keys := connectedSandbox(t)
		code, out, errOut := runCLIWithEnv(t, Env{Keychain: keys, IsTerminal: notTerminal}, noLimits, "--sandbox", "--data-dir", dir, "sync", "--json")
		if code != 0 || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		assertNoRedraws(t, "standard output", out)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		perType := map[string][]string{}
		for i, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %d is not a JSON object: %q: %v", i+1, l, err)
			}
			for _, f := range []string{"time", "connection", "name", "event", "stage", "fraction", "synced", "estimated", "done"} {
				if _, ok := m[f]; !ok {
					t.Errorf("line %d has no %q: %s", i+1, f, l)
				}
			}
			if at, err := time.Parse(time.RFC3339, m["time"].(string)); err != nil || !at.Equal(testNow) {
				t.Errorf("line %d: time %v, %v", i+1, m["time"], err)
			}
			if done := m["done"] == true; done != (i == len(lines)-1) {
				t.Errorf("line %d of %d has done %v", i+1, len(lines), m["done"])
			}
			switch m["event"] {
			case "type_started", "type_done":
				for _, f := range []string{"type", "phase", "type_synced", "type_estimated"} {
					if _, ok := m[f]; !ok {
						t.Errorf("line %d has no %q: %s", i+1, f, l)
					}
				}
				perType[m["type"].(string)] = append(perType[m["type"].(string)], m["event"].(string))
			case "started", "done":
			default:
				t.Errorf("line %d: unexpected event in a first sync: %s", i+1, l)
			}
		}
		var first, last progressJSON
		_ = json.Unmarshal([]byte(lines[0]), &first)
		_ = json.Unmarshal([]byte(lines[len(lines)-1]), &last)
		if first.Event != "started" || first.Stage != "starting" || first.Name != "Summit Climbing Gear" || !strings.HasPrefix(first.Connection, "conn_") {
			t.Errorf("first line %s", lines[0])
		}
		if last.Event != "done" || last.Stage != "done" || last.Fraction != 1 || last.Synced < 1000 || len(last.Types) != 17 || last.Error != "" {
			t.Errorf("last line %s", lines[len(lines)-1])
		}
		if len(perType) != 17 {
			t.Errorf("%d types have lines, want 17: %v", len(perType), perType)
		}
		for typ, evs := range perType {
			if strings.Join(evs, ",") != "type_started,type_done" {
				t.Errorf("%s: %v, want one start and one end", typ, evs)
			}
		}
	})

	t.Run("a terminal: a progress bar is drawn on standard error", func(t *testing.T) {
		dir, keys := connectedSandbox(t)
		env := Env{Keychain: keys, IsTerminal: func(io.Writer) bool { return true }}
		code, out, errOut := runCLIWithEnv(t, env, noLimits, "--sandbox", "--data-dir", dir, "sync")
		if code != 0 || out != "Up to date: 1 connection(s).\n" {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if !strings.Contains(errOut, "\r") || !strings.Contains(errOut, "Summit Climbing Gear") ||
			!strings.Contains(errOut, "100% |██") || !strings.Contains(errOut, " objects/") {
			t.Errorf("no bar drawn: %q", errOut)
		}
		if plainLine.MatchString(strings.SplitN(errOut, "\n", 2)[0]) {
			t.Errorf("plain lines on a terminal: %q", errOut)
		}
	})

	t.Run("--follow --json: caught up once, then a line for a round that changed something, done when stopped", func(t *testing.T) {
		dir, keys := connectedSandbox(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The in-process sandbox changes its data on its own (app.SandboxChurn),
		// so a round with changes comes within seconds; give up after a minute.
		giveUp := time.AfterFunc(time.Minute, cancel)
		defer giveUp.Stop()
		pr, pw := io.Pipe()
		var errOut bytes.Buffer
		env := Env{Keychain: keys, Stdout: pw, Stderr: &errOut, IsTerminal: notTerminal,
			Getenv: func(k string) string { return noLimits[k] }, Now: time.Now, // the sync's progress is throttled by its clock
			UserConfigDir: func() (string, error) { return t.TempDir(), nil }}
		exit := make(chan int, 1)
		go func() {
			code := Run(ctx, []string{"--sandbox", "--data-dir", dir, "sync", "--follow", "--json"}, env)
			pw.Close()
			exit <- code
		}()
		var events []string
		var changes progressJSON
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var j progressJSON
			if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
				t.Fatalf("not a JSON object: %q", sc.Text())
			}
			if j.Event != "type_started" && j.Event != "type_done" {
				events = append(events, j.Event)
			}
			if j.Event == "changes" && changes.Event == "" {
				changes = j
				cancel() // as Ctrl-C does
			}
		}
		if code := <-exit; code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		got := strings.Join(events, " ")
		if !regexp.MustCompile(`^started caught_up (changes )+done$`).MatchString(got) {
			t.Errorf("events %q, want started caught_up changes… done", got)
		}
		if changes.Stage != "following" || changes.Events == nil || *changes.Events < 1 || len(changes.EventsByType) == 0 {
			t.Errorf("changes line %+v", changes)
		}
		assertNoRedraws(t, "standard error", errOut.String())
	})

	t.Run("a sync that fails ends its connection's lines with failed and the error's kind", func(t *testing.T) {
		dir := t.TempDir()
		c := sampleConnection(0)
		c.Status = domain.StatusDisconnected
		seed(t, dir, c)
		code, out, _ := runCLI(t, Env{Keychain: secrets.NewMemoryBackend(), IsTerminal: notTerminal}, "--data-dir", dir, "sync", "--connection", c.ID, "--json")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var last progressJSON
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || code != ExitError {
			t.Fatalf("exit %d, stdout %q: %v", code, out, err)
		}
		if last.Event != "failed" || last.Stage != "failed" || !last.Done || last.ErrorKind != "sync.disconnected" || !strings.Contains(last.Error, "disconnected") {
			t.Errorf("last line %s", lines[len(lines)-1])
		}

		code, _, errOut := runCLI(t, Env{Keychain: secrets.NewMemoryBackend(), IsTerminal: notTerminal}, "--data-dir", dir, "sync", "--connection", c.ID)
		failed := regexp.MustCompile(`(?m)^\S+ ` + c.ID + ` failed: .*(?i:disconnected)`)
		if code != ExitError || !failed.MatchString(errOut) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		assertNoRedraws(t, "standard error", errOut)
	})
}

func TestPlainLines(t *testing.T) {
	t.Run("say each step in words on one line: time, connection, sentence", func(t *testing.T) {
		var buf bytes.Buffer
		r := newSyncReporter(Env{Stderr: &buf, Now: func() time.Time { return testNow }, IsTerminal: func(w io.Writer) bool { return false }}, false)
		conn := domain.Connection{ID: "conn_a", Name: "Shop A"}
		r.begin(conn, snap(syncer.StageIdle, ready("charges", 50, 0), syncer.TypeProgress{Type: "customers"}))
		r.update(snap(syncer.StageListing, ready("charges", 50, 0), syncer.TypeProgress{Type: "customers", Phase: syncer.PhaseBackfill, Synced: 3, Estimated: 9, StartedAt: t2}))
		r.update(snap(syncer.StageFollowing, ready("charges", 50, 1), syncer.TypeProgress{Type: "customers", Phase: syncer.PhaseReady, Synced: 9, Estimated: 9, StartedAt: t2, CompletedAt: t2}))
		r.update(snap(syncer.StageFollowing, ready("charges", 50, 3), syncer.TypeProgress{Type: "customers", Phase: syncer.PhaseReady, Synced: 9, Estimated: 9, StartedAt: t2, CompletedAt: t2, EventsApplied: 1}))
		r.end(conn, snap(syncer.StageIdle, ready("charges", 50, 3), ready("customers", 9, 1)), nil)
		want := `2026-11-26T14:00:00Z conn_a sync of Shop A started; 50 objects stored before
2026-11-26T14:00:00Z conn_a customers: listing every object
2026-11-26T14:00:00Z conn_a customers: listed, 9 objects (59 of about 59 in all)
2026-11-26T14:00:00Z conn_a caught up: 59 objects, 1 event applied (charges 1); following changes
2026-11-26T14:00:00Z conn_a changes: 3 events applied (charges 2, customers 1)
2026-11-26T14:00:00Z conn_a up to date: 59 objects
`
		if buf.String() != want {
			t.Errorf("lines:\n%s\nwant:\n%s", buf.String(), want)
		}
	})
}
