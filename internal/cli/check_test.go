package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/store"
)

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	seed(t, dir, sampleConnection(0), sampleConnection(1))
	path := filepath.Join(dir, store.FileName)

	t.Run("a sound database", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "check")
		if code != 0 || !strings.Contains(out, "The database "+path+" is sound") || !strings.Contains(errOut, "Checking "+path) {
			t.Errorf("exit %d, out %q, err %q", code, out, errOut)
		}
	})

	// Damage the file's middle: a clean close means commands open it
	// without reading it whole; check reads it and says so.
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

	t.Run("a damaged database is named, exit 1, and left as it was", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "check")
		if code != ExitError || out != "" || !strings.Contains(errOut, path+" is damaged") {
			t.Errorf("exit %d, out %q, err %q", code, out, errOut)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
			t.Error("check changed the damaged file")
		}
	})

	t.Run("after an unclean shutdown every command checks first", func(t *testing.T) {
		code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "connections")
		if code != 0 {
			t.Fatalf("after a clean close connections reads no more than it needs: exit %d, %q", code, errOut)
		}
		sessions := filepath.Join(dir, "sessions")
		if err := os.WriteFile(filepath.Join(sessions, "killed.open"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut = runCLI(t, Env{}, "--data-dir", dir, "connections")
		if code != ExitError || out != "" || !strings.Contains(errOut, path+" is damaged") {
			t.Errorf("exit %d, out %q, err %q", code, out, errOut)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
			t.Error("connections changed the damaged file")
		}
	})
}

func TestCompactCommand(t *testing.T) {
	dir := t.TempDir()
	seed(t, dir, sampleConnection(0))
	path := filepath.Join(dir, store.FileName)
	code, out, errOut := runCLI(t, Env{}, "--data-dir", dir, "compact")
	if code != 0 || !strings.HasPrefix(out, path+": ") || !strings.Contains(out, "given back") {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, Env{}, "--data-dir", dir, "connections")
	if code != 0 || !strings.Contains(out, "Shop A") {
		t.Errorf("after compact: exit %d, %q", code, out)
	}
}
