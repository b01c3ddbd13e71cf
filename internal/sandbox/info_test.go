package sandbox

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func mustInfo(t *testing.T, opts Options) Info {
	t.Helper()
	sb, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return sb.Info()
}

func TestInfoIsDeterministicFromTheSeed(t *testing.T) {
	t.Run("the same seed gives the same start line", func(t *testing.T) {
		a, _ := json.Marshal(mustInfo(t, Options{Seed: 42}))
		b, _ := json.Marshal(mustInfo(t, Options{Seed: 42}))
		if string(a) != string(b) {
			t.Fatalf("two sandboxes with seed 42 differ:\n%s\n%s", a, b)
		}
	})

	t.Run("different seeds give different ids, keys and accounts", func(t *testing.T) {
		a, b := mustInfo(t, Options{Seed: 1}), mustInfo(t, Options{Seed: 2})
		if a.ClientID == b.ClientID || a.SecretKey == b.SecretKey {
			t.Fatal("client id or secret key did not change with the seed")
		}
		for i := range a.Accounts {
			if a.Accounts[i].ID == b.Accounts[i].ID || a.Accounts[i].APIKey == b.Accounts[i].APIKey {
				t.Fatalf("account %d did not change with the seed", i)
			}
		}
	})

	t.Run("runtime credentials do not follow from the seed", func(t *testing.T) {
		if secretID("ac_", codeLen) == secretID("ac_", codeLen) {
			t.Fatal("two secret ids were equal")
		}
	})
}

func TestInfoShape(t *testing.T) {
	info := mustInfo(t, Options{Seed: 7})
	info.BaseURL = "http://127.0.0.1:1234"
	line, _ := json.Marshal(info)

	t.Run("marshals with the contract's keys in the contract's order", func(t *testing.T) {
		shape := regexp.MustCompile(`^\{"base_url":"http://127\.0\.0\.1:1234","client_id":"ca_[0-9A-Za-z]{32}","secret_key":"sk_test_[0-9A-Za-z]{99}","accounts":\[(\{"id":"acct_1[0-9A-Za-z]{15}","name":"[^"]+","api_key":"rk_test_[0-9A-Za-z]{99}"\},?){3}\]\}$`)
		if !shape.Match(line) {
			t.Fatalf("start line has the wrong shape:\n%s", line)
		}
	})

	t.Run("offers three distinct accounts by default", func(t *testing.T) {
		seen := map[string]bool{}
		for _, a := range info.Accounts {
			if seen[a.ID] || seen[a.Name] {
				t.Fatalf("repeated account %q %q", a.ID, a.Name)
			}
			seen[a.ID], seen[a.Name] = true, true
		}
	})

	t.Run("gives the platform its own id and name", func(t *testing.T) {
		sb, _ := New(Options{Seed: 7})
		p := sb.Platform()
		if !strings.HasPrefix(p.ID, "acct_1") || p.Name != "Ledgerline" {
			t.Fatalf("platform = %+v", p)
		}
		for _, a := range info.Accounts {
			if a.ID == p.ID {
				t.Fatal("the platform is listed among the connected accounts")
			}
		}
	})

	t.Run("names stay distinct past the list of store names", func(t *testing.T) {
		many := mustInfo(t, Options{Seed: 3, Accounts: 75})
		names := map[string]bool{}
		for _, a := range many.Accounts {
			if names[a.Name] {
				t.Fatalf("name %q repeated", a.Name)
			}
			names[a.Name] = true
		}
		if len(many.Accounts) != 75 {
			t.Fatalf("got %d accounts, want 75", len(many.Accounts))
		}
	})
}

func TestNewRejectsBadOptions(t *testing.T) {
	cases := map[string]Options{
		"negative accounts":          {Accounts: -1},
		"too many accounts":          {Accounts: MaxAccounts + 1},
		"negative lifetime":          {AccessTokenTTL: -1},
		"a javascript: redirect URI": {RedirectURIs: []string{"javascript:alert(1)"}},
		"a redirect URI with a #":    {RedirectURIs: []string{"http://127.0.0.1/cb#x"}},
	}
	for name, opts := range cases {
		t.Run("rejects "+name, func(t *testing.T) {
			if _, err := New(opts); err == nil {
				t.Fatal("New accepted the options")
			}
		})
	}
}

func TestStartListensOnlyOnLoopback(t *testing.T) {
	sb, _ := New(Options{})
	t.Run("refuses a non-loopback address", func(t *testing.T) {
		for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.5:0", "example.com:80"} {
			if _, err := sb.Start(addr); err == nil || !strings.Contains(err.Error(), "loopback") {
				t.Fatalf("Start(%q) = %v, want a loopback error", addr, err)
			}
		}
	})
	t.Run("serves on 127.0.0.1 and reports the base URL in Info", func(t *testing.T) {
		base, err := sb.Start("127.0.0.1:0")
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		defer sb.Close()
		if !strings.HasPrefix(base, "http://127.0.0.1:") || sb.Info().BaseURL != base {
			t.Fatalf("base %q, info %q", base, sb.Info().BaseURL)
		}
		if _, err := sb.Start("127.0.0.1:0"); err == nil {
			t.Fatal("a second Start succeeded")
		}
	})
}
