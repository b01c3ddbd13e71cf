package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchServer is a sandbox at scale with the request path of a real
// server minus the network: handler, middleware, auth and rendering.
func benchServer(b *testing.B, scale int) (*Server, string) {
	b.Helper()
	sb, err := New(Options{Seed: 1, Scale: scale, Now: func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	return sb, sb.Info().Accounts[0].APIKey
}

// countingWriter is a ResponseWriter that keeps only the status and the
// size, as a socket would take the bytes.
type countingWriter struct {
	h      http.Header
	status int
	n      int
	first  []byte
}

func (c *countingWriter) Header() http.Header { return c.h }
func (c *countingWriter) WriteHeader(s int)   { c.status = s }
func (c *countingWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.first == nil {
		c.first = append([]byte(nil), p[:min(len(p), 300)]...)
	}
	c.n += len(p)
	return len(p), nil
}

func serve(b *testing.B, h http.Handler, key, target string) int {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	w := &countingWriter{h: http.Header{}}
	h.ServeHTTP(w, req)
	if w.status != http.StatusOK {
		b.Fatalf("%s: %d %s", target, w.status, w.first)
	}
	return w.n
}

// BenchmarkChargesPage serves pages of 100 charges from a sandbox of scale
// 1,000,000, walking down the list; objects/s is what a sync could pull
// from it on one core.
func BenchmarkChargesPage(b *testing.B) {
	sb, key := benchServer(b, 1_000_000)
	d := sb.data[sb.Info().Accounts[0].ID]
	d.ready() // the payout schedule, once, outside the timing
	h := sb.Handler()
	n := d.base[kCharge]
	bytes := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cursor := d.id(famCharge, leadPlain, n-1-(i*100)%(n-200))
		bytes = serve(b, h, key, "/v1/charges?limit=100&starting_after="+cursor)
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "objects/s")
	b.ReportMetric(float64(bytes), "bytes/page")
}

// BenchmarkListEnds fetches the first page (newest 100) and the last page
// (oldest ~100, found with created[lte]) of several types at scale
// 1,000,000: both ends cost the same, whatever the scale.
func BenchmarkListEnds(b *testing.B) {
	sb, key := benchServer(b, 1_000_000)
	d := sb.data[sb.Info().Accounts[0].ID]
	d.ready() // the payout schedule, once, outside the timing
	h := sb.Handler()
	lo, _ := d.baseEventRange(vCharges)
	for _, c := range []struct {
		path   string
		oldest int64
	}{
		{"/v1/charges?", d.created(kCharge, 99)},
		{"/v1/customers?", d.created(kCustomer, 99)},
		{"/v1/invoices?", d.created(kInvoice, 99)},
		{"/v1/subscriptions?status=all&", d.created(kSubscription, 99)},
		{"/v1/balance_transactions?", d.created(kCharge, 99)},
		{"/v1/events?", d.created(kCharge, lo+40)},
	} {
		b.Run(c.path[4:len(c.path)-1], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				serve(b, h, key, c.path+"limit=100")
				serve(b, h, key, c.path+"limit=100&created[lte]="+itoa(int(c.oldest)))
			}
		})
	}
}

// BenchmarkReady is a sandbox's start at scale 1,000,000: the dataset laid
// out and everything its first request waits for (the billing history and
// the payout schedule), with the heap it keeps.
func BenchmarkReady(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sb, _ := benchServer(b, 1_000_000)
		sb.data[sb.Info().Accounts[0].ID].ready()
	}
}
