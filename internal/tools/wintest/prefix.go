package wintest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// UserName is the Windows user of every test prefix: Swedish letters and a
// space, so every AppData path has both.
const UserName = "Ölands Bageri"

// Prefix is a throwaway Wine prefix (WINEPREFIX) with the ProcessPrng
// stand-in installed. Its processes share one wineserver; Close ends them.
type Prefix struct {
	Dir string // the WINEPREFIX folder
}

// NewPrefix makes a prefix in dir (created, must not exist yet): wineboot
// initialises it, then the stand-in DLL is built from testdata with
// x86_64-w64-mingw32-gcc and copied into its system32. srcDir is the
// testdata folder holding processprng.c and processprng.def.
func NewPrefix(ctx context.Context, dir, srcDir string) (*Prefix, error) {
	p := &Prefix{Dir: dir}
	if out, err := p.command(ctx, "wineboot", "-i").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("wineboot -i: %w: %s", err, out)
	}
	if err := p.Wait(ctx); err != nil {
		return nil, err
	}
	if _, err := os.Stat(p.UserDir()); err != nil {
		return nil, fmt.Errorf("the prefix has no folder for user %q: %w", UserName, err)
	}
	dll := filepath.Join(p.Dir, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	cc := exec.CommandContext(ctx, "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", dll,
		filepath.Join(srcDir, "processprng.c"), filepath.Join(srcDir, "processprng.def"), "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the ProcessPrng stand-in: %w: %s", err, out)
	}
	return p, nil
}

// env is the environment of every Wine process of the prefix: quiet logs,
// no Mono or Gecko install prompts, the test user, and no X display unless
// extra gives one.
func (p *Prefix) env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "DISPLAY" || k == "WAYLAND_DISPLAY" || k == "USER" || k == "LOGNAME" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "WINEPREFIX="+p.Dir, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=",
		"USER="+UserName, "LOGNAME="+UserName, "WINEARCH=win64")
	return append(env, extra...)
}

func (p *Prefix) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = p.env()
	return cmd
}

// Wine returns a command running a Windows program (a path on this machine
// or a name Wine finds, such as cmd or reg) with args in the prefix. extra
// adds environment variables (DISPLAY=:1).
func (p *Prefix) Wine(ctx context.Context, program string, extra []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "wine", append([]string{program}, args...)...)
	cmd.Env = p.env(extra...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Result is what a finished program did.
type Result struct {
	Stdout, Stderr string
	Code           int // exit status; -1 when it did not run or was killed
}

// Run runs program with args and stdin (nil for none) to the end.
func (p *Prefix) Run(ctx context.Context, program string, stdin io.Reader, args ...string) (Result, error) {
	cmd := p.Wine(ctx, program, nil, args...)
	return run(cmd, stdin)
}

func run(cmd *exec.Cmd, stdin io.Reader) (Result, error) {
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &out, &errb
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errb.String(), Code: -1}
	var exit *exec.ExitError
	switch {
	case err == nil:
		r.Code = 0
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
		err = nil
	}
	return r, err
}

// Wait waits until every process of the prefix has ended and its
// wineserver has written the registry to disk and exited.
func (p *Prefix) Wait(ctx context.Context) error {
	if out, err := p.command(ctx, "wineserver", "-w").CombinedOutput(); err != nil {
		return fmt.Errorf("wineserver -w: %w: %s", err, out)
	}
	return nil
}

// Close ends every process of the prefix (wineserver -k) and removes it.
func (p *Prefix) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = p.command(ctx, "wineserver", "-k").Run()
	return os.RemoveAll(p.Dir)
}

// UserDir is C:\users\Ölands Bageri on this machine.
func (p *Prefix) UserDir() string {
	return filepath.Join(p.Dir, "drive_c", "users", UserName)
}

// AppData is %APPDATA% (C:\users\Ölands Bageri\AppData\Roaming) on this
// machine: Go's os.UserConfigDir on Windows, so Ledgerline's default data
// folder is AppData()/Ledgerline.
func (p *Prefix) AppData() string { return filepath.Join(p.UserDir(), "AppData", "Roaming") }

// LocalAppData is %LOCALAPPDATA% on this machine.
func (p *Prefix) LocalAppData() string { return filepath.Join(p.UserDir(), "AppData", "Local") }

// WinPath is the Windows name of a path on this machine inside drive_c
// (C:\...), or under Wine's Z: drive for any other path.
func (p *Prefix) WinPath(path string) string {
	c := filepath.Join(p.Dir, "drive_c")
	if rel, err := filepath.Rel(c, path); err == nil && !strings.HasPrefix(rel, "..") {
		return `C:\` + strings.ReplaceAll(rel, "/", `\`)
	}
	return `Z:` + strings.ReplaceAll(path, "/", `\`)
}

// RegQuery is `reg query key /s`'s output ("" and no error when the key
// does not exist: reg exits 1 then).
func (p *Prefix) RegQuery(ctx context.Context, key string) (string, bool, error) {
	r, err := p.Run(ctx, "reg", nil, "query", key, "/s")
	if err != nil {
		return "", false, err
	}
	if r.Code != 0 {
		return "", false, nil
	}
	return r.Stdout, true, nil
}
