package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startLine is the JSON line the command prints on start.
type startLine struct {
	BaseURL   string `json:"base_url"`
	ClientID  string `json:"client_id"`
	SecretKey string `json:"secret_key"`
	Accounts  []struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		APIKey string `json:"api_key"`
	} `json:"accounts"`
}

// readStartLine decodes the first line of r, which must be the whole
// start line.
func readStartLine(t *testing.T, r io.Reader) startLine {
	t.Helper()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the start line: %v (got %q)", err, line)
	}
	var sl startLine
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sl); err != nil {
		t.Fatalf("start line %q: %v", line, err)
	}
	return sl
}

// accountID asks the sandbox which account a key reads.
func accountID(t *testing.T, base, key string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/v1/account", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /v1/account: %v", err)
	}
	defer resp.Body.Close()
	var acct struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&acct); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/account: %d %v", resp.StatusCode, err)
	}
	return acct.ID
}

func TestRun(t *testing.T) {
	t.Run("prints the start line, serves, and stops when the context ends", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		pr, pw := io.Pipe()
		var stderr strings.Builder
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--seed", "9", "--accounts", "4"}, pw, &stderr)
			pw.Close()
		}()
		sl := readStartLine(t, pr)
		if len(sl.Accounts) != 4 || !strings.HasPrefix(sl.BaseURL, "http://127.0.0.1:") || !strings.HasPrefix(sl.ClientID, "ca_") {
			t.Fatalf("start line %+v", sl)
		}
		if got := accountID(t, sl.BaseURL, sl.Accounts[3].APIKey); got != sl.Accounts[3].ID {
			t.Fatalf("key of account 3 reads %q", got)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("run did not stop")
		}
	})

	t.Run("serves generated data with the data-plane flags", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--scale", "400", "--churn", "20",
				"--rate-limit", "test", "--faults", "slow=0"}, pw, io.Discard)
			pw.Close()
		}()
		sl := readStartLine(t, pr)
		req, _ := http.NewRequest(http.MethodGet, sl.BaseURL+"/v1/charges?limit=3", nil)
		req.Header.Set("Authorization", "Bearer "+sl.Accounts[0].APIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Object string
			Data   []struct{ ID string }
		}
		_ = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || page.Object != "list" || len(page.Data) != 3 {
			t.Fatalf("GET /v1/charges: %d %+v", resp.StatusCode, page)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("run: %v", err)
		}
	})

	t.Run("refuses bad data-plane flags", func(t *testing.T) {
		for _, args := range [][]string{{"--rate-limit", "fast"}, {"--faults", "teapot=1"}, {"--scale", "-5"}, {"--churn", "-1"}} {
			var out strings.Builder
			if err := run(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, args...), &out, io.Discard); err == nil || out.Len() != 0 {
				t.Errorf("%v: err %v, stdout %q", args, err, out.String())
			}
		}
	})

	t.Run("refuses a non-loopback address", func(t *testing.T) {
		var out, errOut strings.Builder
		err := run(context.Background(), []string{"--addr", "0.0.0.0:12111"}, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "loopback") || out.Len() != 0 {
			t.Fatalf("err %v, stdout %q", err, out.String())
		}
	})

	t.Run("refuses stray arguments", func(t *testing.T) {
		var out, errOut strings.Builder
		if err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "extra"}, &out, &errOut); err == nil {
			t.Fatal("run accepted a stray argument")
		}
	})
}

func TestBuiltCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	bin := filepath.Join(t.TempDir(), "stripe-sandbox")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--seed", "3")
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	sl := readStartLine(t, stdout)
	if len(sl.Accounts) != 3 {
		t.Fatalf("start line %+v", sl)
	}
	if got := accountID(t, sl.BaseURL, sl.Accounts[0].APIKey); got != sl.Accounts[0].ID {
		t.Fatalf("key of account 0 reads %q", got)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command did not stop on SIGTERM")
	}

	logs := stderr.String()
	if !strings.Contains(logs, "stripe sandbox listening") || !strings.Contains(logs, "stripe sandbox stopped") {
		t.Fatalf("stderr lacks the start and stop lines:\n%s", logs)
	}
	for _, secret := range []string{sl.SecretKey, sl.Accounts[0].APIKey} {
		if strings.Contains(logs, secret) {
			t.Fatal("stderr holds a secret key")
		}
	}
}
