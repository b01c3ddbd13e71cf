package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// chromium plays the person's system browser: headless Debian Chromium,
// driven over the DevTools protocol, opens the sign-in URL, clicks a
// button on the sandbox's Stripe page by its text, and waits for the
// page the app's loopback answers with.
type chromium struct {
	ctx    context.Context
	button string // "Authorize access" or "Deny"

	wg    sync.WaitGroup
	mu    sync.Mutex
	final string
	err   error
}

func newChromium(t *testing.T, button string) *chromium {
	t.Helper()
	path := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		// The machine has no internet: keep Chromium from trying to reach it.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser now, not inside the sign-in's clock
		t.Fatalf("starting Chromium: %v", err)
	}
	return &chromium{ctx: ctx, button: button}
}

// OpenURL is the app's browser seam. Like a real opener it returns at once;
// the browser works on its own goroutine.
func (c *chromium) OpenURL(u string) error {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
		defer cancel()
		err := chromedp.Do(ctx,
			chromedp.Navigate(u),
			chromedp.Click(chromedp.Search(`//button[normalize-space()="`+c.button+`"]`)),
			// The app's loopback page marks its <main> ok or fail; the sandbox's does not.
			chromedp.WaitVisible(chromedp.CSS("main.ok h1, main.fail h1")),
		)
		var text string
		if err == nil {
			text, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		}
		c.mu.Lock()
		c.final, c.err = text, err
		c.mu.Unlock()
	}()
	return nil
}

func (c *chromium) wait() (string, error) {
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.final, c.err
}

func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("LEDGERLINE_E2E") == "1" {
		t.Fatal("LEDGERLINE_E2E=1 but no Chromium is installed (apt-get install chromium)")
	}
	t.Skip("no Chromium; set LEDGERLINE_E2E=1 (make test does) to require it")
	return ""
}

// realKeychain returns the system keychain under a service name of the
// test's own, so a person's real items are never touched.
func realKeychain(t *testing.T) (secrets.Backend, string) {
	t.Helper()
	if os.Getenv("LEDGERLINE_KEYCHAIN_TESTS") != "1" {
		t.Skip("real keychain tests are off; make test runs them against gnome-keyring")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return secrets.SystemBackend{}, "Ledgerline-e2e-" + hex.EncodeToString(b[:])
}

// TestEndToEndInARealBrowser is the product's promise, with real parts:
// the app's loopback listener, the broker and the sandbox on loopback,
// headless Chromium as the browser, SQLite on disk and the Secret Service.
func TestEndToEndInARealBrowser(t *testing.T) {
	keys, service := realKeychain(t)

	openApp := func(t *testing.T, browser *chromium) *App {
		cfg := config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Sandbox: true}
		a, err := Open(context.Background(), cfg, Options{
			OpenURL: browser.OpenURL, KeychainBackend: keys, KeychainService: service, SignInTimeout: 40 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = a.Close() })
		return a
	}

	t.Run("Authorize access ends with the record in SQLite and the tokens in the keychain", func(t *testing.T) {
		browser := newChromium(t, "Authorize access")
		a := openApp(t, browser)
		start := time.Now()
		conn, err := a.Connect.ConnectStripe(context.Background())
		took := time.Since(start)
		if err != nil {
			_, berr := browser.wait()
			t.Fatalf("%v (browser: %v)", err, berr)
		}
		t.Cleanup(func() { _ = a.Keychain.DeleteCredentials(context.Background(), conn.ID) })
		page, err := browser.wait()
		if err != nil {
			t.Fatalf("browser: %v", err)
		}
		t.Logf("sandbox connect in Chromium, click to success: %v", took.Round(time.Millisecond))
		if !strings.Contains(page, "Ledgerline is connected") {
			t.Errorf("the browser shows %q", page)
		}
		stored, err := a.Store.GetConnection(context.Background(), conn.ID)
		if err != nil || stored.AccountID != a.Sandbox.Info.Accounts[0].ID {
			t.Fatalf("record %+v, %v", stored, err)
		}
		// Read the item back the way any Secret Service client would.
		out, err := exec.Command("secret-tool", "lookup", "service", service, "username", conn.ID).Output()
		if err != nil {
			t.Fatalf("secret-tool lookup: %v", err)
		}
		creds, err := a.Keychain.LoadCredentials(context.Background(), conn.ID)
		if err != nil || creds.AccessToken == "" || !strings.Contains(string(out), creds.AccessToken) {
			t.Errorf("the keychain item does not hold the tokens (err %v)", err)
		}
	})

	t.Run("Deny ends with a clear message and nothing stored", func(t *testing.T) {
		browser := newChromium(t, "Deny")
		a := openApp(t, browser)
		_, err := a.Connect.ConnectStripe(context.Background())
		if !errors.Is(err, authflow.ErrDenied) {
			_, berr := browser.wait()
			t.Fatalf("err = %v, want ErrDenied (browser: %v)", err, berr)
		}
		page, _ := browser.wait()
		if !strings.Contains(page, "denied") {
			t.Errorf("the browser shows %q", page)
		}
		list, _ := a.Store.ListConnections(context.Background())
		if len(list) != 0 {
			t.Errorf("%d records after Deny", len(list))
		}
		if out, _ := exec.Command("secret-tool", "search", "service", service).CombinedOutput(); strings.Contains(string(out), "conn_") {
			t.Errorf("keychain items after Deny: %s", out)
		}
	})
}
