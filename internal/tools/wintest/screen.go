package wintest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/ledgerline/ledgerline/internal/tools/benchkit"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Xvfb is a running virtual X screen (1280×800, 24 bits), shared with
// the benchmark tools.
type Xvfb = benchkit.Xvfb

// StartXvfb starts Xvfb on the first free display.
func StartXvfb() (*Xvfb, error) { return benchkit.StartXvfb() }

// Window is a window on the screen: its title, X id and rectangle.
type Window struct {
	Title string
	ID    string
	Rect  image.Rectangle
}

func xdotool(ctx context.Context, display string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("xdotool %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// FindWindow waits until a visible window whose title matches the regular
// expression title is on the display at least minW×minH (a window still
// being set up is smaller), or until exited is closed, or ctx ends.
func FindWindow(ctx context.Context, display, title string, minW, minH int, exited <-chan struct{}) (Window, error) {
	last := "no window titled " + title
	for {
		select {
		case <-exited:
			return Window{}, errors.New("the program exited before its window appeared")
		case <-ctx.Done():
			return Window{}, fmt.Errorf("the window did not appear: %s", last)
		case <-time.After(300 * time.Millisecond):
		}
		ids, err := xdotool(ctx, display, "search", "--onlyvisible", "--name", title)
		if err != nil || strings.TrimSpace(ids) == "" {
			continue
		}
		w := Window{ID: strings.Fields(ids)[0]}
		geo, err := xdotool(ctx, display, "getwindowgeometry", "--shell", w.ID)
		if err != nil {
			last = err.Error()
			continue
		}
		var x, y, wd, ht int
		for _, line := range strings.Split(geo, "\n") {
			name, val, _ := strings.Cut(strings.TrimSpace(line), "=")
			n, _ := strconv.Atoi(val)
			switch name {
			case "X":
				x = n
			case "Y":
				y = n
			case "WIDTH":
				wd = n
			case "HEIGHT":
				ht = n
			}
		}
		w.Rect = image.Rect(x, y, x+wd, y+ht)
		if name, err := xdotool(ctx, display, "getwindowname", w.ID); err == nil {
			w.Title = strings.TrimSpace(name)
		}
		if wd >= minW && ht >= minH {
			return w, nil
		}
		last = fmt.Sprintf("the window is %d×%d", wd, ht)
	}
}

// Grab captures the window's part of the screen: xwd takes the whole
// screen (reliable for OpenGL windows), netpbm turns it into a PNG, and the
// window's rectangle is cut out.
func Grab(ctx context.Context, display string, w Window) (*image.RGBA, error) {
	sh := exec.CommandContext(ctx, "sh", "-c", "xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng 2>/dev/null")
	sh.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := sh.Output()
	if err != nil {
		return nil, fmt.Errorf("capturing the screen (xwd | xwdtopnm | pnmtopng): %w", err)
	}
	screen, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		return nil, fmt.Errorf("reading the screen capture: %w", err)
	}
	if !w.Rect.In(screen.Bounds()) {
		return nil, fmt.Errorf("the window %v is not inside the screen %v", w.Rect, screen.Bounds())
	}
	img := image.NewRGBA(image.Rect(0, 0, w.Rect.Dx(), w.Rect.Dy()))
	for y := 0; y < w.Rect.Dy(); y++ {
		for x := 0; x < w.Rect.Dx(); x++ {
			img.Set(x, y, screen.At(w.Rect.Min.X+x, w.Rect.Min.Y+y))
		}
	}
	return img, nil
}
