package wintest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"syscall"
)

// Sandbox is a running Linux stripe-sandbox on 127.0.0.1, which the Windows
// program reaches through Wine like any local server.
type Sandbox struct {
	BaseURL string
	Account string // the first account's ID
	APIKey  string // its restricted key
	cmd     *exec.Cmd
}

// StartSandbox runs the stripe-sandbox program with one account on a free
// loopback port, plus args (--scale, --seed, --rate-limit), and reads its
// start line.
func StartSandbox(program string, args ...string) (*Sandbox, error) {
	cmd := exec.Command(program, append([]string{"--addr", "127.0.0.1:0", "--accounts", "1"}, args...)...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", program, err)
	}
	s := &Sandbox{cmd: cmd}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("reading the sandbox's start line: %w", err)
	}
	var info struct {
		BaseURL  string `json:"base_url"`
		Accounts []struct {
			ID     string `json:"id"`
			APIKey string `json:"api_key"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(line, &info); err != nil || len(info.Accounts) == 0 {
		s.Stop()
		return nil, fmt.Errorf("the sandbox's start line %q: %v", line, err)
	}
	s.BaseURL, s.Account, s.APIKey = info.BaseURL, info.Accounts[0].ID, info.Accounts[0].APIKey
	return s, nil
}

// Stop ends the sandbox.
func (s *Sandbox) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// Count is one type's objects in the sandbox's truth.
type Count struct{ Live, Deleted int64 }

// Truth is GET /_sandbox/truth for the account: every type's live and
// deleted objects, as the sandbox generated them (an account's contents
// computed independently of any sync).
func (s *Sandbox) Truth() (map[string]Count, error) {
	resp, err := http.Get(s.BaseURL + "/_sandbox/truth?account=" + url.QueryEscape(s.Account))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /_sandbox/truth: %s", resp.Status)
	}
	var truth map[string]Count
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil {
		return nil, fmt.Errorf("reading /_sandbox/truth: %w", err)
	}
	return truth, nil
}
