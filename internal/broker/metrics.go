package broker

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the broker's Prometheus metrics, in a registry of its own
// (no package-level state), served by MetricsHandler on a separate,
// off-by-default address. No label holds anything a caller chose beyond
// the broker's own endpoint names.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // by endpoint and outcome
	upstream *prometheus.HistogramVec // calls to Stripe by call and result
	limited  *prometheus.CounterVec   // 429s by the limit that was reached
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ledgerline_broker_requests_total",
			Help: "Requests answered, by endpoint and outcome (ok, redirect, refused, rate_limited, failed).",
		}, []string{"endpoint", "outcome"}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ledgerline_broker_upstream_seconds",
			Help:    "Latency of calls to Stripe, by call (token, deauthorize, account, ready) and result.",
			Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"call", "result"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ledgerline_broker_rate_limited_total",
			Help: "Requests answered 429, by the limit reached (client, overall, upstream, backoff).",
		}, []string{"limit"}),
	}
	m.reg.MustRegister(m.requests, m.upstream, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// outcomeOf sorts a status into the requests metric's outcome.
func outcomeOf(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limited"
	case status >= 500:
		return "failed"
	case status >= 400:
		return "refused"
	case status >= 300:
		return "redirect"
	default:
		return "ok"
	}
}

func (m *metrics) request(path string, status int) {
	m.requests.WithLabelValues(logPath(path), outcomeOf(status)).Inc()
}

func (m *metrics) upstreamCall(call string, took time.Duration, err error) {
	result := "ok"
	if se, ok := err.(*stripeError); ok {
		switch se.Kind {
		case stripeUnreachable:
			result = "unreachable"
		case stripeUnavailable:
			result = "unavailable_" + strconv.Itoa(se.Status)
		case stripeRejected:
			result = "refused"
		default:
			result = "unexpected"
		}
	} else if err != nil {
		result = "error"
	}
	m.upstream.WithLabelValues(call, result).Observe(took.Seconds())
}

// MetricsHandler serves the broker's metrics in Prometheus' text format.
// Serve it on its own address (BROKER_METRICS_ADDR), never on the public one.
func (b *Broker) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(b.metrics.reg, promhttp.HandlerOpts{})
}
