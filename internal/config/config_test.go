package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func home() (string, error) { return "/home/owner/.config", nil }

func TestResolve(t *testing.T) {
	t.Run("defaults to the user config dir and Stripe's API", func(t *testing.T) {
		c, err := Resolve(Flags{}, env(nil), home)
		if err != nil {
			t.Fatal(err)
		}
		if c.DataDir != "/home/owner/.config/Ledgerline" || c.StripeAPIBase != DefaultStripeAPIBase || c.BrokerURL != "" {
			t.Errorf("got %+v", c)
		}
	})
	t.Run("the build's own broker is used unless the environment or a flag names another", func(t *testing.T) {
		built := Flags{BuiltInBrokerURL: "https://broker.ledgerline.example/"}
		c, err := Resolve(built, env(nil), home)
		if err != nil || c.BrokerURL != "https://broker.ledgerline.example" {
			t.Fatalf("built in: %q, %v", c.BrokerURL, err)
		}
		c, _ = Resolve(built, env(map[string]string{EnvBrokerURL: "http://127.0.0.1:8787"}), home)
		if c.BrokerURL != "http://127.0.0.1:8787" {
			t.Errorf("the environment did not override the build's broker: %q", c.BrokerURL)
		}
		built.BrokerURL = "https://flag.example"
		c, _ = Resolve(built, env(map[string]string{EnvBrokerURL: "http://127.0.0.1:8787"}), home)
		if c.BrokerURL != "https://flag.example" {
			t.Errorf("the flag did not win: %q", c.BrokerURL)
		}
	})

	t.Run("the environment overrides defaults and flags override the environment", func(t *testing.T) {
		e := env(map[string]string{EnvDataDir: "/env/dir", EnvBrokerURL: "https://broker.example/", EnvStripeAPIBase: "http://127.0.0.1:12111"})
		c, err := Resolve(Flags{}, e, home)
		if err != nil {
			t.Fatal(err)
		}
		if c.DataDir != "/env/dir" || c.BrokerURL != "https://broker.example" || c.StripeAPIBase != "http://127.0.0.1:12111" {
			t.Errorf("from env got %+v", c)
		}
		c, err = Resolve(Flags{DataDir: "/flag/dir", BrokerURL: "https://other.example"}, e, home)
		if err != nil {
			t.Fatal(err)
		}
		if c.DataDir != "/flag/dir" || c.BrokerURL != "https://other.example" {
			t.Errorf("from flags got %+v", c)
		}
	})
	t.Run("sandbox data lives in its own folder", func(t *testing.T) {
		c, err := Resolve(Flags{DataDir: "/d", Sandbox: true}, env(nil), home)
		if err != nil {
			t.Fatal(err)
		}
		if c.DataDir != filepath.Join("/d", SandboxSubdir) {
			t.Errorf("sandbox data dir %q", c.DataDir)
		}
	})
	t.Run("a relative data dir becomes absolute", func(t *testing.T) {
		c, err := Resolve(Flags{DataDir: "rel"}, env(nil), home)
		if err != nil || !filepath.IsAbs(c.DataDir) {
			t.Errorf("got %q, %v", c.DataDir, err)
		}
	})
	t.Run("rejects addresses that are not http(s) URLs", func(t *testing.T) {
		for _, bad := range []string{"ftp://x", "broker.example", "https://user:pw@x.example"} {
			_, err := Resolve(Flags{BrokerURL: bad}, env(nil), home)
			if err == nil || !strings.Contains(err.Error(), "--broker-url") {
				t.Errorf("%q: err %v", bad, err)
			}
			if err != nil && strings.Contains(err.Error(), "pw@") {
				t.Errorf("%q: error repeats the password: %v", bad, err)
			}
		}
	})
	t.Run("says what to do when there is no config dir", func(t *testing.T) {
		_, err := Resolve(Flags{}, env(nil), func() (string, error) { return "", errors.New("$HOME is not defined") })
		if err == nil || !strings.Contains(err.Error(), "--data-dir") {
			t.Errorf("err %v", err)
		}
	})
}
