package syncer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/gofrs/flock"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// ErrAlreadyRunning: another sync of the same connection holds its lock, in
// this process or another (the window and a scheduled `ledgerline sync`).
var ErrAlreadyRunning error = domain.KindSyncRunning

// lockPoll is how often a waiting Sync asks for the lock again; a
// not-waiting Sync asks a few times over lockGrace before giving up, since a
// window reading progress holds the lock for a moment (see running).
const (
	lockPoll  = 200 * time.Millisecond
	lockGrace = 300 * time.Millisecond
)

// safeID is what a connection id must look like to name a lock file.
var safeID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// lockPath is the lock file of connection id under dir.
func lockPath(dir, id string) (string, error) {
	if dir == "" {
		return "", errors.New("the sync engine has no data directory for its lock files")
	}
	if !safeID.MatchString(id) {
		return "", fmt.Errorf("connection id %q can't name a lock file", id)
	}
	return filepath.Join(dir, "sync-"+id+".lock"), nil
}

// acquire takes connection id's sync lock: an exclusive flock(2) (LockFileEx
// on Windows) on <dir>/sync-<id>.lock, which the OS releases when the
// process ends however it ends, so a killed sync never leaves a stale lock.
// With wait, it waits until the lock is free or ctx ends; without, it
// returns an error wrapping ErrAlreadyRunning when another sync holds it.
func acquire(ctx context.Context, dir, id string, wait bool) (release func(), err error) {
	path, err := lockPath(dir, id)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("can't create the data folder for the sync lock: %w", err)
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	var ok bool
	if wait {
		ok, err = fl.TryLockContext(ctx, lockPoll)
	} else {
		tctx, cancel := context.WithTimeout(ctx, lockGrace)
		ok, err = fl.TryLockContext(tctx, lockPoll/4)
		cancel()
		if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			ok, err = false, nil
		}
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("%w: stopped waiting for another sync of this connection to finish", domain.ErrCanceled)
	case err != nil:
		return nil, fmt.Errorf("can't take the sync lock %s: %w", path, err)
	case !ok:
		return nil, domain.E(domain.KindSyncRunning, nil)
	}
	return func() { _ = fl.Unlock() }, nil
}

// running reports whether some sync holds connection id's lock. It takes a
// shared lock for a moment and lets go at once; while it holds it, a Sync
// that does not wait retries for lockGrace rather than failing.
func running(dir, id string) (bool, error) {
	path, err := lockPath(dir, id)
	if err != nil {
		return false, err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryRLock()
	if err != nil {
		return false, fmt.Errorf("can't read the sync lock %s: %w", path, err)
	}
	if ok {
		_ = fl.Unlock()
	}
	return !ok, nil
}
