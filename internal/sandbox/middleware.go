package sandbox

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/httplog"
)

// apiVersion is the Stripe API version the sandbox's shapes follow: the one
// stripe-go v76 pins.
const apiVersion = "2023-10-16"

// maxBodyBytes bounds request bodies; every sandbox request is a small form.
const maxBodyBytes = 64 << 10

// withStripeHeaders gives every response a Request-Id (req_…) like Stripe's
// and, under /v1/, the Stripe-Version it answered with. It also bounds the
// request body and logs one line per request.
//
// The log line holds the method, the path, the status and the request id —
// never the query string, a header or a body, which is where codes, states,
// tokens and keys travel.
func (s *Server) withStripeHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		reqID := secretID("req_", requestIDLen)
		w.Header().Set("Request-Id", reqID)
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			version := r.Header.Get("Stripe-Version")
			if version == "" {
				version = apiVersion
			}
			w.Header().Set("Stripe-Version", version)
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		rec := &httplog.StatusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.Status == 0 && !rec.Hijacked {
			rec.Status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.Status),
			slog.String("request_id", reqID),
			slog.Duration("duration", time.Since(start)),
		)
	})
}
