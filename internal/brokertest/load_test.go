package brokertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/broker"
)

// loadSeconds is how long each endpoint is loaded: BROKER_LOAD_SECONDS, or 3.
func loadSeconds() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("BROKER_LOAD_SECONDS")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 3 * time.Second
}

// startBroker runs a broker in-process in front of the sandbox, with
// limits out of the way (a load test measures the broker, not its 429s).
func startBroker(t *testing.T, flavor broker.Flavor, stripeBase, clientID, secret string) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	b, err := broker.New(broker.Config{
		Flavor: flavor, ClientID: clientID, SecretKey: secret,
		PublicURL: "http://" + srv.Listener.Addr().String(), ConnectBase: stripeBase, APIBase: stripeBase,
		Limits: broker.Limits{PerClient: 1e6, PerClientBurst: 1e6, Overall: 1e6, OverallBurst: 1e6, Upstream: 1e6, UpstreamBurst: 1e6},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = b.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// attack loads one target as fast as workers allow for loadSeconds and
// reports requests/s and latency percentiles.
func attack(t *testing.T, name string, target vegeta.Target, workers uint64) vegeta.Metrics {
	t.Helper()
	a := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Workers(workers), vegeta.MaxWorkers(workers),
		vegeta.Timeout(10*time.Second), vegeta.KeepAlive(true))
	var m vegeta.Metrics
	for res := range a.Attack(vegeta.NewStaticTargeter(target), vegeta.Rate{Freq: 0}, loadSeconds(), name) {
		m.Add(res)
	}
	m.Close()
	t.Logf("broker load %-16s %7.0f req/s   p50 %-9v p99 %-9v   %d requests, success %.1f%%",
		name, m.Throughput, m.Latencies.P50.Round(10*time.Microsecond), m.Latencies.P99.Round(10*time.Microsecond),
		m.Requests, m.Success*100)
	if m.Success < 1 {
		t.Errorf("%s: %d requests, success %.2f%%, status codes %v, errors %v", name, m.Requests, m.Success*100, m.StatusCodes, m.Errors)
	}
	return m
}

// The broker's two busy endpoints under load on this machine, against the
// sandbox: /oauth/authorize (seals a state, redirects; no call to Stripe)
// and /oauth/token with a refresh_token grant (one call to the sandbox's
// token endpoint each; Connect flavour, whose refresh tokens stay valid so
// one can be reused). `make bench` prints the figures.
func TestBrokerLoad(t *testing.T) {
	needBrokerTests(t)
	stripeBase, info := startSandbox(t)
	app := newAppListener(t)

	apps := startBroker(t, broker.FlavorApps, stripeBase, info.ClientID, info.SecretKey)
	// One request, repeated: a fixed state and PKCE challenge.
	authorize := oauthConfig(apps, app).AuthCodeURL("load-state-0123456789", oauth2.S256ChallengeOption(strings.Repeat("v", 43)))
	attack(t, "/oauth/authorize", vegeta.Target{Method: http.MethodGet, URL: authorize}, 16)

	connect := startBroker(t, broker.FlavorConnect, stripeBase, info.ClientID, info.SecretKey)
	tok, err := signIn(context.Background(), connect, app)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {broker.ClientID}}
	attack(t, "/oauth/token", vegeta.Target{
		Method: http.MethodPost, URL: connect + "/oauth/token", Body: []byte(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
	}, 16)
}
