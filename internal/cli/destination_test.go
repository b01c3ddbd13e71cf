package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

func TestDestinationCommands(t *testing.T) {
	pg := testkit.StartPostgres(t)
	pg.SQL("postgres", "CREATE DATABASE team")
	pg.SQL("postgres", "CREATE ROLE analyst LOGIN PASSWORD 'team-pw-7391'")
	pg.SQL("team", "GRANT CREATE ON DATABASE team TO analyst")
	dir := t.TempDir()
	conn := sampleConnection(1)
	seed(t, dir, conn)
	insertCustomers(t, dir, conn.ID, 0, 30)

	keychain := secrets.NewMemoryBackend()
	env := Env{Keychain: keychain}
	url := pg.URL("analyst", "team-pw-7391", "team")

	t.Run("a wrong password is said in words and nothing is saved", func(t *testing.T) {
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "add", "postgres", pg.URL("analyst", "not-it", "team"))
		if code != ExitError || !strings.Contains(errOut, "refused the user analyst or its password") {
			t.Errorf("exit %d, %q", code, errOut)
		}
		if keychain.Len() != 0 {
			t.Error("the keychain holds an item after a refused add")
		}
	})
	t.Run("a missing database is named", func(t *testing.T) {
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "add", "postgres", pg.URL("analyst", "team-pw-7391", "nosuch"))
		if code != ExitError || !strings.Contains(errOut, "has no database named nosuch") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})
	t.Run("no CREATE on the database: permission denied on the schema", func(t *testing.T) {
		pg.SQL("postgres", "CREATE ROLE reader LOGIN PASSWORD 'rd-pw-5512'")
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "add", "postgres", pg.URL("reader", "rd-pw-5512", "team"), "--schema", "ro")
		if code != ExitError || !strings.Contains(errOut, "may not create or write the schema ro") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})
	t.Run("a server that is gone is unreachable", func(t *testing.T) {
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "add", "postgres", "postgres://analyst:x@127.0.0.1:1/team?sslmode=disable")
		if code != ExitError || !strings.Contains(errOut, "can't reach the PostgreSQL server 127.0.0.1") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})

	var id string
	t.Run("add keeps the password in the keychain only", func(t *testing.T) {
		code, out, errOut := runCLI(t, env, "--data-dir", dir, "destination", "add", "postgres", url, "--schema", "shop")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		id = strings.TrimSuffix(strings.Fields(out)[2], ":")
		if pw, err := keychain.Get("Ledgerline", "destination:"+id); err != nil || pw != "team-pw-7391" {
			t.Errorf("keychain: %q, %v", pw, err)
		}
		_, list, _ := runCLI(t, env, "--data-dir", dir, "destination", "list", "--json")
		var ds []destinationJSON
		if err := json.Unmarshal([]byte(list), &ds); err != nil || len(ds) != 1 || ds[0].ID != id || ds[0].Schema != "shop" {
			t.Fatalf("list: %s (%v)", list, err)
		}
		if strings.Contains(ds[0].URL, "team-pw") || !strings.Contains(ds[0].URL, "analyst@127.0.0.1") {
			t.Errorf("listed URL %q", ds[0].URL)
		}
	})
	t.Run("status counts what is not copied yet", func(t *testing.T) {
		insertCustomers(t, dir, conn.ID, 30, 5) // logged by the triggers
		st := destinationStatus(t, env, dir)
		if *st.RowsBehind != 35 {
			t.Errorf("rows behind %d, want 30 initial + 5 new", *st.RowsBehind)
		}
	})
	t.Run("run copies them and status says up to date", func(t *testing.T) {
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "run")
		if code != ExitOK || !strings.Contains(errOut, "copied 35 changes; up to date") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if got := pg.SQL("team", "SELECT count(*) FROM shop.stripe_customers"); got != "35" {
			t.Errorf("PostgreSQL holds %s customers, want 35", got)
		}
		st := destinationStatus(t, env, dir)
		if *st.RowsBehind != 0 || st.LastError != "" || st.AppliedAt == nil {
			t.Errorf("status after run: %+v", st)
		}
	})
	t.Run("a failed run is the status's last error, in words", func(t *testing.T) {
		pg.SQL("postgres", "ALTER ROLE analyst PASSWORD 'rotated-pw'")
		insertCustomers(t, dir, conn.ID, 35, 1)
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "run")
		if code != ExitError || !strings.Contains(errOut, id+": The PostgreSQL server 127.0.0.1 refused the user analyst") {
			t.Errorf("exit %d: %s", code, errOut)
		}
		st := destinationStatus(t, env, dir)
		if st.LastError != "destination.wrong_password" || *st.RowsBehind != 1 || !strings.Contains(st.LastErrorDetail, "refused the user analyst") {
			t.Errorf("status: %+v", st)
		}
	})
	t.Run("the password is in no file of the data folder", func(t *testing.T) {
		assertNotInFiles(t, dir, "team-pw-7391")
	})
	t.Run("remove forgets the destination, its password and the triggers", func(t *testing.T) {
		code, _, errOut := runCLI(t, env, "--data-dir", dir, "destination", "remove", id)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if keychain.Len() != 0 {
			t.Error("the password is still in the keychain")
		}
		db, err := store.Open(context.Background(), store.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var triggers, log int
		_ = db.Reader().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'destination\_log\_%' ESCAPE '\'`).Scan(&triggers)
		_ = db.Reader().QueryRow(`SELECT count(*) FROM destination_changes`).Scan(&log)
		if triggers != 0 || log != 0 {
			t.Errorf("%d triggers and %d log entries left", triggers, log)
		}
		code, _, errOut = runCLI(t, env, "--data-dir", dir, "destination", "remove", id)
		if code != ExitError || !strings.Contains(errOut, "There is no destination "+id) {
			t.Errorf("second remove: exit %d, %q", code, errOut)
		}
	})
}

func destinationStatus(t *testing.T, env Env, dir string) destinationJSON {
	t.Helper()
	code, out, errOut := runCLI(t, env, "--data-dir", dir, "destination", "status", "--json")
	var st []destinationJSON
	if code != ExitOK || json.Unmarshal([]byte(out), &st) != nil || len(st) != 1 || st[0].RowsBehind == nil {
		t.Fatalf("status: exit %d, %s %s", code, out, errOut)
	}
	return st[0]
}

// insertCustomers writes n customers (numbered from from) of connection
// connID into the local warehouse table, as a sync would.
func insertCustomers(t *testing.T, dir, connID string, from, n int) {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	for i := from; i < from+n; i++ {
		id := fmt.Sprintf("cus_%04d", i)
		err := db.WriteTx(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO stripe_customers (connection_id, id, created, livemode, synced_at, version, email, data)
			VALUES (?, ?, ?, 0, ?, ?, ?, ?)`, connID, id, now.Unix(), now.Format(time.RFC3339Nano), now.UnixMilli(),
				id+"@example.com", `{"id":"`+id+`","object":"customer"}`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// assertNotInFiles fails when secret appears in any file under dir.
func assertNotInFiles(t *testing.T, dir, secret string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the password", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
