package broker

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// How long a readiness verdict is reused: load balancers ask every few
// seconds, and each fresh verdict costs a call to Stripe.
const (
	readyCacheOK   = 30 * time.Second
	readyCacheFail = 5 * time.Second
	readyTimeout   = 5 * time.Second
)

// readiness caches whether Stripe answers the broker. Its settings were
// checked by New, so a Broker that exists has a valid configuration.
type readiness struct {
	mu       sync.Mutex
	checked  time.Time
	err      error
	draining atomic.Bool
}

type readyAnswer struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// handleLive is /livez (and /healthz): the process serves requests.
func (b *Broker) handleLive(w http.ResponseWriter, r *http.Request) {
	if !allowOnly(w, r, http.MethodGet) {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok")
}

// handleReady is /readyz: 200 when the settings are valid (always, for a
// Broker that New built), the broker is not draining and Stripe answered
// the broker's key within readyCacheOK; otherwise 503 with the reason.
func (b *Broker) handleReady(w http.ResponseWriter, r *http.Request) {
	if !allowOnly(w, r, http.MethodGet) {
		return
	}
	if b.ready.draining.Load() {
		noteOutcome(r, "draining")
		writeJSON(w, http.StatusServiceUnavailable, readyAnswer{Status: "draining", Reason: "The broker is shutting down."})
		return
	}
	if err := b.stripeReady(r.Context()); err != nil {
		noteOutcome(r, "not ready: "+err.Error())
		writeJSON(w, http.StatusServiceUnavailable, readyAnswer{Status: "not_ready", Reason: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, readyAnswer{Status: "ready"})
}

// Drain makes /readyz answer 503, so load balancers stop sending new
// requests, while the broker still serves the ones that come; call it on
// SIGTERM before http.Server.Shutdown.
func (b *Broker) Drain() { b.ready.draining.Store(true) }

var errStripeRefusesKey = errors.New("Stripe refuses the broker's secret key")

// stripeReady asks Stripe for the platform's account with the secret key,
// at most once per cache period (one caller asks; the others wait for its
// verdict). Any answer but 401 or 5xx counts as reachable: a restricted
// key may be refused the account (403) and still do OAuth.
func (b *Broker) stripeReady(ctx context.Context) error {
	b.ready.mu.Lock()
	defer b.ready.mu.Unlock()
	now := b.now()
	ttl := readyCacheOK
	if b.ready.err != nil {
		ttl = readyCacheFail
	}
	if !b.ready.checked.IsZero() && now.Sub(b.ready.checked) < ttl {
		return b.ready.err
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	err := b.stripe.probe(ctx)
	var se *stripeError
	switch {
	case err == nil:
	case errors.As(err, &se) && se.Status == http.StatusUnauthorized:
		err = errStripeRefusesKey
	case errors.As(err, &se) && se.Kind == stripeRejected:
		err = nil // reachable, and the key is known
	}
	b.ready.checked, b.ready.err = now, err
	return err
}
