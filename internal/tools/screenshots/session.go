package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// innerEnv, set to the throwaway folder, marks the second run of this
// program: the one inside the D-Bus session, which does the work.
const innerEnv = "LEDGERLINE_SCREENSHOTS_DIR"

// keyringPassword unlocks the throwaway keyring; it guards nothing real.
const keyringPassword = "ledgerline-screenshots"

// required are the programs the screenshots need, and where they come from
// on Debian (.ci/deps.sh test installs all but xdotool).
var required = []struct{ prog, pkg string }{
	{"dbus-run-session", "dbus"},
	{"gnome-keyring-daemon", "gnome-keyring"},
	{"Xvfb", "xvfb"},
	{"xwd", "x11-apps"},
	{"xwdtopnm", "netpbm"},
	{"xdotool", "xdotool"},
}

// runOuter checks what is needed, makes the throwaway folders and runs this
// program again inside a private D-Bus session with GNOME Keyring unlocked.
// Its process group is stopped on Ctrl-C or SIGTERM; the folders are
// removed afterwards unless cfg.keep.
func runOuter(cfg config) error {
	var missing []string
	for _, r := range required {
		if _, err := exec.LookPath(r.prog); err != nil {
			missing = append(missing, fmt.Sprintf("%s (Debian package %s)", r.prog, r.pkg))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing programs: %s", strings.Join(missing, ", "))
	}
	bin, err := filepath.Abs(cfg.bin)
	if err != nil {
		return err
	}
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		return fmt.Errorf("no ledgerline program at %s: build it first (make build)", bin)
	}
	out, err := filepath.Abs(cfg.out)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to run it again: %w", err)
	}
	dir, err := os.MkdirTemp("", "ledgerline-screenshots-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "screenshots: throwaway folders kept in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	env := []string{innerEnv + "=" + dir, "KEYRING_PASSWORD=" + keyringPassword, "LANG=C.UTF-8"}
	for _, sub := range []struct{ name, env string }{
		{"xdg-data", "XDG_DATA_HOME"}, {"xdg-config", "XDG_CONFIG_HOME"},
		{"xdg-cache", "XDG_CACHE_HOME"}, {"xdg-runtime", "XDG_RUNTIME_DIR"},
	} {
		p := filepath.Join(dir, sub.name)
		if err := os.Mkdir(p, 0o700); err != nil {
			return err
		}
		env = append(env, sub.env+"="+p)
	}
	script := `printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"`
	args := []string{"--", "sh", "-c", script, "sh", self, "-bin", bin, "-out", out, "-keep=" + strconv.FormatBool(cfg.keep), "-locale", cfg.locale}
	cmd := exec.Command("dbus-run-session", args...)
	cmd.Env = append(withoutSession(os.Environ()), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// Its own process group: a signal to this program stops the whole tree
	// (the app, Xvfb, the bus and the keyring), never anything else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting dbus-run-session: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	pgid := cmd.Process.Pid
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		<-done
		err = errors.New("stopped")
	}
	// dbus-run-session may end before what it started (this program's
	// inner run cleaning up, the keyring): wait for the group to empty.
	if !groupGone(pgid, 10*time.Second) {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		groupGone(pgid, 5*time.Second)
	}
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return err
	default:
		return errors.New("failed (see above)")
	}
}

// groupGone waits until no process is left in the process group, at most
// wait; it reports whether the group is empty.
func groupGone(pgid int, wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	for syscall.Kill(-pgid, 0) == nil {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}

// withoutSession drops the caller's D-Bus session and display, so nothing
// reaches the person's own keyring or screen.
func withoutSession(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL", "FYNE_SCALE", "FYNE_THEME":
			continue
		}
		out = append(out, kv)
	}
	return out
}
