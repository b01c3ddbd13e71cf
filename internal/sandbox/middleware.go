package sandbox

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// apiVersion is the Stripe API version the sandbox's shapes follow: the one
// stripe-go v76 pins.
const apiVersion = "2023-10-16"

// maxBodyBytes bounds request bodies; every sandbox request is a small form.
const maxBodyBytes = 64 << 10

// statusRecorder remembers the status code a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Hijack hands the connection over (to the reset fault), remembering
// that no status was ever written.
func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.hijacked = true
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

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
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 && !rec.hijacked {
			rec.status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.String("request_id", reqID),
			slog.Duration("duration", time.Since(start)),
		)
	})
}
