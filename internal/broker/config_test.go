package broker

import (
	"encoding/base64"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func goodEnv() map[string]string {
	return map[string]string{
		"STRIPE_CLIENT_ID":  testClientID,
		"STRIPE_SECRET_KEY": testSecretKey,
		"BROKER_PUBLIC_URL": "https://broker.example.com/",
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Run("fills the defaults for the apps flavour", func(t *testing.T) {
		c, err := ConfigFromEnv(envOf(goodEnv()))
		if err != nil {
			t.Fatal(err)
		}
		if c.Flavor != FlavorApps || c.Addr != DefaultAddr || c.ConnectBase != DefaultAppsConnectBase || c.APIBase != DefaultAPIBase {
			t.Fatalf("defaults: %v", c)
		}
		if c.PublicURL != "https://broker.example.com" || c.SealingKey != nil || c.Livemode() {
			t.Fatalf("public URL %q, sealing key set %v, live %v", c.PublicURL, c.SealingKey != nil, c.Livemode())
		}
	})

	t.Run("reads the rate limits and trusted proxies", func(t *testing.T) {
		e := goodEnv()
		e["BROKER_RATE_PER_CLIENT"] = "0.5"
		e["BROKER_RATE_UPSTREAM"] = "40"
		e["BROKER_RATE_UPSTREAM_BURST"] = "10"
		e["BROKER_TRUSTED_PROXIES"] = "10.0.0.0/8, 192.168.1.5"
		c, err := ConfigFromEnv(envOf(e))
		if err != nil {
			t.Fatal(err)
		}
		l := c.Limits
		if l.PerClient != 0.5 || l.Upstream != 40 || l.UpstreamBurst != 10 || len(l.TrustedProxies) != 2 || l.TrustedProxies[1].String() != "192.168.1.5/32" {
			t.Fatalf("limits %+v", l)
		}
		e["BROKER_RATE_OVERALL"] = "-1"
		e["BROKER_TRUSTED_PROXIES"] = "proxy.local"
		_, err = ConfigFromEnv(envOf(e))
		if err == nil || !strings.Contains(err.Error(), "BROKER_RATE_OVERALL") || !strings.Contains(err.Error(), "BROKER_TRUSTED_PROXIES") {
			t.Fatalf("err = %v, want both bad settings named", err)
		}
	})

	t.Run("the connect flavour defaults to connect.stripe.com", func(t *testing.T) {
		e := goodEnv()
		e["STRIPE_OAUTH_FLAVOR"] = "connect"
		c, err := ConfigFromEnv(envOf(e))
		if err != nil || c.ConnectBase != DefaultConnectFlowBase {
			t.Fatalf("%v %v", c.ConnectBase, err)
		}
	})

	t.Run("reads every setting", func(t *testing.T) {
		key := make([]byte, 32)
		key[0] = 7
		e := goodEnv()
		e["BROKER_ADDR"] = "0.0.0.0:9000"
		e["STRIPE_CONNECT_BASE"] = "http://127.0.0.1:5000"
		e["STRIPE_API_BASE"] = "http://[::1]:5001/"
		e["BROKER_PUBLIC_URL"] = "http://localhost:8787"
		e["BROKER_SEALING_KEY"] = base64.StdEncoding.EncodeToString(key)
		e["STRIPE_SECRET_KEY"] = "rk_" + "live_x"
		c, err := ConfigFromEnv(envOf(e))
		if err != nil {
			t.Fatal(err)
		}
		if c.Addr != "0.0.0.0:9000" || c.ConnectBase != "http://127.0.0.1:5000" || c.APIBase != "http://[::1]:5001" || c.SealingKey[0] != 7 || !c.Livemode() {
			t.Fatalf("settings: %v", c)
		}
	})

	secret := "sk_test_" + "verysecretvalue"
	refusals := []struct {
		name, key, value, want string
	}{
		{"a missing client id", "STRIPE_CLIENT_ID", "", "STRIPE_CLIENT_ID is not set"},
		{"a client id that is not ca_", "STRIPE_CLIENT_ID", "acct_1", "STRIPE_CLIENT_ID does not look"},
		{"a missing secret key", "STRIPE_SECRET_KEY", "", "STRIPE_SECRET_KEY is not set"},
		{"a publishable key as secret", "STRIPE_SECRET_KEY", "pk_test_" + "verysecretvalue", "must start with sk_test_"},
		{"a secret key with spaces", "STRIPE_SECRET_KEY", secret + " x", "must start with sk_test_"},
		{"an unknown flavour", "STRIPE_OAUTH_FLAVOR", "oidc", "STRIPE_OAUTH_FLAVOR must be"},
		{"a missing public URL", "BROKER_PUBLIC_URL", "", "BROKER_PUBLIC_URL is not set"},
		{"a plain-http public URL", "BROKER_PUBLIC_URL", "http://broker.example.com", "must use https"},
		{"a public URL with a query", "BROKER_PUBLIC_URL", "https://broker.example.com/?a=b", "query"},
		{"a relative public URL", "BROKER_PUBLIC_URL", "broker.example.com", "absolute"},
		{"a plain-http Stripe API base", "STRIPE_API_BASE", "http://api.example.com", "must use https"},
		{"a bad listen address", "BROKER_ADDR", "8787", "BROKER_ADDR"},
		{"a sealing key of the wrong size", "BROKER_SEALING_KEY", base64.StdEncoding.EncodeToString(make([]byte, 16)), "exactly 32 bytes"},
		{"a sealing key that is not base64", "BROKER_SEALING_KEY", "%%%not base64%%%", "not valid base64"},
	}
	for _, tc := range refusals {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			e := goodEnv()
			e["STRIPE_SECRET_KEY"] = secret
			e[tc.key] = tc.value
			_, err := ConfigFromEnv(envOf(e))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "verysecretvalue") {
				t.Fatalf("the error shows the secret key: %v", err)
			}
		})
	}

	t.Run("New refuses a Config that ConfigFromEnv would refuse", func(t *testing.T) {
		_, err := New(Config{ClientID: testClientID, SecretKey: secret, PublicURL: "http://broker.example.com"})
		if err == nil || strings.Contains(err.Error(), "verysecretvalue") {
			t.Fatalf("err = %v", err)
		}
	})
}
