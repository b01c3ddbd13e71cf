package syncer

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// faultyHandler answers a share of requests with 429, 500, or a connection
// closed without an answer, and passes the rest to next.
type faultyHandler struct {
	next                http.Handler
	p429, p500, pReset  float64
	mu                  sync.Mutex
	rnd                 *rand.Rand
	n429, n500, nResets atomic.Int64
}

func newFaultyHandler(next http.Handler, p429, p500, pReset float64, seed uint64) *faultyHandler {
	return &faultyHandler{next: next, p429: p429, p500: p500, pReset: pReset, rnd: rand.New(rand.NewPCG(seed, seed))}
}

func (f *faultyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	x := f.rnd.Float64()
	f.mu.Unlock()
	switch {
	case x < f.p429:
		f.n429.Add(1)
		writeFakeError(w, http.StatusTooManyRequests, "Request rate limit exceeded.")
	case x < f.p429+f.p500:
		f.n500.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":{"type":"api_error","message":"Something went wrong."}}`))
	case x < f.p429+f.p500+f.pReset:
		f.nResets.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	default:
		f.next.ServeHTTP(w, r)
	}
}

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

// dropFirstID removes the id of the page's first object.
func dropFirstID(b []byte) []byte {
	i := bytes.Index(b, []byte(`"id":"`))
	if i < 0 {
		return b
	}
	out := append([]byte{}, b[:i]...)
	out = append(out, `"no_id":"`...)
	return append(out, b[i+len(`"id":"`):]...)
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
