package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// xvfb is a running virtual screen.
type xvfb struct {
	*proc
	display string // ":99"
}

// startXvfb starts Xvfb on the first free display; Xvfb picks it and
// writes its number to -displayfd.
func startXvfb(log io.Writer) (*xvfb, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", screenSpec, "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting Xvfb: %w", err)
	}
	w.Close()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	x := &xvfb{proc: watch(cmd)}
	select {
	case n := <-got:
		if _, err := strconv.Atoi(n); err != nil {
			x.stop(5 * time.Second)
			return nil, errors.New("Xvfb did not start (see xvfb.log)")
		}
		x.display = ":" + n
		return x, nil
	case <-time.After(15 * time.Second):
		x.stop(5 * time.Second)
		return nil, errors.New("Xvfb did not say which display it took within 15 s")
	}
}

// proc is a started process; done is closed when it has ended.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// watch waits for cmd in the background.
func watch(cmd *exec.Cmd) *proc {
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	return p
}

// stop asks the process to end, kills it after grace, and waits for it.
func (p *proc) stop(grace time.Duration) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// window is the app's window on the screen: its X id and where it is.
type window struct {
	display    string
	id         string
	x, y, w, h int
}

// xdotool runs xdotool on the display and returns its output.
func xdotool(ctx context.Context, display string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("xdotool %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// findWindow waits until the app's window is on screen at its full size
// (windowW×windowH), or until exited reports the app gone, or timeout.
func findWindow(ctx context.Context, display string, exited <-chan struct{}, timeout time.Duration) (window, error) {
	deadline := time.Now().Add(timeout)
	last := "no window titled Ledgerline"
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return window{}, errors.New("the app exited before its window appeared (see app.log)")
		case <-ctx.Done():
			return window{}, ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
		ids, err := xdotool(ctx, display, "search", "--onlyvisible", "--name", "^Ledgerline")
		if err != nil || strings.TrimSpace(ids) == "" {
			continue
		}
		win := window{display: display, id: strings.Fields(ids)[0]}
		geo, err := xdotool(ctx, display, "getwindowgeometry", "--shell", win.id)
		if err != nil {
			last = err.Error()
			continue
		}
		for _, line := range strings.Split(geo, "\n") {
			name, val, _ := strings.Cut(strings.TrimSpace(line), "=")
			n, _ := strconv.Atoi(val)
			switch name {
			case "X":
				win.x = n
			case "Y":
				win.y = n
			case "WIDTH":
				win.w = n
			case "HEIGHT":
				win.h = n
			}
		}
		if win.w == windowW && win.h == windowH {
			// No window manager: give it the keyboard focus ourselves.
			_, _ = xdotool(ctx, display, "windowfocus", "--sync", win.id)
			return win, nil
		}
		last = fmt.Sprintf("the window is %d×%d, not %d×%d (is FYNE_SCALE=1 honoured?)", win.w, win.h, windowW, windowH)
	}
	return window{}, fmt.Errorf("the app's window did not appear within %s: %s", timeout, last)
}

// step is one action in a shot: desc says what it does, in the error when
// it fails.
type step struct {
	desc string
	do   func(ctx context.Context, w window) error
}

// click moves the pointer to (x, y) in the window and clicks there.
func click(x, y int, what string) step {
	return step{fmt.Sprintf("click %s at (%d, %d)", what, x, y), func(ctx context.Context, w window) error {
		if err := pointTo(ctx, w, x, y); err != nil {
			return err
		}
		_, err := xdotool(ctx, w.display, "click", "1")
		return err
	}}
}

// scroll turns the mouse wheel down by notches (up when negative) over
// (x, y) in the window.
func scroll(x, y, notches int, what string) step {
	return step{fmt.Sprintf("scroll %s at (%d, %d) by %d", what, x, y, notches), func(ctx context.Context, w window) error {
		if err := pointTo(ctx, w, x, y); err != nil {
			return err
		}
		button := "5"
		if notches < 0 {
			button, notches = "4", -notches
		}
		_, err := xdotool(ctx, w.display, "click", "--repeat", strconv.Itoa(notches), "--delay", "80", button)
		return err
	}}
}

// hover moves the pointer to (x, y) in the window and leaves it there: a
// chart shows the values of the month under it.
func hover(x, y int, what string) step {
	return step{fmt.Sprintf("point at %s at (%d, %d)", what, x, y), func(ctx context.Context, w window) error {
		return pointTo(ctx, w, x, y)
	}}
}

// key presses keys, in xdotool's names ("Tab", "Escape", "ctrl+f").
func key(keys ...string) step {
	return step{"press " + strings.Join(keys, " "), func(ctx context.Context, w window) error {
		_, err := xdotool(ctx, w.display, append([]string{"key", "--delay", "80"}, keys...)...)
		return err
	}}
}

// pause waits d: for work the app does in the background.
func pause(d time.Duration) step {
	return step{"wait " + d.String(), func(ctx context.Context, _ window) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
			return nil
		}
	}}
}

// pointTo moves the pointer to (x, y) in the window, and waits a moment so
// the app sees it there (hover) before a click or wheel.
func pointTo(ctx context.Context, w window, x, y int) error {
	if x < 0 || y < 0 || x >= w.w || y >= w.h {
		return fmt.Errorf("(%d, %d) is outside the %d×%d window", x, y, w.w, w.h)
	}
	if _, err := xdotool(ctx, w.display, "mousemove", strconv.Itoa(w.x+x), strconv.Itoa(w.y+y)); err != nil {
		return err
	}
	time.Sleep(150 * time.Millisecond)
	return nil
}
