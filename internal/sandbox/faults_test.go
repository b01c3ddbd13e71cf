package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	t.Run("faults come at the given rates, each in its shape", func(t *testing.T) {
		sb, err := New(Options{Seed: 111, Scale: 200, Faults: "429=0.1,500=0.05,reset=0.05,slow=0.05", SlowDelay: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(sb.Handler())
		defer srv.Close()
		// No keep-alive: Go's transport retries a GET whose reused
		// connection was reset, which would hide resets from the count.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		key := sb.Info().Accounts[0].APIKey
		const n = 2000
		counts := map[string]int{}
		for range n {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/customers?limit=1", nil)
			req.Header.Set("Authorization", bearer(key))
			resp, err := client.Do(req)
			if err != nil {
				counts["reset"]++
				continue
			}
			resp.Body.Close()
			counts[http.StatusText(resp.StatusCode)]++
		}
		for name, want := range map[string]float64{
			"Too Many Requests": 0.1 * n, "Internal Server Error": 0.05 * n, "reset": 0.05 * n, "OK": 0.8 * n,
		} {
			if got := float64(counts[name]); got < 0.7*want || got > 1.3*want {
				t.Errorf("%s: %v of %d requests, expected about %v", name, got, n, want)
			}
		}
		if slow := sb.faults.counts.slow.Load(); slow < 0.03*n || slow > 0.07*n {
			t.Errorf("slow: %d of %d", slow, n)
		}
		if int(sb.faults.counts.reset.Load()) != counts["reset"] {
			t.Errorf("%d resets injected, %d seen", sb.faults.counts.reset.Load(), counts["reset"])
		}
	})

	t.Run("a 500 has Stripe's api_error shape and hooks are spared", func(t *testing.T) {
		h := newHarness(t, Options{Seed: 112, Scale: 200, Faults: "500=1"})
		r := h.get("/v1/charges", bearer(h.info.Accounts[0].APIKey))
		if r.status != http.StatusInternalServerError || r.apiErr()["type"] != "api_error" {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		if r := h.get("/_sandbox/truth?account="+h.info.Accounts[0].ID, ""); r.status != http.StatusOK {
			t.Fatalf("truth under faults: %d", r.status)
		}
	})

	t.Run("bad fault specs are refused", func(t *testing.T) {
		for _, spec := range []string{"429", "429=2", "teapot=0.1", "429=0.6,500=0.6", "slow=-1"} {
			if _, err := New(Options{Faults: spec}); err == nil {
				t.Errorf("New accepted faults %q", spec)
			}
		}
	})
}
