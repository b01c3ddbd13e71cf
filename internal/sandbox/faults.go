package sandbox

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// faultSpec is how often REST requests fail on purpose: with a 429, with a
// 500, by a reset connection (no answer at all), or by answering late.
type faultSpec struct {
	rate429, rate500, reset, slow float64
}

// parseFaults reads the --faults syntax, "429=0.05,500=0.02,reset=0.01,slow=0.01":
// probabilities per request, each from 0 to 1, adding up to at most 1.
// Empty means no faults.
func parseFaults(s string) (faultSpec, error) {
	var f faultSpec
	if strings.TrimSpace(s) == "" {
		return f, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, raw, ok := strings.Cut(strings.TrimSpace(part), "=")
		p, err := strconv.ParseFloat(raw, 64)
		if !ok || err != nil || p < 0 || p > 1 {
			return f, fmt.Errorf("sandbox: fault %q: write name=probability with a probability from 0 to 1", part)
		}
		switch name {
		case "429":
			f.rate429 = p
		case "500":
			f.rate500 = p
		case "reset":
			f.reset = p
		case "slow":
			f.slow = p
		default:
			return f, fmt.Errorf("sandbox: unknown fault %q: use 429, 500, reset or slow", name)
		}
	}
	if sum := f.rate429 + f.rate500 + f.reset + f.slow; sum > 1 {
		return f, fmt.Errorf("sandbox: fault probabilities add up to %g, more than 1", sum)
	}
	return f, nil
}

func (f faultSpec) any() bool { return f.rate429+f.rate500+f.reset+f.slow > 0 }

// faultCounts counts the faults injected so far.
type faultCounts struct {
	rate429, rate500, reset, slow atomic.Int64
}

// faulter draws faults from a source seeded by the sandbox's seed.
type faulter struct {
	spec   faultSpec
	delay  time.Duration
	mu     sync.Mutex
	r      *rand.Rand
	counts faultCounts
}

func newFaulter(spec faultSpec, seed int64, delay time.Duration) *faulter {
	return &faulter{spec: spec, delay: delay, r: rand.New(rand.NewPCG(uint64(seed), 0x6661756c74))} // "fault"
}

func (f *faulter) draw() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.r.Float64()
}

// withFaults injects faults into REST requests (not OAuth, not the test
// hooks). A reset closes the TCP connection with an RST and no answer; a
// slow request is answered after the delay (or dropped when the client
// gives up first).
func (s *Server) withFaults(next http.Handler) http.Handler {
	f := s.faults
	if f == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v1/") || strings.HasPrefix(r.URL.Path, "/v1/oauth/") {
			next.ServeHTTP(w, r)
			return
		}
		u := f.draw()
		switch {
		case u < f.spec.rate429:
			f.counts.rate429.Add(1)
			writeRateLimited(w)
		case u < f.spec.rate429+f.spec.rate500:
			f.counts.rate500.Add(1)
			writeAPIError(w, http.StatusInternalServerError, apiError{
				Message: "An unknown error occurred. The sandbox injected this fault on purpose.",
				Type:    typeAPI,
			})
		case u < f.spec.rate429+f.spec.rate500+f.spec.reset:
			f.counts.reset.Add(1)
			resetConnection(w)
		case u < f.spec.rate429+f.spec.rate500+f.spec.reset+f.spec.slow:
			f.counts.slow.Add(1)
			t := time.NewTimer(f.delay)
			defer t.Stop()
			select {
			case <-t.C:
				next.ServeHTTP(w, r)
			case <-r.Context().Done():
			}
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// resetConnection drops the connection under w without answering: linger
// 0 makes the close an RST, as a crashed proxy would.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream instead
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
