package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestIsTerminal(t *testing.T) {
	t.Run("by default a buffer, a file and a pipe are not terminals", func(t *testing.T) {
		f, err := os.Create(filepath.Join(t.TempDir(), "log"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer w.Close()
		for _, out := range []io.Writer{&bytes.Buffer{}, f, w} {
			if (Env{}).isTerminal(out) {
				t.Errorf("%T is taken for a terminal", out)
			}
		}
	})

	t.Run("Env.IsTerminal decides when set", func(t *testing.T) {
		env := Env{IsTerminal: func(w io.Writer) bool { return w == os.Stderr }}
		if !env.isTerminal(os.Stderr) || env.isTerminal(os.Stdout) {
			t.Error("the seam was not asked")
		}
	})
}
