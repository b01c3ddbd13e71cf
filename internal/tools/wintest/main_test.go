package wintest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The suite's inputs, from the Makefile's test-windows target.
var (
	exePath     = os.Getenv("WINTEST_EXE")     // dist/Ledgerline.exe
	setupPath   = os.Getenv("WINTEST_SETUP")   // dist/Ledgerline-Setup.exe
	sandboxPath = os.Getenv("WINTEST_SANDBOX") // bin/stripe-sandbox (Linux)
	linuxPath   = os.Getenv("WINTEST_LINUX")   // bin/ledgerline (Linux), for the window comparison
)

// prefix is the suite's one Wine prefix (made once: wineboot takes half a
// minute); tests that install or run programs there run one after another.
var prefix *Prefix

func TestMain(m *testing.M) {
	if os.Getenv("LEDGERLINE_WINE_TESTS") != "1" {
		os.Exit(m.Run()) // the picture checks' own tests; the Wine ones skip
	}
	for name, v := range map[string]string{"WINTEST_EXE": exePath, "WINTEST_SETUP": setupPath, "WINTEST_SANDBOX": sandboxPath, "WINTEST_LINUX": linuxPath} {
		if _, err := os.Stat(v); v == "" || err != nil {
			fmt.Fprintf(os.Stderr, "wintest: %s must name a built program (%q)\n", name, v)
			os.Exit(2)
		}
	}
	code, err := withPrefix(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wintest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func withPrefix(m *testing.M) (int, error) {
	tmp, err := os.MkdirTemp("", "wintest-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	src, err := filepath.Abs("testdata")
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	p, err := NewPrefix(ctx, filepath.Join(tmp, "prefix"), src)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	fmt.Printf("wintest: Wine prefix for %q ready in %s\n", UserName, time.Since(start).Round(time.Second))
	prefix = p
	return m.Run(), nil
}

// needWine skips t unless the suite made a Wine prefix.
func needWine(t *testing.T) {
	t.Helper()
	if prefix == nil {
		t.Skip("needs Wine and the built programs: set LEDGERLINE_WINE_TESTS=1, or run make test-windows")
	}
}

// ctxFor is a context that ends before the test's deadline.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
