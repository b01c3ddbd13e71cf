package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// isTerminal says whether w is a terminal, through env.IsTerminal when
// set (tests choose), else by asking the operating system about the file
// behind w.
func (env Env) isTerminal(w io.Writer) bool {
	if env.IsTerminal != nil {
		return env.IsTerminal(w)
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
