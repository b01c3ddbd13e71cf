package broker

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits bound what callers can make the broker do (issue 12: 500 junk
// refreshes in parallel became 500 calls to Stripe with the platform's
// key, enough to spend the platform's whole rate budget). Zero fields take
// the defaults below.
type Limits struct {
	// PerClient is the steady requests per second one client address may
	// make, with bursts of PerClientBurst; over it, 429 with Retry-After.
	PerClient      float64
	PerClientBurst int
	// Overall is the steady requests per second of all clients together,
	// with bursts of OverallBurst.
	Overall      float64
	OverallBurst int
	// Upstream is the most calls per second the broker makes to Stripe's
	// OAuth endpoints (token, deauthorize) for all clients together, with
	// bursts of UpstreamBurst: a request that would exceed it gets 429
	// before anything is sent to Stripe. Stripe allows 100/s in live mode.
	Upstream      float64
	UpstreamBurst int
	// TrustedProxies are the addresses of the load balancers in front of the
	// broker: for a request from one of them, the client is the last
	// address in X-Forwarded-For that is not itself a trusted proxy.
	// Anyone else's X-Forwarded-For is ignored.
	TrustedProxies []netip.Prefix
}

// Default limits: generous for a person's app (a sign-in is three
// requests, a refresh one an hour), tight for a flood.
const (
	DefaultPerClient      = 2
	DefaultPerClientBurst = 20
	DefaultOverall        = 500
	DefaultOverallBurst   = 1000
	DefaultUpstream       = 20
	DefaultUpstreamBurst  = 20
)

// Backoff after invalid_grant from Stripe: once a client has had
// grantStrikes refusals in a row, its next call to Stripe waits 1 s, then
// 2 s, 4 s … up to maxGrantBackoff. A grant Stripe accepts clears it.
const (
	grantStrikes    = 3
	maxGrantBackoff = 10 * time.Minute
	maxClients      = 1 << 16          // client entries kept; idle ones are swept
	clientIdle      = 15 * time.Minute // an entry unseen this long may be swept
)

func (l Limits) withDefaults() Limits {
	if l.PerClient <= 0 {
		l.PerClient = DefaultPerClient
	}
	if l.PerClientBurst <= 0 {
		l.PerClientBurst = DefaultPerClientBurst
	}
	if l.Overall <= 0 {
		l.Overall = DefaultOverall
	}
	if l.OverallBurst <= 0 {
		l.OverallBurst = DefaultOverallBurst
	}
	if l.Upstream <= 0 {
		l.Upstream = DefaultUpstream
	}
	if l.UpstreamBurst <= 0 {
		l.UpstreamBurst = DefaultUpstreamBurst
	}
	return l
}

// limiter holds the token buckets and the per-client state. It is safe
// for concurrent use; every decision takes the time from the broker's clock.
type limiter struct {
	cfg      Limits
	overall  *rate.Limiter
	upstream *rate.Limiter

	// mu guards everything below and every spend of a bucket: the buckets
	// are given times that never go backwards (see monotonic), in order.
	mu       sync.Mutex
	last     time.Time
	clients  map[netip.Addr]*clientState
	overflow *clientState // shared by new clients while the map is full
}

// monotonic returns now, or the latest time already used if now is
// earlier. Concurrent requests read the clock a moment apart and reach the
// limiter in any order; x/time/rate counts a step back in time and then
// forward again as extra refill, which would let more through than the
// budget. Callers hold l.mu.
func (l *limiter) monotonic(now time.Time) time.Time {
	if now.Before(l.last) {
		return l.last
	}
	l.last = now
	return now
}

type clientState struct {
	requests     *rate.Limiter
	lastSeen     time.Time
	strikes      int       // invalid_grant answers in a row
	blockedUntil time.Time // no call to Stripe for this client before then
}

func newLimiter(cfg Limits) *limiter {
	cfg = cfg.withDefaults()
	return &limiter{
		cfg:      cfg,
		overall:  rate.NewLimiter(rate.Limit(cfg.Overall), cfg.OverallBurst),
		upstream: rate.NewLimiter(rate.Limit(cfg.Upstream), cfg.UpstreamBurst),
		clients:  map[netip.Addr]*clientState{},
		overflow: &clientState{requests: rate.NewLimiter(rate.Limit(cfg.PerClient), cfg.PerClientBurst)},
	}
}

// client returns the state of addr, creating it (and sweeping idle
// entries when the map is full). Callers hold l.mu.
func (l *limiter) clientLocked(addr netip.Addr, now time.Time) *clientState {
	if c, ok := l.clients[addr]; ok {
		c.lastSeen = now
		return c
	}
	if len(l.clients) >= maxClients {
		for a, c := range l.clients {
			if now.Sub(c.lastSeen) > clientIdle && !now.Before(c.blockedUntil) {
				delete(l.clients, a)
			}
		}
		if len(l.clients) >= maxClients {
			return l.overflow
		}
	}
	c := &clientState{requests: rate.NewLimiter(rate.Limit(l.cfg.PerClient), l.cfg.PerClientBurst), lastSeen: now}
	l.clients[addr] = c
	return c
}

// allowRequest spends one request of addr's and of the overall budget. It
// returns 0, or how long to wait and which limit ("client", "overall") was
// reached.
func (l *limiter) allowRequest(addr netip.Addr, now time.Time) (time.Duration, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.monotonic(now)
	c := l.clientLocked(addr, now)
	if wait := take(c.requests, now, 1); wait > 0 {
		return wait, "client"
	}
	return take(l.overall, now, 1), "overall"
}

// allowUpstream decides whether a request from addr may make calls calls
// to Stripe: not while addr is backing off after invalid_grant, and only
// within the overall upstream budget. It returns 0, or how long to wait
// and which limit ("backoff", "upstream") holds it back.
func (l *limiter) allowUpstream(addr netip.Addr, calls int, now time.Time) (time.Duration, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.monotonic(now)
	c := l.clientLocked(addr, now)
	if blocked := c.blockedUntil.Sub(now); blocked > 0 {
		return c.blockedUntil.Sub(now), "backoff"
	}
	return take(l.upstream, now, calls), "upstream"
}

// noteGrant records Stripe's verdict on a grant a client sent: refused
// (invalid_grant) adds a strike and, past grantStrikes, blocks the
// client's calls to Stripe for a doubling time; accepted clears them.
func (l *limiter) noteGrant(addr netip.Addr, refused bool, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.monotonic(now)
	c := l.clientLocked(addr, now)
	if !refused {
		c.strikes, c.blockedUntil = 0, time.Time{}
		return
	}
	c.strikes++
	if c.strikes >= grantStrikes {
		wait := maxGrantBackoff
		if n := c.strikes - grantStrikes; n < 20 {
			wait = min(time.Second<<n, maxGrantBackoff)
		}
		c.blockedUntil = now.Add(wait)
	}
}

// take spends n tokens of lim at now if it holds them; otherwise it spends
// nothing and returns how long until it would.
func take(lim *rate.Limiter, now time.Time, n int) time.Duration {
	r := lim.ReserveN(now, n)
	if !r.OK() {
		return time.Duration(math.MaxInt64)
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// clientAddr is who sent r: the peer's address, or — when the peer is a
// trusted proxy — the last address in X-Forwarded-For that is not one.
func (l *limiter) clientAddr(r *http.Request) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if !l.trusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer // a garbled header: count the proxy itself
		}
		a = a.Unmap()
		if !l.trusted(a) {
			return a
		}
	}
	return peer
}

func (l *limiter) trusted(a netip.Addr) bool {
	for _, p := range l.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.IPv6Unspecified()
	}
	return a.Unmap()
}

// retryAfter is a wait in whole seconds for a Retry-After header, at least 1.
func retryAfter(d time.Duration) int {
	if d > time.Hour {
		return 3600
	}
	return max(1, int(math.Ceil(d.Seconds())))
}
