// Package testkit holds helpers shared by Ledgerline's tests. It is imported
// only from _test files.
package testkit

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// FormBrowser plays a person's browser with plain HTTP against the
// sandbox's authorize page: it follows redirects, reads the form, and
// submits it with the Authorize access or Deny button. It stands in for a
// real browser in fast tests; the end-to-end test uses headless Chromium.
type FormBrowser struct {
	// Account is the acct_… id to sign in as; empty picks the page's default.
	Account string
	// Deny clicks Deny instead of Authorize access.
	Deny bool
	// Visited records every URL the browser was asked to open.
	Visited []string
	// Final is the last page's body (the app's loopback answer).
	Final string
	// FinalStatus is the last page's HTTP status.
	FinalStatus int

	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

var (
	hiddenInput  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
	checkedRadio = regexp.MustCompile(`<input type="radio" name="([^"]+)" value="([^"]*)" checked`)
	buttonTag    = regexp.MustCompile(`<button[^>]*name="([^"]+)" value="([^"]+)"[^>]*>\s*([^<]+)`)
)

// Open is an OpenURL seam: it runs the whole sign-in synchronously.
func (b *FormBrowser) Open(raw string) error {
	b.Visited = append(b.Visited, raw)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(raw)
	if err != nil {
		return fmt.Errorf("browser: %w", err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if m := checkedRadio.FindStringSubmatch(string(page)); m != nil {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if b.Account != "" {
		form.Set("account", b.Account)
	}
	want := "Authorize access"
	if b.Deny {
		want = "Deny"
	}
	found := false
	for _, m := range buttonTag.FindAllStringSubmatch(string(page), -1) {
		if strings.TrimSpace(m[3]) == want {
			form.Set(m[1], m[2])
			found = true
		}
	}
	if !found {
		return errors.New("browser: no " + want + " button on " + resp.Request.URL.Path)
	}
	resp, err = c.PostForm(resp.Request.URL.String(), form)
	if err != nil {
		return fmt.Errorf("browser: %w", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	b.Final, b.FinalStatus = string(body), resp.StatusCode
	return nil
}

// OpenURL is the app's browser seam: it runs Open on its own goroutine, as
// a real browser would, because the app's OpenURL must not wait for the
// sign-in to finish. Wait returns Open's error once it is done.
func (b *FormBrowser) OpenURL(raw string) error {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		if err := b.Open(raw); err != nil {
			b.mu.Lock()
			b.err = errors.Join(b.err, err)
			b.mu.Unlock()
		}
	}()
	return nil
}

// Wait waits for every sign-in started through OpenURL and returns their errors.
func (b *FormBrowser) Wait() error {
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
