package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// Every process that has the database open holds a session marker: a file
// <data dir>/sessions/<random>.open with an exclusive flock(2) on it
// (LockFileEx on Windows). Close unlocks and removes it. The OS releases a
// lock when its process ends however it ends, so a marker that exists but
// can be locked belongs to a process that ended without closing the
// database — killed, crashed, or the computer lost power: an unclean
// shutdown, after which the file's integrity is worth checking.
//
// Scanning for orphans and creating one's own marker happen under
// sessions/scan.lock, so a process never mistakes another's marker, created
// but not yet locked, for an orphan.

const (
	sessionsDir   = "sessions"
	sessionSuffix = ".open"
	scanLockName  = "scan.lock"
)

// session is this process's marker, held from Open to Close.
type session struct {
	lock *flock.Flock
	path string
	scan string // sessions/scan.lock
}

// startSession creates and locks this process's marker in dir and returns
// the markers of sessions that ended uncleanly (orphans), oldest first by
// name order. Orphans are left in place: removeOrphans removes them once
// the database has been checked.
func startSession(dir string) (*session, []string, error) {
	sdir := filepath.Join(dir, sessionsDir)
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		return nil, nil, unwritable(sdir, err)
	}
	scan := flock.New(filepath.Join(sdir, scanLockName), flock.SetPermissions(0o600))
	if err := scan.Lock(); err != nil {
		return nil, nil, unwritable(sdir, err)
	}
	defer scan.Unlock()

	orphans, err := findOrphans(sdir)
	if err != nil {
		return nil, nil, err
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, nil, fmt.Errorf("naming the session marker: %w", err)
	}
	path := filepath.Join(sdir, hex.EncodeToString(id[:])+sessionSuffix)
	lock := flock.New(path, flock.SetPermissions(0o600))
	ok, err := lock.TryLock()
	if err != nil || !ok {
		if err == nil {
			err = errors.New("the new session marker is locked by someone else")
		}
		return nil, nil, unwritable(path, err)
	}
	return &session{lock: lock, path: path, scan: scan.Path()}, orphans, nil
}

// findOrphans lists the markers in sdir that no live process holds.
func findOrphans(sdir string) ([]string, error) {
	entries, err := os.ReadDir(sdir)
	if err != nil {
		return nil, unwritable(sdir, err)
	}
	var orphans []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), sessionSuffix) {
			continue
		}
		path := filepath.Join(sdir, e.Name())
		l := flock.New(path)
		ok, err := l.TryLock()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // its process closed cleanly just now
			}
			return nil, unwritable(path, err)
		}
		if ok {
			orphans = append(orphans, path)
			_ = l.Unlock()
		}
	}
	return orphans, nil
}

// end unlocks and removes the marker: a clean close. It holds the scan
// lock meanwhile, so no scan sees the marker unlocked but still there.
func (s *session) end() error {
	if s == nil {
		return nil
	}
	scan := flock.New(s.scan, flock.SetPermissions(0o600))
	if err := scan.Lock(); err == nil {
		defer scan.Unlock()
	}
	err := s.lock.Unlock()
	if rerr := os.Remove(s.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	return err
}

// removeOrphans forgets unclean sessions once the database was found sound.
// A marker another process removed first is not an error.
func removeOrphans(paths []string) error {
	var errs []error
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
