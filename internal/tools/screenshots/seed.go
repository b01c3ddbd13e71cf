package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// seeder fills a data folder through the real ledgerline command line in
// sandbox mode. Every command starts its own in-process sandbox with the
// same seed, so the accounts, keys and tokens agree between them.
type seeder struct {
	bin, data string
	log       io.Writer // the commands' output
}

// seed connects oauthAccount through the sign-in page and keyAccount with
// its restricted key, then syncs until both are caught up.
func (s seeder) seed(ctx context.Context) error {
	info, err := sandboxAccounts()
	if err != nil {
		return err
	}
	byName := map[string]sandbox.AccountInfo{}
	for _, a := range info {
		byName[a.Name] = a
	}
	oauth, ok1 := byName[oauthAccount]
	key, ok2 := byName[keyAccount]
	if !ok1 || !ok2 {
		return fmt.Errorf("the sandbox (seed %d) has no account named %q or %q; pick others in main.go", app.SandboxSeed, oauthAccount, keyAccount)
	}
	if err := s.connectSignIn(ctx, oauth.ID); err != nil {
		return fmt.Errorf("connecting %s through the sign-in page: %w", oauthAccount, err)
	}
	if err := s.run(ctx, time.Minute, strings.NewReader(key.APIKey), "connect", "stripe", "--api-key-stdin"); err != nil {
		return fmt.Errorf("connecting %s with its restricted key: %w", keyAccount, err)
	}
	if err := s.run(ctx, syncTimeout, nil, "sync"); err != nil {
		return fmt.Errorf("syncing the sandbox accounts: %w", err)
	}
	return nil
}

// sandboxAccounts returns the accounts `ledgerline --sandbox` offers. The
// sandbox is built the way the app builds it (same seed) but never started:
// only its identities are read.
func sandboxAccounts() ([]sandbox.AccountInfo, error) {
	sb, err := sandbox.New(sandbox.Options{Seed: app.SandboxSeed})
	if err != nil {
		return nil, err
	}
	defer sb.Close()
	return sb.Info().Accounts, nil
}

// run runs one ledgerline command on the data folder and waits for it.
func (s seeder) run(ctx context.Context, timeout time.Duration, stdin io.Reader, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := s.command(ctx, args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = s.log, io.MultiWriter(s.log, &stderr)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ledgerline %s: %w: %s", args[0], err, lastLine(stderr.String()))
	}
	return nil
}

func (s seeder) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, s.bin, append([]string{"--sandbox", "--data-dir", s.data}, args...)...)
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = os.Environ()
	return cmd
}

// connectSignIn runs `connect stripe --no-browser` and plays the browser:
// it opens the printed address, picks the account on the sandbox's sign-in
// page and clicks Authorize access, which lands on the command's loopback
// callback.
func (s seeder) connectSignIn(ctx context.Context, accountID string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := s.command(ctx, "connect", "stripe", "--no-browser")
	var stderr bytes.Buffer
	cmd.Stderr = io.MultiWriter(s.log, &stderr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	lines := bufio.NewScanner(stdout)
	var browseErr error
	if lines.Scan() {
		fmt.Fprintln(s.log, "(sign-in address received)")
		browseErr = authorize(ctx, strings.TrimSpace(lines.Text()), accountID)
	} else {
		browseErr = errors.New("it printed no sign-in address")
	}
	if browseErr != nil {
		cancel() // the command would wait for the sign-in until its timeout
	}
	for lines.Scan() {
		fmt.Fprintln(s.log, lines.Text())
	}
	if err := cmd.Wait(); err != nil {
		return errors.Join(browseErr, fmt.Errorf("ledgerline connect: %w: %s", err, lastLine(stderr.String())))
	}
	return browseErr
}

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
	authorizeBt = regexp.MustCompile(`<button[^>]*name="([^"]+)" value="([^"]+)"[^>]*>\s*Authorize access`)
)

// authorize opens the sign-in address and submits the sandbox's authorize
// form for accountID, following the redirects back to the app.
func authorize(ctx context.Context, addr, accountID string) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
	if err != nil {
		return fmt.Errorf("the sign-in address is not a URL: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("opening the sign-in page: %w", err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	form := map[string][]string{"account": {accountID}}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form[m[1]] = []string{html.UnescapeString(m[2])}
	}
	bt := authorizeBt.FindStringSubmatch(string(page))
	if bt == nil {
		return fmt.Errorf("no Authorize access button on %s (HTTP %d)", resp.Request.URL.Path, resp.StatusCode)
	}
	form[bt[1]] = []string{bt[2]}
	resp, err = c.PostForm(resp.Request.URL.String(), form)
	if err != nil {
		return fmt.Errorf("submitting the sign-in page: %w", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the sign-in ended with HTTP %d: %s", resp.StatusCode, lastLine(string(body)))
	}
	return nil
}

// lastLine is the last non-empty line of s, for error messages.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
