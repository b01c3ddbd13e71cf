package authflow

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzCallbackHandler throws random paths and raw queries at the loopback
// handler: it must never panic, never answer 5xx, and hand a callback to
// the flow only for GET /callback with exactly one, matching state.
func FuzzCallbackHandler(f *testing.F) {
	const state = "s3cr3t-State_0123456789abcdefghijklmnopqrstuv"
	const host = "127.0.0.1:49152"
	f.Add("/callback", "code=abc&state="+state)
	f.Add("/callback", "error=access_denied&error_description=no&state="+state)
	f.Add("/callback", "code=abc&state="+state+"&state="+state)
	f.Add("/callback", "code=abc&state=wrong")
	f.Add("/callback", "state="+state[:10])
	f.Add("/callback", "code=%zz&state="+state)
	f.Add("/callback", "code=a;state="+state)
	f.Add("/callback", "")
	f.Add("/", "code=abc&state="+state)
	f.Add("/callback/../callback", "state="+state)
	f.Add("", "%")
	f.Fuzz(func(t *testing.T, path, rawQuery string) {
		var delivered []callbackParams
		h := &callbackHandler{
			state: state,
			host:  host,
			log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
			deliver: func(p callbackParams) page {
				delivered = append(delivered, p)
				return pageConnected
			},
		}
		req := &http.Request{
			Method: http.MethodGet,
			URL:    &url.URL{Path: path, RawQuery: rawQuery},
			Host:   host,
			Header: http.Header{},
		}
		for range 2 { // a replay must never deliver twice
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("status %d for %q?%q", rec.Code, path, rawQuery)
			}
			if rec.Header().Get("Content-Security-Policy") == "" {
				t.Fatalf("no security headers for %q?%q", path, rawQuery)
			}
		}
		q, err := url.ParseQuery(rawQuery)
		matches := path == "/callback" && err == nil && len(q["state"]) == 1 && q["state"][0] == state
		switch {
		case matches && len(delivered) != 1:
			t.Fatalf("matching callback %q delivered %d times", rawQuery, len(delivered))
		case !matches && len(delivered) != 0:
			t.Fatalf("callback %q?%q delivered without a matching state", path, rawQuery)
		}
	})
}
