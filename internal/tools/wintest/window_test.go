package wintest

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The window checks' thresholds. A window is "not blank" with at least
// minColours colours and no colour covering more than maxCommonest of it.
// The Windows and Linux windows are "the same page" when at most
// maxDifferent of their pixels differ by more than tolerance levels: both
// are drawn by Fyne's own OpenGL renderer (Mesa's llvmpipe, through Wine's
// opengl32 for Windows) with Fyne's own fonts, so the same page comes out
// nearly pixel for pixel; another page (or an error dialog) differs in far
// more pixels than this.
const (
	minColours   = 30
	maxCommonest = 0.99
	tolerance    = 48
	maxDifferent = 0.02
)

// TestWindowMatchesLinux opens the window of the Windows program under Wine
// and of the Linux program, each on an empty data folder on the same Xvfb
// screen, and compares their screenshots: same title and size, neither
// blank, and the same picture within maxDifferent (both show the Data
// Sources page with its Add a Data Source button). The pictures are kept in
// WINTEST_OUT when it is set.
func TestWindowMatchesLinux(t *testing.T) {
	needWine(t)
	ctx := ctxFor(t, 4*time.Minute)
	x, err := StartXvfb()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Stop()
	look := []string{"DISPLAY=" + x.Display, "FYNE_SCALE=1", "FYNE_THEME=light"}

	linuxDir := t.TempDir()
	linux := exec.CommandContext(ctx, linuxPath, "--data-dir", linuxDir)
	linux.Env = append(os.Environ(), look...)
	linuxShot, linuxWin := shoot(t, ctx, x, linux)

	winDir := filepath.Join(prefix.UserDir(), "Fönster test")
	windows := prefix.Wine(ctx, exePath, look, "--data-dir", prefix.WinPath(winDir))
	winShot, winWin := shoot(t, ctx, x, windows)

	if out := os.Getenv("WINTEST_OUT"); out != "" {
		save(t, filepath.Join(out, "window-linux.png"), linuxShot)
		save(t, filepath.Join(out, "window-windows.png"), winShot)
	}

	if winWin.ID == linuxWin.ID {
		t.Fatalf("both pictures are of X window %s: the Linux window was not gone", winWin.ID)
	}
	if winWin.Title != linuxWin.Title || winWin.Title != "Ledgerline" {
		t.Errorf("window titles: Windows %q, Linux %q; want Ledgerline", winWin.Title, linuxWin.Title)
	}
	if winWin.Rect.Size() != linuxWin.Rect.Size() {
		t.Errorf("window sizes: Windows %v, Linux %v", winWin.Rect.Size(), linuxWin.Rect.Size())
	}
	for name, img := range map[string]*image.RGBA{"Windows": winShot, "Linux": linuxShot} {
		s := PictureStats(img)
		t.Logf("%s window: %v, %d colours, commonest %.1f%%", name, img.Bounds().Size(), s.Colours, 100*s.CommonestPart)
		if s.Colours < minColours || s.CommonestPart > maxCommonest {
			t.Errorf("the %s window looks blank: %d colours, one covers %.1f%%", name, s.Colours, 100*s.CommonestPart)
		}
	}
	d := Difference(winShot, linuxShot, tolerance)
	t.Logf("pixels differing by more than %d levels: %.2f%%", tolerance, 100*d)
	if d > maxDifferent {
		t.Errorf("the Windows window differs from the Linux one in %.1f%% of its pixels (at most %.0f%% allowed)", 100*d, 100*maxDifferent)
	}
}

// shoot starts cmd, waits for its window and for its picture to settle
// (two captures a second apart equal), captures it and ends the program.
func shoot(t *testing.T, ctx context.Context, x *Xvfb, cmd *exec.Cmd) (*image.RGBA, Window) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
		if err := prefix.Wait(ctx); err != nil { // Wine's own processes for the window
			t.Log(err)
		}
	}()
	findCtx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	w, err := FindWindow(findCtx, x.Display, "^Ledgerline", 400, 300, exited)
	if err != nil {
		t.Fatal(err)
	}
	var last *image.RGBA
	for i := 0; i < 20; i++ {
		time.Sleep(time.Second)
		img, err := Grab(ctx, x.Display, w)
		if err != nil {
			t.Fatal(err)
		}
		if last != nil && Difference(img, last, 0) == 0 && PictureStats(img).Colours >= minColours {
			return img, w
		}
		last = img
	}
	return last, w
}

func save(t *testing.T, path string, img *image.RGBA) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
