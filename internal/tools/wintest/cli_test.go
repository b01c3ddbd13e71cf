package wintest

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// connection is the part of `connections --json` the tests read.
type connection struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	Status    string `json:"status"`
}

func connections(t *testing.T, ctx context.Context, args ...string) []connection {
	t.Helper()
	r, err := prefix.Run(ctx, exePath, nil, append([]string{"connections", "--json"}, args...)...)
	if err != nil || r.Code != 0 {
		t.Fatalf("connections --json: exit %d, %v: %s", r.Code, err, r.Stderr)
	}
	var cs []connection
	if err := json.Unmarshal([]byte(r.Stdout), &cs); err != nil {
		t.Fatalf("connections --json printed %q: %v", r.Stdout, err)
	}
	return cs
}

// TestCommandLineEndToEnd drives the Windows program as a store owner
// would, in the default data folder %APPDATA%\Ledgerline of the user
// "Ölands Bageri": an empty list, connect with a restricted key (kept in
// Credential Manager, in no file), sync (every type's rows equal to the
// sandbox's truth), export, disconnect (the connection stays listed as
// disconnected, with its data; the key leaves Credential Manager).
func TestCommandLineEndToEnd(t *testing.T) {
	needWine(t)
	ctx := ctxFor(t, 5*time.Minute)
	dataDir := filepath.Join(prefix.AppData(), "Ledgerline")

	if cs := connections(t, ctx); len(cs) != 0 {
		t.Fatalf("a new user has connections: %+v", cs)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "ledgerline.db")); err != nil {
		t.Fatalf("the database is not in %%APPDATA%%\\Ledgerline (%s): %v", dataDir, err)
	}

	sb, err := StartSandbox(sandboxPath, "--scale", "3000", "--seed", "14")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Stop()
	api := "--stripe-api-base=" + sb.BaseURL

	r, err := prefix.Run(ctx, exePath, strings.NewReader(sb.APIKey+"\n"), "connect", "stripe", "--api-key-stdin", api)
	if err != nil || r.Code != 0 {
		t.Fatalf("connect stripe --api-key-stdin: exit %d, %v: %s%s", r.Code, err, r.Stdout, r.Stderr)
	}
	cs := connections(t, ctx)
	if len(cs) != 1 || cs[0].AccountID != sb.Account {
		t.Fatalf("after connecting %s: %+v", sb.Account, cs)
	}
	conn := cs[0]

	t.Run("the key is in Credential Manager and in no file", func(t *testing.T) {
		out, ok, err := prefix.RegQuery(ctx, `HKCU\Software\Wine\Credential Manager`)
		if err != nil {
			t.Fatal(err)
		}
		if !ok || !strings.Contains(out, "Ledgerline") {
			t.Errorf("Wine's Credential Manager holds no Ledgerline credential:\n%s", out)
		}
		if strings.Contains(out, sb.APIKey) {
			t.Error("the registry shows the key in clear")
		}
		requireNoFileHolds(t, dataDir, sb.APIKey)
	})

	r, err = prefix.Run(ctx, exePath, nil, "sync", api)
	if err != nil || r.Code != 0 {
		t.Fatalf("sync: exit %d, %v: %s%s", r.Code, err, r.Stdout, r.Stderr)
	}
	truth, err := sb.Truth()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the synced rows equal the sandbox's truth", func(t *testing.T) {
		got := counts(t, ctx, dataDir, conn.ID)
		var rows int64
		for typ, want := range truth {
			if typ == "payout_links" {
				continue // links between payouts and balance transactions, not a table of objects
			}
			rows += want.Live + want.Deleted
			if g := got[typ]; g.Live != want.Live || g.Deleted != want.Deleted {
				t.Errorf("%s: %d live, %d deleted in the database; the sandbox has %d, %d", typ, g.Live, g.Deleted, want.Live, want.Deleted)
			}
		}
		if truth["charges"].Live == 0 {
			t.Error("the sandbox has no charges: nothing was checked")
		}
		t.Logf("%d objects of %d types, as in the sandbox", rows, len(truth)-1)
	})

	t.Run("export writes every live charge", func(t *testing.T) {
		out := filepath.Join(prefix.UserDir(), "Documents", "Försäljning juni.csv")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := prefix.Run(ctx, exePath, nil, "export", "charges", "--csv", prefix.WinPath(out))
		if err != nil || r.Code != 0 {
			t.Fatalf("export: exit %d, %v: %s", r.Code, err, r.Stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("the export is not CSV: %v", err)
		}
		if int64(len(rows)-1) != truth["charges"].Live {
			t.Errorf("the export has %d charges, the sandbox %d live ones", len(rows)-1, truth["charges"].Live)
		}
	})

	r, err = prefix.Run(ctx, exePath, nil, "disconnect", conn.ID)
	if err != nil || r.Code != 0 {
		t.Fatalf("disconnect: exit %d, %v: %s%s", r.Code, err, r.Stdout, r.Stderr)
	}
	if cs := connections(t, ctx); len(cs) != 1 || cs[0].Status != "disconnected" {
		t.Errorf("after disconnect: %+v, want the connection kept as disconnected", cs)
	}
	if out, _, err := prefix.RegQuery(ctx, `HKCU\Software\Wine\Credential Manager`); err != nil {
		t.Fatal(err)
	} else if strings.Contains(out, "Ledgerline") {
		t.Errorf("disconnect left the credential in Credential Manager:\n%s", out)
	}
}

// counts reads, on Linux, the database the Windows program wrote: every
// type's live and deleted rows of connID.
func counts(t *testing.T, ctx context.Context, dataDir, connID string) map[string]warehouse.Count {
	t.Helper()
	if err := prefix.Wait(ctx); err != nil { // the Windows program has let go of the file
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Options{Dir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	c, err := wh.Counts(ctx, connID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requireNoFileHolds fails if any file under dir contains secret.
func requireNoFileHolds(t *testing.T, dir, secret string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the API key", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("no files in %s: nothing was checked", dir)
	}
}
