package backups

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// fileSource "backs up" by writing the time into the file, as a stand-in
// for store.DB (whose Backup has its own tests over real files).
type fileSource struct{ calls []string }

func (f *fileSource) Backup(_ context.Context, dst string, _ func(int, int)) error {
	f.calls = append(f.calls, dst)
	return os.WriteFile(dst, []byte("copy"), 0o600)
}

func TestAutomaticBackups(t *testing.T) {
	folder := filepath.Join(t.TempDir(), "Ledgerline backups")
	now := time.Date(2026, 12, 8, 3, 15, 0, 0, time.UTC)
	src := &fileSource{}
	a := New(src, func() time.Time { return now })

	if _, done, err := a.RunIfDue(context.Background()); done || err != nil {
		t.Fatalf("off by default, yet done=%v err=%v", done, err)
	}
	a.Set(Settings{Folder: folder, Keep: 3})
	// Someone else's file in the folder is never touched.
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(folder, "ledgerline-notes.db")
	if err := os.WriteFile(mine, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	var made []string
	for day := range 5 {
		for hour := 0; hour < 24; hour += 6 { // checked four times a day
			now = time.Date(2026, 12, 8+day, 3+hour, 15, 0, 0, time.UTC)
			r, done, err := a.RunIfDue(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if done {
				made = append(made, filepath.Base(r.Path))
			}
		}
	}
	want := []string{"ledgerline-2026-12-08-031500.db", "ledgerline-2026-12-09-031500.db", "ledgerline-2026-12-10-031500.db",
		"ledgerline-2026-12-11-031500.db", "ledgerline-2026-12-12-031500.db"}
	if !slices.Equal(made, want) {
		t.Errorf("made %v, want one a day: %v", made, want)
	}
	files, err := List(folder)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, f := range files {
		left = append(left, filepath.Base(f.Path))
	}
	if !slices.Equal(left, []string{want[4], want[3], want[2]}) {
		t.Errorf("kept %v, want the newest 3", left)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file not named as a backup was removed: %v", err)
	}
}

type failingSource struct{}

func (failingSource) Backup(context.Context, string, func(int, int)) error {
	return errors.New("disk full")
}

func TestAFailedBackupIsReportedAndRetried(t *testing.T) {
	folder := t.TempDir()
	a := New(failingSource{}, nil)
	a.Set(Settings{Folder: folder})
	ctx, cancel := context.WithCancel(context.Background())
	reports := 0
	a.Run(ctx, time.Millisecond, func(_ Result, err error) {
		if err == nil {
			t.Error("a failed backup reported as made")
		}
		if reports++; reports == 3 {
			cancel()
		}
	})
	if files, _ := List(folder); len(files) != 0 {
		t.Errorf("a failed backup left %v", files)
	}
}
