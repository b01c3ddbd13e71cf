package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/syncer"
)

// fakeSync answers Progress with a canned snapshot and records actions.
type fakeSync struct {
	mu       sync.Mutex
	progress syncer.Progress
	updates  []string
	enabled  map[string]bool
	deleted  []string
}

func (f *fakeSync) Progress(context.Context, string) (syncer.Progress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.progress, nil
}
func (f *fakeSync) SetEnabled(_ context.Context, _, typ string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.enabled == nil {
		f.enabled = map[string]bool{}
	}
	f.enabled[typ] = on
	return nil
}
func (f *fakeSync) DeleteData(_ context.Context, _, typ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleted = append(f.deleted, typ)
	return nil
}
func (f *fakeSync) UpdateNow(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, id)
}

func halfway(connID string) syncer.Progress {
	return syncer.Progress{ConnectionID: connID, Stage: syncer.StageListing, Running: true, Types: []syncer.TypeProgress{
		{Type: "charges", Enabled: true, Phase: syncer.PhaseBackfill, Synced: 420, Estimated: 1000},
		{Type: "customers", Enabled: true, Phase: syncer.PhaseBackfill, Synced: 100, Estimated: 200},
	}}
}

func TestSyncInTheWindow(t *testing.T) {
	t.Run("the table says how far a running sync is", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Sync = &fakeSync{}
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		u.ApplyProgress(halfway("conn_a"))
		loop.until(t, "the progress shows", func() bool {
			return strings.Contains(test.RenderObjectToMarkup(u.connectionsPage().table.table), "Syncing 43%")
		})
	})

	t.Run("a connection's page shows each type's progress and Update now restarts its sync", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		fs := &fakeSync{progress: halfway("conn_a")}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Sync = fs
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		loop.until(t, "the panel fills", func() bool { return d.sync.loaded })
		markup := test.RenderObjectToMarkup(d.root)
		for _, want := range []string{"Data on this computer", "Syncing — 43%", "Charges", "420 of ~1,000", "Customers"} {
			if !strings.Contains(markup, want) {
				t.Errorf("the page does not show %q", want)
			}
		}
		test.Tap(d.sync.update)
		if len(fs.updates) != 1 || fs.updates[0] != "conn_a" {
			t.Errorf("Update now asked for %v", fs.updates)
		}
	})

	t.Run("turning a type off asks whether to keep its rows", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		fs := &fakeSync{progress: halfway("conn_a")}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Sync = fs
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		loop.until(t, "the panel fills", func() bool { return d.sync.loaded })
		test.Tap(d.sync.rows["charges"].keep)
		if fs.enabled["charges"] || len(fs.deleted) != 0 {
			t.Fatal("changed something before the person answered")
		}
		dlg := visibleButtons(u.win.Canvas().Overlays().Top(), "Delete them")
		if len(dlg) != 1 {
			t.Fatalf("no Delete them button in the dialog")
		}
		test.Tap(dlg[0])
		loop.until(t, "the data is deleted", func() bool {
			fs.mu.Lock()
			defer fs.mu.Unlock()
			return len(fs.deleted) == 1
		})
		if on, set := fs.enabled["charges"]; !set || on || fs.deleted[0] != "charges" {
			t.Errorf("enabled %v, deleted %v", fs.enabled, fs.deleted)
		}
	})
}
