package authflow

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBrowser is the OpenURL seam: it records every URL and, like a real
// opener, returns at once while the "browser" plays on in a goroutine.
type fakeBrowser struct {
	t      *testing.T
	play   func(b *fakeBrowser, authURL string) // nil: the browser never comes back
	opened chan string
	visits chan visit
	client *http.Client
	wg     sync.WaitGroup
	mu     sync.Mutex
	urls   []string
}

// visit is what the browser saw at the end of its redirects.
type visit struct {
	status int
	header http.Header
	body   string
	url    *url.URL
	err    error
}

func newFakeBrowser(t *testing.T, play func(b *fakeBrowser, authURL string)) *fakeBrowser {
	b := &fakeBrowser{
		t: t, play: play,
		opened: make(chan string, 4),
		visits: make(chan visit, 16),
		client: &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 20 * time.Second},
	}
	t.Cleanup(func() {
		b.wg.Wait()
		b.client.CloseIdleConnections()
	})
	return b
}

func (b *fakeBrowser) OpenURL(u string) error {
	b.mu.Lock()
	b.urls = append(b.urls, u)
	b.mu.Unlock()
	b.opened <- u
	if b.play != nil {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.play(b, u)
		}()
	}
	return nil
}

// get fetches u following redirects, as a browser would, and records it.
func (b *fakeBrowser) get(u string) visit {
	resp, err := b.client.Get(u)
	if err != nil {
		v := visit{err: err}
		b.visits <- v
		return v
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	v := visit{status: resp.StatusCode, header: resp.Header, body: string(body), url: resp.Request.URL}
	b.visits <- v
	return v
}

// follows is the browser of a person who signs in: it opens the URL.
func follows(b *fakeBrowser, authURL string) { b.get(authURL) }

func (b *fakeBrowser) nextVisit(t *testing.T) visit {
	t.Helper()
	select {
	case v := <-b.visits:
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("the fake browser recorded no visit")
		return visit{}
	}
}

func (b *fakeBrowser) waitOpened(t *testing.T) string {
	t.Helper()
	select {
	case u := <-b.opened:
		return u
	case <-time.After(20 * time.Second):
		t.Fatal("Login never opened the browser")
		return ""
	}
}

// callbackURL builds what a broker would send the browser back to, from
// the authorization URL Login opened.
func callbackURL(t *testing.T, authURL string, params url.Values) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("parse auth URL: %v", err)
	}
	return u.Query().Get("redirect_uri") + "?" + params.Encode()
}

func authState(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("parse auth URL: %v", err)
	}
	return u.Query().Get("state")
}

// logBuffer captures log lines safely from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newTestFlow builds a Flow against broker with browser as OpenURL and a
// captured debug log; edit adjusts the Config.
func newTestFlow(t *testing.T, brokerURL string, browser *fakeBrowser, edit func(*Config)) (*Flow, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	cfg := Config{
		BrokerURL: brokerURL,
		OpenURL:   browser.OpenURL,
		Timeout:   20 * time.Second,
		Now:       func() time.Time { return testNow },
		Logger:    slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&cfg)
	}
	f, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f, logs
}

// assertNoSecrets fails when text holds any of secrets.
func assertNoSecrets(t *testing.T, where, text string, secrets map[string]string) {
	t.Helper()
	for name, s := range secrets {
		if s == "" {
			t.Errorf("%s: secret %s is empty, so the check proves nothing", where, name)
			continue
		}
		if strings.Contains(text, s) {
			t.Errorf("%s holds the %s", where, name)
		}
	}
}

// nonLoopbackAddr returns a local address off the loopback interface, or
// "" when the machine has none.
func nonLoopbackAddr() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		return ipn.IP.String()
	}
	return ""
}
