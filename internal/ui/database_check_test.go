package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/store"
)

// openChecked opens a real database in a new data folder holding two
// connections; unclean leaves behind what a killed process leaves, and
// damage overwrites the middle of the file first.
func openChecked(t *testing.T, unclean, damage bool) *store.DB {
	t.Helper()
	dir, ctx := t.TempDir(), context.Background()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range threeConnections()[:2] {
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	path := filepath.Join(dir, store.FileName)
	if damage {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 3; i < 2*len(b)/3; i++ {
			b[i] = byte(i*7 + 3)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if unclean {
		if err := os.WriteFile(filepath.Join(dir, "sessions", "killed.open"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err = store.Open(ctx, store.Options{Dir: dir, DeferCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newCheckUI is the window over db alone.
func newCheckUI(t *testing.T, db *store.DB) (*UI, uiLoop) {
	t.Helper()
	a := test.NewTempApp(t)
	loop := make(uiLoop, 16)
	u := New(Params{App: a, Services: Services{Connections: db, Database: db}, Now: func() time.Time { return fixedNow }, RunOnUI: loop.post})
	t.Cleanup(u.Window().Close)
	return u, loop
}

func TestTheDatabaseCheck(t *testing.T) {
	t.Run("after an unclean shutdown: the pages show, the check runs behind them, then what waited runs", func(t *testing.T) {
		db := openChecked(t, true, false)
		if !db.NeedsCheck() {
			t.Fatal("no check owed after an unclean shutdown")
		}
		u, loop := newCheckUI(t, db)
		ran := false
		u.CheckDatabase(true, func() { ran = true })
		if msg := u.banner.Text(); !strings.HasPrefix(msg, "Ledgerline wasn't closed properly last time") {
			t.Errorf("while checking the window says %q", msg)
		}
		loop.until(t, "the check ends", func() bool { return ran })
		if msg := u.banner.Text(); !strings.HasPrefix(msg, "The database is sound:") {
			t.Errorf("after the check the window says %q", msg)
		}
		if db.NeedsCheck() {
			t.Error("the check passed but is still owed")
		}
		loop.until(t, "the connections list", func() bool { return len(u.rows) == 2 })
	})

	t.Run("a damaged file: the start-up error instead of the pages, and nothing that waited runs", func(t *testing.T) {
		db := openChecked(t, false, true)
		u, loop := newCheckUI(t, db)
		ran := false
		var checkItem func()
		for _, m := range u.menu.main.Items {
			for _, i := range m.Items {
				if i.Label == "Check the Database…" {
					checkItem = i.Action
				}
			}
		}
		if checkItem == nil {
			t.Fatal("Help has no Check the Database…")
		}
		u.CheckDatabase(false, func() { ran = true })
		if msg := u.banner.Text(); !strings.HasPrefix(msg, "Checking the database (") {
			t.Errorf("while checking the window says %q", msg)
		}
		loop.until(t, "the check ends", func() bool { return u.p.StartupError != nil })
		if ran {
			t.Error("what waited for the check ran after it failed")
		}
		if text := strings.Join(texts(u.page), "\n"); !strings.Contains(text, db.Path()+" is damaged") {
			t.Errorf("the window shows %q", text)
		}
		checkItem() // guarded now: nothing happens
	})
}
