package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Restore replaces the database in dir with the backup at src. It checks
// src fully first — an SQLite file, sound (PRAGMA quick_check), Ledgerline's,
// not newer than this build — without writing to it, and refuses anything
// else with domain.KindBackupUnusable, replacing nothing. It also refuses
// (domain.KindDBInUse) while any process has the database open, and holds
// off Opens until it is done. The database it replaces is kept beside it
// as ledgerline.db.before-restore-<time> (with its -wal file, if any), and
// kept is that path ("" when there was none).
func Restore(ctx context.Context, dir, src string, now func() time.Time) (kept string, err error) {
	if now == nil {
		now = time.Now
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	src, err = filepath.Abs(src)
	if err != nil {
		return "", unusable(src, err)
	}
	path := filepath.Join(dir, FileName)
	if src == path {
		return "", unusable(src, "that is the database itself")
	}
	migrations, err := loadMigrations(migrationFiles)
	if err != nil {
		return "", err
	}
	if err := checkBackup(ctx, src, latest(migrations)); err != nil {
		return "", err
	}
	if err := prepareDir(dir); err != nil {
		return "", err
	}

	// No one may have the database open, and no one may open it meanwhile:
	// Open takes the scan lock to start its session.
	sdir := filepath.Join(dir, sessionsDir)
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		return "", unwritable(sdir, err)
	}
	scan := flock.New(filepath.Join(sdir, scanLockName), flock.SetPermissions(0o600))
	if err := scan.Lock(); err != nil {
		return "", unwritable(sdir, err)
	}
	defer scan.Unlock()
	orphans, live, err := sessions(sdir)
	if err != nil {
		return "", err
	}
	if live > 0 {
		return "", domain.E(domain.KindDBInUse, nil, domain.FactPath, path)
	}

	tmp, err := copyFile(src, dir)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	if _, err := os.Stat(path); err == nil {
		kept = path + ".before-restore-" + now().UTC().Format("20060102-150405")
		if err := os.Rename(path, kept); err != nil {
			return "", unwritable(path, err)
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			if err := os.Rename(path+"-wal", kept+"-wal"); err != nil {
				return kept, unwritable(path, err)
			}
		}
		os.Remove(path + "-shm")
	}
	if err := os.Rename(tmp, path); err != nil {
		return kept, unwritable(path, err)
	}
	_ = syncDir(dir)
	// The unclean sessions were of the file just replaced by a checked one.
	return kept, removeOrphans(orphans)
}

// checkBackup reads src whole, read-only, and says whether it can be
// restored.
func checkBackup(ctx context.Context, src string, latest int) error {
	fi, err := os.Stat(src)
	switch {
	case err != nil:
		return unusable(src, err)
	case !fi.Mode().IsRegular() || fi.Size() == 0:
		return unusable(src, "not an SQLite database file")
	}
	if err := checkHeader(src); err != nil {
		return unusable(src, "not an SQLite database file")
	}
	if err := inspectWith(ctx, checkDSN(src), src, latest, true); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			detail := de.Kind.Error()
			if d := de.Facts[domain.FactDetail]; d != "" {
				detail += ": " + d
			}
			return unusable(src, detail)
		}
		return unusable(src, err)
	}
	return nil
}

// sessions counts the markers in sdir that a live process holds and lists
// the orphans. The caller holds the scan lock.
func sessions(sdir string) (orphans []string, live int, err error) {
	entries, err := os.ReadDir(sdir)
	if err != nil {
		return nil, 0, unwritable(sdir, err)
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != sessionSuffix {
			continue
		}
		p := filepath.Join(sdir, e.Name())
		l := flock.New(p)
		ok, err := l.TryLock()
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, 0, unwritable(p, err)
		case ok:
			orphans = append(orphans, p)
			_ = l.Unlock()
		default:
			live++
		}
	}
	return orphans, live, nil
}

// copyFile copies src into a new 0600 file in dir, synced to disk, and
// returns its path.
func copyFile(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", unusable(src, err)
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "."+FileName+".restore-*")
	if err != nil {
		return "", unwritable(dir, err)
	}
	name := out.Name()
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Chmod(0o600)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", unwritable(dir, fmt.Sprintf("copying the backup in: %v", err))
	}
	return name, nil
}

func unusable(path string, detail any) error {
	return domain.E(domain.KindBackupUnusable, nil, domain.FactPath, path, domain.FactDetail, fmt.Sprint(detail))
}
