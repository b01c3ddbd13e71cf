package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/store"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	first, second := sampleConnection(0), sampleConnection(1)
	seed(t, dir, first)
	backup := filepath.Join(t.TempDir(), "Ölands Bageri backup.db")

	code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "backup", backup)
	if code != 0 || !strings.Contains(out, "to "+backup) {
		t.Fatalf("backup: exit %d, out %q, err %q", code, out, errOut)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %v, %v; want 0600", fi, err)
	}

	// A connection added after the backup is gone after the restore, and
	// is still in the file the restore kept.
	seed(t, dir, second)
	code, out, errOut = runCLI(t, Env{}, "--data-dir", dir, "restore", backup)
	if code != 0 || !strings.Contains(out, "Restored "+backup+". The database it replaced is kept as "+filepath.Join(dir, store.FileName)+".before-restore-") {
		t.Fatalf("restore: exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, Env{}, "--data-dir", dir, "connections")
	if code != 0 || !strings.Contains(out, first.ID) || strings.Contains(out, second.ID) {
		t.Errorf("after the restore connections says:\n%s", out)
	}

	t.Run("a damaged backup is refused and nothing is replaced", func(t *testing.T) {
		b, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 3; i < 2*len(b)/3; i++ {
			b[i] = byte(i*7 + 3)
		}
		damaged := filepath.Join(t.TempDir(), "damaged.db")
		if err := os.WriteFile(damaged, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(dir, store.FileName)
		before, _ := os.ReadFile(db)
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "restore", damaged)
		if code != ExitError || out != "" || !strings.Contains(errOut, damaged+" can't be restored: it is not a sound Ledgerline database") ||
			!strings.Contains(errOut, "Nothing was replaced.") {
			t.Errorf("exit %d, out %q, err %q", code, out, errOut)
		}
		if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
			t.Error("the database changed")
		}
	})

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"backup"}, {"restore"}, {"backup", "a", "b"}} {
			code, _, errOut := runCLI(t, Env{}, append([]string{"--data-dir", dir}, args...)...)
			if code != ExitUsage || !strings.Contains(errOut, "ledgerline "+args[0]+" FILE") {
				t.Errorf("%v: exit %d, err %q", args, code, errOut)
			}
		}
	})
}
