package syncer

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the request rates a sync keeps to, as Stripe documents them:
// a budget per account by mode and a budget per endpoint. The zero value
// means Stripe's defaults (DefaultLimits); Off lifts every limit (tests and
// benchmarks that measure the engine, not the network budget).
type Limits struct {
	Live        float64 // requests per second for a live-mode connection
	Test        float64 // requests per second for a test-mode connection
	PerEndpoint float64 // requests per second to one endpoint (method and path template)
	Off         bool
}

// DefaultLimits are Stripe's documented rate limits: live 100/s, test 25/s,
// 25/s per endpoint.
func DefaultLimits() Limits { return Limits{Live: 100, Test: 25, PerEndpoint: 25} }

// withDefaults fills zero rates with Stripe's.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Live <= 0 {
		l.Live = d.Live
	}
	if l.Test <= 0 {
		l.Test = d.Test
	}
	if l.PerEndpoint <= 0 {
		l.PerEndpoint = d.PerEndpoint
	}
	return l
}

// How a limiter reacts to Stripe's 429: it cuts the rate of the account
// budget and of the endpoint that was refused (multiplicative decrease),
// then earns it back a little with each answer that was not a 429
// (additive increase), never above the nominal rate and never below
// minRate. So a sync that meets a busier account than it assumed settles
// just under what Stripe accepts instead of hammering it.
const (
	slowDownFactor = 0.7
	recoverStep    = 0.02 // of the nominal rate, per good answer
	minRate        = 1.0
)

// limiter is one sync's token buckets: the account's and one per endpoint.
// A request first waits for its endpoint's token, then for one of the
// account's, which go to the waiting request with the highest priority:
// the sync gives them to the object types with the most left to list, so
// that the longest listings (each capped by its endpoint's budget) run at
// full speed from the start and the short ones fill the gaps. A nil
// *limiter lets everything through.
type limiter struct {
	global      *bucket
	perEndpoint float64
	queue       *priorityQueue

	mu        sync.Mutex
	endpoints map[string]*bucket
}

// bucket is a token bucket holding one second of requests, as Stripe's do,
// with a rate that moves between minRate and nominal.
type bucket struct {
	nominal float64
	lim     *rate.Limiter
}

func newBucket(perSecond float64) *bucket {
	return &bucket{nominal: perSecond, lim: rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))}
}

func (b *bucket) slowDown() {
	r := float64(b.lim.Limit()) * slowDownFactor
	if r < minRate {
		r = minRate
	}
	b.lim.SetLimit(rate.Limit(r))
}

func (b *bucket) recover() {
	r := float64(b.lim.Limit())
	if r >= b.nominal {
		return
	}
	r += b.nominal * recoverStep
	if r > b.nominal {
		r = b.nominal
	}
	b.lim.SetLimit(rate.Limit(r))
}

// newLimiter returns the buckets for a connection in the given mode, or
// nil when l.Off.
func newLimiter(l Limits, livemode bool) *limiter {
	if l.Off {
		return nil
	}
	l = l.withDefaults()
	account := l.Test
	if livemode {
		account = l.Live
	}
	g := newBucket(account)
	return &limiter{global: g, perEndpoint: l.PerEndpoint, queue: newPriorityQueue(g.lim), endpoints: map[string]*bucket{}}
}

func (l *limiter) endpoint(name string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.endpoints[name]
	if !ok {
		b = newBucket(l.perEndpoint)
		l.endpoints[name] = b
	}
	return b
}

// wait blocks until both the endpoint's and the account's budgets allow a
// request, or ctx ends. Of requests waiting for the account's budget, the
// one with the highest priority goes first.
func (l *limiter) wait(ctx context.Context, endpoint string, priority int64) error {
	if l == nil {
		return nil
	}
	if err := l.endpoint(endpoint).lim.Wait(ctx); err != nil {
		return err
	}
	return l.queue.wait(ctx, priority)
}

// refused records a 429 for endpoint: both budgets slow down.
func (l *limiter) refused(endpoint string) {
	if l == nil {
		return
	}
	l.endpoint(endpoint).slowDown()
	l.global.slowDown()
}

// answered records an answer that was not a 429.
func (l *limiter) answered(endpoint string) {
	if l == nil {
		return
	}
	l.endpoint(endpoint).recover()
	l.global.recover()
}

// rates reports the account's and endpoint's current rates (for tests and
// the log).
func (l *limiter) rates(endpoint string) (account, ep float64) {
	if l == nil {
		return 0, 0
	}
	return float64(l.global.lim.Limit()), float64(l.endpoint(endpoint).lim.Limit())
}

// priorityQueue hands the tokens of a rate.Limiter to waiters by priority
// (highest first; equal ones in arrival order). A dispatcher goroutine runs
// while anyone waits: it takes a token, waits until it is due, and gives it
// to the best waiter.
type priorityQueue struct {
	lim *rate.Limiter

	mu      sync.Mutex
	waiters waiterHeap
	seq     int64
	running bool
}

type waiter struct {
	priority int64
	seq      int64
	granted  chan struct{}
	index    int // in the heap; -1 once removed
}

func newPriorityQueue(lim *rate.Limiter) *priorityQueue { return &priorityQueue{lim: lim} }

func (q *priorityQueue) wait(ctx context.Context, priority int64) error {
	w := &waiter{priority: priority, granted: make(chan struct{})}
	q.mu.Lock()
	q.seq++
	w.seq = q.seq
	heap.Push(&q.waiters, w)
	if !q.running {
		q.running = true
		go q.dispatch()
	}
	q.mu.Unlock()
	select {
	case <-w.granted:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		defer q.mu.Unlock()
		if w.index < 0 {
			return nil // granted just now: use the token
		}
		heap.Remove(&q.waiters, w.index)
		return ctx.Err()
	}
}

// dispatch grants tokens while anyone waits. A token taken when the last
// waiter has just left is lost; that costs one request slot at most.
func (q *priorityQueue) dispatch() {
	for {
		q.mu.Lock()
		if q.waiters.Len() == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		r := q.lim.Reserve()
		if d := r.Delay(); d > 0 {
			time.Sleep(d)
		}
		q.mu.Lock()
		if q.waiters.Len() > 0 {
			w := heap.Pop(&q.waiters).(*waiter)
			close(w.granted)
		}
		q.mu.Unlock()
	}
}

// waiterHeap orders waiters by priority, then arrival.
type waiterHeap []*waiter

func (h waiterHeap) Len() int { return len(h) }
func (h waiterHeap) Less(i, j int) bool {
	if h[i].priority != h[j].priority {
		return h[i].priority > h[j].priority
	}
	return h[i].seq < h[j].seq
}
func (h waiterHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *waiterHeap) Push(x any) {
	w := x.(*waiter)
	w.index = len(*h)
	*h = append(*h, w)
}
func (h *waiterHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	old[len(old)-1] = nil
	w.index = -1
	*h = old[:len(old)-1]
	return w
}
