// Package httplog holds what Ledgerline's HTTP services (the token broker
// and the Stripe sandbox) share for their one-line request logs.
package httplog

import (
	"bufio"
	"net"
	"net/http"
)

// StatusRecorder wraps a ResponseWriter to remember the status code the
// handler wrote (200 once it writes a body without one), for the log line.
// Hijacked says the handler took the connection over, so no status was
// ever written.
type StatusRecorder struct {
	http.ResponseWriter
	Status   int
	Hijacked bool
}

func (s *StatusRecorder) WriteHeader(code int) {
	if s.Status == 0 {
		s.Status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *StatusRecorder) Write(b []byte) (int, error) {
	if s.Status == 0 {
		s.Status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Hijack hands the connection over when the underlying writer allows it.
func (s *StatusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.Hijacked = true
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *StatusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
