package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

var testNow = time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)

// runCLI runs the command line in-process and returns its exit status and output.
func runCLI(t *testing.T, env Env, args ...string) (int, string, string) {
	t.Helper()
	return runCLIWithEnv(t, env, nil, args...)
}

// runCLIWithEnv is runCLI with environment variables.
func runCLIWithEnv(t *testing.T, env Env, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if env.Stdout == nil {
		env.Stdout = &out
	}
	env.Stderr = &errOut
	env.Getenv = func(k string) string { return vars[k] }
	env.UserConfigDir = func() (string, error) { return t.TempDir(), nil }
	env.Now = func() time.Time { return testNow }
	code := Run(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

// seed writes connections into a fresh data dir.
func seed(t testing.TB, dir string, conns ...domain.Connection) {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range conns {
		if err := db.CreateConnection(context.Background(), c, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func sampleConnection(i int) domain.Connection {
	return domain.Connection{
		ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: "Shop " + string(rune('A'+i%26)),
		AccountID: "acct_" + strings.Repeat("x", 10) + string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260)),
		Livemode:  i%2 == 0, Scope: "stripe_apps", AuthMethod: domain.AuthOAuth, Status: domain.StatusConnected,
		ConnectedAt: testNow.Add(-time.Hour), StatusCheckedAt: testNow.Add(-time.Minute),
	}
}

func TestConnectionsCommand(t *testing.T) {
	t.Run("prints an empty JSON array for a new data dir", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", t.TempDir(), "connections", "--json")
		if code != 0 || strings.TrimSpace(out) != "[]" {
			t.Errorf("exit %d, out %q, err %q", code, out, errOut)
		}
	})

	t.Run("prints every field scripts rely on, offline and without the keychain", func(t *testing.T) {
		dir := t.TempDir()
		c := sampleConnection(0)
		c.LastSyncAt = testNow.Add(-3 * time.Minute)
		c.Status, c.StatusReason, c.StatusFacts = domain.StatusNeedsReauth, domain.KindRevokedKey, nil
		seed(t, dir, c)
		// A keychain that fails every call proves the command never asks it.
		env := Env{Keychain: brokenKeychain{}}
		code, out, errOut := runCLI(t, env, "connections", "--json", "--data-dir", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
			t.Fatalf("output %q: %v", out, err)
		}
		for _, field := range []string{"id", "provider", "name", "account_id", "livemode", "auth_method", "status",
			"status_detail", "status_reason", "connected_at", "status_checked_at", "last_sync_at", "scope"} {
			if _, ok := got[0][field]; !ok {
				t.Errorf("field %q missing", field)
			}
		}
		if got[0]["id"] != c.ID || got[0]["status"] != "needs_reauth" || got[0]["last_sync_at"] != "2026-11-26T13:57:00Z" {
			t.Errorf("got %v", got[0])
		}
		if got[0]["status_reason"] != "needs_reauth.revoked_key" || !strings.Contains(fmt.Sprint(got[0]["status_detail"]), "revoked or deleted in Stripe") {
			t.Errorf("status_reason %v, status_detail %v", got[0]["status_reason"], got[0]["status_detail"])
		}
	})

	t.Run("never-synced is null, not a zero date", func(t *testing.T) {
		dir := t.TempDir()
		seed(t, dir, sampleConnection(1))
		_, out, _ := runCLI(t, Env{}, "--data-dir", dir, "connections", "--json")
		if !strings.Contains(out, `"last_sync_at": null`) {
			t.Errorf("output %s", out)
		}
	})

	t.Run("prints a table for people", func(t *testing.T) {
		dir := t.TempDir()
		c := sampleConnection(0)
		seed(t, dir, c)
		code, out, _ := runCLI(t, Env{}, "--data-dir", dir, "connections")
		if code != 0 || !strings.Contains(out, "STATUS") || !strings.Contains(out, c.ID) || !strings.Contains(out, "Connected") || !strings.Contains(out, "never") {
			t.Errorf("exit %d, out:\n%s", code, out)
		}
	})

	t.Run("a database it can't read is a one-line reason naming the file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, store.FileName)
		if err := os.WriteFile(path, []byte("not a database, just notes\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "connections")
		if code != ExitError || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, path) {
			t.Errorf("exit %d, out %q, stderr %q", code, out, errOut)
		}
	})

	t.Run("wrong words are a usage error", func(t *testing.T) {
		for _, args := range [][]string{{"frobnicate"}, {"connections", "extra"}, {"connections", "--jsn"}, {"connect"}, {"connect", "stripe", "--mode", "prod"}} {
			code, _, errOut := runCLI(t, Env{}, append([]string{"--data-dir", t.TempDir()}, args...)...)
			if code != ExitUsage || errOut == "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
			}
		}
	})
}

func TestConnectCommandWithoutABrowser(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemoryBackend()
	pr, pw := io.Pipe()
	browser := &testkit.FormBrowser{}
	var wg sync.WaitGroup
	wg.Add(1)
	var firstLine string
	go func() {
		// The person copies the printed address into a browser.
		defer wg.Done()
		sc := bufio.NewScanner(pr)
		if sc.Scan() {
			firstLine = sc.Text()
			_ = browser.Open(firstLine)
		}
		for sc.Scan() {
			firstLine += "\n" + sc.Text()
		}
	}()
	code, _, errOut := runCLI(t, Env{Stdout: pw, Keychain: keys}, "--sandbox", "--data-dir", dir, "connect", "stripe", "--no-browser")
	pw.Close()
	wg.Wait()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(firstLine, "\n")
	if !strings.HasPrefix(lines[0], "http://127.0.0.1:") || !strings.Contains(lines[0], "/oauth/authorize?") {
		t.Errorf("the first line is not the sign-in address alone: %q", lines[0])
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "Connection successful!") {
		t.Errorf("output %q", firstLine)
	}
	code, out, _ := runCLI(t, Env{}, "--sandbox", "--data-dir", dir, "connections", "--json")
	if code != 0 || !strings.Contains(out, `"status": "connected"`) {
		t.Errorf("after connecting: %s", out)
	}
	if keys.Len() != 1 {
		t.Errorf("%d keychain items, want 1", keys.Len())
	}
}

// brokenKeychain fails every call, as a missing Secret Service would.
type brokenKeychain struct{}

func (brokenKeychain) Get(string, string) (string, error) { return "", errKeychainDown }
func (brokenKeychain) Set(string, string, string) error   { return errKeychainDown }
func (brokenKeychain) Delete(string, string) error        { return errKeychainDown }

var errKeychainDown = errors.New("The name org.freedesktop.secrets was not provided by any .service files")

func TestConnectCommandWithAnAPIKey(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemoryBackend()
	info := sandboxInfo(t)

	t.Run("reads the key from standard input and connects", func(t *testing.T) {
		env := Env{Keychain: keys, Stdin: strings.NewReader(info.Accounts[0].APIKey + "\n")}
		code, out, errOut := runCLI(t, env, "--sandbox", "--data-dir", dir, "connect", "stripe", "--api-key-stdin")
		if code != 0 || !strings.HasPrefix(out, "Connection successful! "+info.Accounts[0].Name) {
			t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
		}
		if strings.Contains(out+errOut, info.Accounts[0].APIKey) {
			t.Error("the key was printed")
		}
	})

	t.Run("a publishable key fails with a one-line reason and stores nothing", func(t *testing.T) {
		env := Env{Keychain: keys, Stdin: strings.NewReader("pk_test_" + strings.Repeat("x", 30))}
		code, _, errOut := runCLI(t, env, "--sandbox", "--data-dir", dir, "connect", "stripe", "--api-key-stdin")
		if code != ExitError || !strings.Contains(errOut, "publishable key") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if keys.Len() != 1 {
			t.Errorf("%d keychain items, want the first connection's only", keys.Len())
		}
	})
}

// sandboxInfo is what the in-process sandbox (seed 1) hands out: the CLI's
// --sandbox mode runs the same one, so its keys work there.
func sandboxInfo(t *testing.T) sandbox.Info {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{Seed: app.SandboxSeed})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Info()
}

func TestSyncCommand(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemoryBackend()
	info := sandboxInfo(t)
	if code, _, errOut := runCLI(t, Env{Keychain: keys, Stdin: strings.NewReader(info.Accounts[0].APIKey)},
		"--sandbox", "--data-dir", dir, "connect", "stripe", "--api-key-stdin"); code != 0 {
		t.Fatalf("connect: %s", errOut)
	}

	t.Run("syncs every connection and ends with each one's final state as JSON", func(t *testing.T) {
		env := Env{Keychain: keys}
		code, out, errOut := runCLIWithEnv(t, env, map[string]string{EnvSyncLimits: "off"}, "--sandbox", "--data-dir", dir, "sync", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var last progressJSON
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
			t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
		}
		if last.Stage != "done" || last.Fraction != 1 || last.Synced < 1000 || len(last.Types) != 17 {
			t.Errorf("final state %+v", last)
		}
	})

	t.Run("export writes the synced charges as CSV, one line per stored row", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "charges.csv")
		code, out, errOut := runCLI(t, Env{}, "--sandbox", "--data-dir", dir, "export", "charges", "--csv", file)
		if code != 0 || !strings.HasPrefix(out, "Wrote ") {
			t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		records, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(context.Background(), store.Options{Dir: filepath.Join(dir, "sandbox")})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var stored int
		if err := db.Reader().QueryRow("SELECT count(*) FROM stripe_charges WHERE is_deleted = 0").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if len(records)-1 != stored || stored == 0 || records[0][1] != "id" {
			t.Errorf("%d CSV rows (header %v), %d charges stored", len(records)-1, records[0], stored)
		}
	})

	t.Run("export names the tables it knows when given another", func(t *testing.T) {
		code, _, errOut := runCLI(t, Env{}, "--sandbox", "--data-dir", dir, "export", "widgets", "--csv", "-")
		if code != ExitUsage || !strings.Contains(errOut, "charges") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})

	t.Run("an unknown connection is a one-line reason", func(t *testing.T) {
		code, _, errOut := runCLI(t, Env{Keychain: keys}, "--sandbox", "--data-dir", dir, "sync", "--connection", "conn_nope")
		if code != ExitError || !strings.Contains(errOut, "conn_nope") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})

	t.Run("bad limits in the environment are refused", func(t *testing.T) {
		code, _, errOut := runCLIWithEnv(t, Env{Keychain: keys}, map[string]string{EnvSyncLimits: "fast"}, "--sandbox", "--data-dir", dir, "sync")
		if code != ExitError || !strings.Contains(errOut, EnvSyncLimits) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
