package syncer

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// corrupting passes requests to next but spoils the answers to requests
// whose path is path, from the after-th one on, times times (-1: for good),
// with spoil.
type corrupting struct {
	next         http.Handler
	path         string
	after, times int
	spoil        func([]byte) []byte
	mu           sync.Mutex
	seen, done   int
}

func (c *corrupting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != c.path {
		c.next.ServeHTTP(w, r)
		return
	}
	c.mu.Lock()
	c.seen++
	bad := c.seen > c.after && (c.times < 0 || c.done < c.times)
	if bad {
		c.done++
	}
	c.mu.Unlock()
	if !bad {
		c.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length") // the spoilt body has another length
	w.WriteHeader(rec.Code)
	_, _ = w.Write(c.spoil(rec.Body.Bytes()))
}

func (c *corrupting) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

// truncate cuts a JSON answer in the middle: not JSON any more.
func truncate(b []byte) []byte { return b[:len(b)/2] }

// dropFirstID renames the id of the page's first object (its first "id"
// key), so the object has none.
func dropFirstID(b []byte) []byte {
	i := bytes.Index(b, []byte(`"id":`))
	if i < 0 {
		return b
	}
	out := append([]byte{}, b[:i]...)
	out = append(out, `"no_id":`...)
	return append(out, b[i+len(`"id":`):]...)
}

// onRequests is a RoundTripper that calls fn before each request it sends.
type onRequests struct {
	next http.RoundTripper
	fn   func(*http.Request)
}

func (o onRequests) RoundTrip(r *http.Request) (*http.Response, error) {
	o.fn(r)
	return o.next.RoundTrip(r)
}

// countingClient is an HTTP client whose requests are counted; after the
// n-th request to a path with prefix, stop is called (n 0: never).
func countingClient(prefix string, n int64, stop func()) (*http.Client, *atomic.Int64) {
	var count atomic.Int64
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{Transport: onRequests{next: tr, fn: func(r *http.Request) {
		if strings.HasPrefix(r.URL.Path, prefix) && count.Add(1) == n && stop != nil {
			stop()
		}
	}}}, &count
}
