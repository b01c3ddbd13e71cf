package httplog

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestStatusRecorder(t *testing.T) {
	t.Run("remembers the first status written", func(t *testing.T) {
		rec := &StatusRecorder{ResponseWriter: httptest.NewRecorder()}
		rec.WriteHeader(http.StatusTeapot)
		rec.WriteHeader(http.StatusOK)
		if rec.Status != http.StatusTeapot {
			t.Errorf("status %d", rec.Status)
		}
	})
	t.Run("a body without a status is a 200", func(t *testing.T) {
		rec := &StatusRecorder{ResponseWriter: httptest.NewRecorder()}
		_, _ = rec.Write([]byte("ok"))
		if rec.Status != http.StatusOK {
			t.Errorf("status %d", rec.Status)
		}
	})
}
