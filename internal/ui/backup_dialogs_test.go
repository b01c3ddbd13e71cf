package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/backups"
	"github.com/ledgerline/ledgerline/internal/store"
)

// recordedBackups is a real database's Backup with the automatic settings
// it was given recorded.
type recordedBackups struct {
	*store.DB
	settings []backups.Settings
}

func (r *recordedBackups) SetAutomatic(s backups.Settings) { r.settings = append(r.settings, s) }

func TestBackingUpFromTheWindow(t *testing.T) {
	db := openChecked(t, false, false)
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefBackupFolder, "/home/owner/Backups")
	a.Preferences().SetInt(prefBackupKeep, 14)
	loop := make(uiLoop, 16)
	svc := &recordedBackups{DB: db}
	u := New(Params{App: a, Services: Services{Connections: db, Database: db, Backups: svc}, Now: func() time.Time { return fixedNow }, RunOnUI: loop.post})
	t.Cleanup(u.Window().Close)

	if len(svc.settings) != 1 || svc.settings[0].Folder != "/home/owner/Backups" || svc.settings[0].Keep != 14 {
		t.Errorf("the saved settings reached the service as %+v", svc.settings)
	}

	t.Run("Back Up the Database… writes a sound copy and says so", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), backupFileName(fixedNow))
		u.backUpTo(dst)
		if msg := u.banner.Text(); !strings.HasPrefix(msg, "Backing up to "+filepath.Base(dst)+"…") {
			t.Errorf("while backing up the window says %q", msg)
		}
		loop.until(t, "the backup ends", func() bool { return strings.HasPrefix(u.banner.Text(), "Backed up to ") })
		copyDir := t.TempDir()
		if _, err := store.Restore(context.Background(), copyDir, dst, nil); err != nil {
			t.Fatalf("the window's backup doesn't restore: %v", err)
		}
		restored, err := store.Open(context.Background(), store.Options{Dir: copyDir})
		if err != nil {
			t.Fatal(err)
		}
		defer restored.Close()
		if list, err := restored.ListConnections(context.Background()); err != nil || len(list) != 2 {
			t.Errorf("the backup holds %d connections, %v; want 2", len(list), err)
		}
	})

	t.Run("Automatic Backups… shows the settings and saves the owner's choice", func(t *testing.T) {
		u.showAutomaticBackups()
		var on *widget.Check
		var keep *widget.Select
		for _, o := range test.LaidOutObjects(u.Window().Canvas().Overlays().Top()) {
			switch w := o.(type) {
			case *widget.Check:
				on = w
			case *widget.Select:
				keep = w
			}
		}
		if on == nil || keep == nil || !on.Checked || keep.Selected != "14" {
			t.Fatalf("the dialog shows on=%v keep=%v", on, keep)
		}
		keep.SetSelected("30")
		on.SetChecked(false)
		u.backupDialog.(interface{ Confirm() }).Confirm()
		last := svc.settings[len(svc.settings)-1]
		if last.Folder != "" || last.Keep != 30 {
			t.Errorf("after turning them off the service got %+v", last)
		}
		if a.Preferences().String(prefBackupFolder) != "" || a.Preferences().Int(prefBackupKeep) != 30 {
			t.Error("the choice was not remembered")
		}
	})
}
