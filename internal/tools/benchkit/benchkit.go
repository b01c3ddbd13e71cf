// Package benchkit is what the benchmark programs under internal/tools
// share: the real stripe-sandbox and ledgerline programs started as a user
// would, and medians.
package benchkit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// Sandbox is the sandbox's start line.
type Sandbox struct {
	BaseURL  string `json:"base_url"`
	Accounts []struct {
		ID     string `json:"id"`
		APIKey string `json:"api_key"`
	} `json:"accounts"`
}

// Programs are the built programs in a folder (make build's bin).
type Programs struct{ Bin string }

// StartSandbox runs stripe-sandbox with one account and args and reads its
// start line; stop ends it.
func (p Programs) StartSandbox(args ...string) (info Sandbox, stop func(), err error) {
	cmd := exec.Command(filepath.Join(p.Bin, "stripe-sandbox"), append([]string{"--addr", "127.0.0.1:0", "--accounts", "1"}, args...)...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return Sandbox{}, nil, err
	}
	if err := cmd.Start(); err != nil {
		return Sandbox{}, nil, err
	}
	stop = func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		stop()
		return Sandbox{}, nil, fmt.Errorf("reading the sandbox's start line: %w", err)
	}
	if err := json.Unmarshal(line, &info); err != nil || len(info.Accounts) == 0 {
		stop()
		return Sandbox{}, nil, fmt.Errorf("the sandbox's start line %q: %v", line, err)
	}
	return info, stop, nil
}

// Ledgerline is the ledgerline program with args against dataDir (and the
// sandbox at apiBase, when not ""), with env added to this process's.
func (p Programs) Ledgerline(dataDir, apiBase string, stdin io.Reader, env []string, args ...string) *exec.Cmd {
	pre := []string{"--data-dir", dataDir}
	if apiBase != "" {
		pre = append(pre, "--stripe-api-base", apiBase)
	}
	cmd := exec.Command(filepath.Join(p.Bin, "ledgerline"), append(pre, args...)...)
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// Connect links the sandbox's account to dataDir with its restricted key.
func (p Programs) Connect(dataDir string, sb Sandbox) error {
	cmd := p.Ledgerline(dataDir, sb.BaseURL, strings.NewReader(sb.Accounts[0].APIKey), nil, "connect", "stripe", "--api-key-stdin")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ledgerline connect: %v: %s", err, out)
	}
	return nil
}

// Median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Verdict words whether a target was met.
func Verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}
