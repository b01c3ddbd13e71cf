// Package backups makes the database's automatic backups: one a day (or
// every Settings.Every) into a folder the owner chose, keeping the newest
// few. A backup's time is in its file name, so the schedule needs no state
// of its own and survives restarts: the next one is due Every after the
// newest file in the folder. It only ever removes files named as it names
// them.
package backups

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Source writes a consistent copy of the database to a file (store.DB).
type Source interface {
	Backup(ctx context.Context, dst string, progress func(done, total int)) error
}

// Settings are the owner's choices. Folder "" turns automatic backups off.
type Settings struct {
	Folder string
	Keep   int           // how many to keep, at least 1
	Every  time.Duration // default a day
}

// DefaultKeep is how many backups are kept unless the owner says.
const DefaultKeep = 7

const (
	prefix     = "ledgerline-"
	suffix     = ".db"
	timeLayout = "2006-01-02-150405"
)

// FileName is the name of a backup made at t: ledgerline-2026-12-08-031500.db
// (UTC), which sorts by time.
func FileName(t time.Time) string { return prefix + t.UTC().Format(timeLayout) + suffix }

// File is a backup in the folder.
type File struct {
	Path string
	Made time.Time
}

// List returns the folder's backups, newest first. Files named otherwise
// are not backups and are left out. A folder that doesn't exist has none.
func List(folder string) ([]File, error) {
	entries, err := os.ReadDir(folder)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []File
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, prefix)
		if !ok || e.IsDir() {
			continue
		}
		if stamp, ok = strings.CutSuffix(stamp, suffix); !ok {
			continue
		}
		t, err := time.Parse(timeLayout, stamp)
		if err != nil {
			continue
		}
		out = append(out, File{Path: filepath.Join(folder, name), Made: t})
	}
	slices.SortFunc(out, func(a, b File) int { return b.Made.Compare(a.Made) })
	return out, nil
}

// Prune removes all but the newest keep backups in folder and returns the
// paths it removed.
func Prune(folder string, keep int) ([]string, error) {
	files, err := List(folder)
	if err != nil || len(files) <= keep {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, f := range files[max(keep, 1):] {
		if err := os.Remove(f.Path); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, f.Path)
	}
	return removed, errors.Join(errs...)
}

// Result is what one automatic backup did.
type Result struct {
	Path    string   // the new backup
	Removed []string // older ones pruned
}

// Auto makes the automatic backups. Its methods are safe for concurrent
// use.
type Auto struct {
	src Source
	now func() time.Time

	mu       sync.Mutex
	settings Settings
	running  sync.Mutex // one backup at a time
}

// New makes automatic backups of src, off until Set gives a folder.
func New(src Source, now func() time.Time) *Auto {
	if now == nil {
		now = time.Now
	}
	return &Auto{src: src, now: now}
}

// Set replaces the settings.
func (a *Auto) Set(s Settings) {
	if s.Keep < 1 {
		s.Keep = DefaultKeep
	}
	if s.Every <= 0 {
		s.Every = 24 * time.Hour
	}
	a.mu.Lock()
	a.settings = s
	a.mu.Unlock()
}

// Settings are the current settings.
func (a *Auto) Settings() Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

// RunIfDue makes a backup when one is due — automatic backups are on and
// the newest in the folder is Every old, or there is none — then prunes
// to Keep. done is false when none was due.
func (a *Auto) RunIfDue(ctx context.Context) (r Result, done bool, err error) {
	s := a.Settings()
	if s.Folder == "" {
		return Result{}, false, nil
	}
	a.running.Lock()
	defer a.running.Unlock()
	files, err := List(s.Folder)
	if err != nil {
		return Result{}, false, fmt.Errorf("reading the backup folder %s: %w", s.Folder, err)
	}
	now := a.now()
	if len(files) > 0 && now.Sub(files[0].Made) < s.Every {
		return Result{}, false, nil
	}
	if err := os.MkdirAll(s.Folder, 0o700); err != nil {
		return Result{}, false, err
	}
	r.Path = filepath.Join(s.Folder, FileName(now))
	if err := a.src.Backup(ctx, r.Path, nil); err != nil {
		return Result{}, false, err
	}
	r.Removed, err = Prune(s.Folder, s.Keep)
	return r, true, err
}

// Run calls RunIfDue now and every check until ctx ends, handing each
// backup made, or its error, to report (from Run's goroutine).
func (a *Auto) Run(ctx context.Context, check time.Duration, report func(Result, error)) {
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		r, done, err := a.RunIfDue(ctx)
		if (done || err != nil) && report != nil && ctx.Err() == nil {
			report(r, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
