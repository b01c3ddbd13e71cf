package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// shot is one picture: Name.png, what it shows, and the steps that bring
// the window there from where the previous shot left it.
type shot struct {
	Name  string
	Desc  string
	Steps []step
}

// runInner does the work inside the D-Bus session: seed, start Xvfb and
// the app, take the shots, and stop everything it started. The PNGs go to
// cfg.out only when every shot succeeded.
func runInner(cfg config, dir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	logs := filepath.Join(dir, "logs")
	data := filepath.Join(dir, "data")
	staged := filepath.Join(dir, "shots")
	for _, d := range []string{logs, staged} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	fail := func(err error) error {
		if ctx.Err() != nil {
			err = errors.New("stopped by a signal")
		}
		if cfg.keep {
			return fmt.Errorf("%w (logs in %s)", err, logs)
		}
		return fmt.Errorf("%w (run with -keep to keep the logs)", err)
	}

	seedLog, err := os.Create(filepath.Join(logs, "seed.log"))
	if err != nil {
		return err
	}
	defer seedLog.Close()
	fmt.Fprintf(os.Stderr, "screenshots: seeding a sandbox data folder (%s and %s)…\n", oauthAccount, keyAccount)
	if err := (seeder{bin: cfg.bin, data: data, log: seedLog}).seed(ctx); err != nil {
		return fail(err)
	}
	fmt.Fprintf(os.Stderr, "screenshots: seeded in %s; starting Xvfb and the app\n", time.Since(started).Round(time.Second))

	xlog, err := os.Create(filepath.Join(logs, "xvfb.log"))
	if err != nil {
		return err
	}
	defer xlog.Close()
	x, err := startXvfb(xlog)
	if err != nil {
		return fail(err)
	}
	defer x.stop(5 * time.Second)

	appLog, err := os.Create(filepath.Join(logs, "app.log"))
	if err != nil {
		return err
	}
	defer appLog.Close()
	app, exited, err := startApp(cfg.bin, data, x.display, cfg.locale, appLog)
	if err != nil {
		return fail(err)
	}
	defer app.stop(3 * time.Second) // it keeps running on SIGTERM; killed after 3 s

	win, err := findWindow(ctx, x.display, exited, windowTimeout)
	if err != nil {
		return fail(err)
	}
	var prev *image.RGBA
	for _, s := range shots {
		img, err := take(ctx, win, s, prev, exited)
		if err != nil {
			return fail(fmt.Errorf("%s.png: %w", s.Name, err))
		}
		if err := writePNG(filepath.Join(staged, s.Name+".png"), img); err != nil {
			return fail(err)
		}
		prev = img
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	for _, s := range shots {
		if err := copyFile(filepath.Join(staged, s.Name+".png"), filepath.Join(cfg.out, s.Name+".png")); err != nil {
			return err
		}
		fmt.Printf("%-16s %s\n", s.Name+".png", s.Desc)
	}
	fmt.Fprintf(os.Stderr, "screenshots: %d pictures in %s, in %s\n", len(shots), cfg.out, time.Since(started).Round(time.Second))
	return nil
}

// startApp opens the window on the seeded folder in the system locale
// given (LANG, and LANGUAGE unset so LANG decides), with a fixed scale and
// theme so the pictures are the same from run to run. exited is closed
// when the app ends.
func startApp(bin, data, display, locale string, log io.Writer) (*proc, <-chan struct{}, error) {
	cmd := exec.Command(bin, "--sandbox", "--data-dir", data)
	cmd.Env = append(withoutLocale(os.Environ()), "DISPLAY="+display, "FYNE_SCALE=1", "FYNE_THEME=light", "LANG="+locale)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := watch(cmd)
	return p, p.done, nil
}

// take runs a shot's steps, waits for the window to settle and returns the
// picture, refused when it is blank or the same as the previous shot's.
func take(ctx context.Context, w window, s shot, prev *image.RGBA, exited <-chan struct{}) (*image.RGBA, error) {
	for _, st := range s.Steps {
		select {
		case <-exited:
			return nil, fmt.Errorf("the app exited before %q (see app.log)", st.desc)
		default:
		}
		if err := st.do(ctx, w); err != nil {
			return nil, fmt.Errorf("step %q: %w", st.desc, err)
		}
	}
	img, err := settle(ctx, w)
	if err != nil {
		return nil, err
	}
	select {
	case <-exited:
		return nil, fmt.Errorf("the app exited (see app.log)")
	default:
	}
	if singleColour(img) {
		return nil, fmt.Errorf("the picture is blank (one colour): the window was not drawn")
	}
	if samePicture(img, prev) {
		return nil, fmt.Errorf("the picture is the same as the previous shot's: the steps changed nothing (retune the coordinates in main.go)")
	}
	return img, nil
}

// settle captures the window until two captures in a row are equal, or
// settleMax passes (a clock or a sync's progress may never stop moving;
// then the last capture is taken as it is).
func settle(ctx context.Context, w window) (*image.RGBA, error) {
	deadline := time.Now().Add(settleMax)
	var last *image.RGBA
	for {
		img, err := grab(ctx, w)
		if err != nil {
			return nil, err
		}
		if samePicture(img, last) || time.Now().After(deadline) {
			return img, nil
		}
		last = img
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(settleEvery):
		}
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// withoutLocale drops the locale variables that would outrank LANG.
func withoutLocale(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES":
			continue
		}
		out = append(out, kv)
	}
	return out
}
