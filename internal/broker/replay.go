package broker

import (
	"sync"
	"time"
)

// redeemedCodes is a bounded, per-process set of broker code ids that were
// presented at the token endpoint. It turns a replay away before any call
// to Stripe, but it is an optimisation, not the guarantee: another replica
// (or this one after a restart or eviction) does not know the id, and then
// Stripe's own single-use authorization codes reject the replay with
// invalid_grant. Entries are dropped once their code has expired, since an
// expired code is refused anyway; when full, the oldest entry goes.
type redeemedCodes struct {
	mu    sync.Mutex
	max   int
	ids   map[string]time.Time // id → the code's expiry
	order []redeemedEntry      // insertion order, for eviction
}

type redeemedEntry struct {
	id      string
	expires time.Time
}

func newRedeemedCodes(max int) *redeemedCodes {
	return &redeemedCodes{max: max, ids: make(map[string]time.Time, max)}
}

// claim records id as redeemed and reports whether it was new. A false
// result means the code was presented before and must be refused.
func (r *redeemedCodes) claim(id string, expires, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prune(now)
	if _, seen := r.ids[id]; seen {
		return false
	}
	for len(r.order) >= r.max {
		r.evictOldest()
	}
	r.ids[id] = expires
	r.order = append(r.order, redeemedEntry{id: id, expires: expires})
	return true
}

// release forgets id, so a code whose exchange failed before Stripe could
// have used it (Stripe unreachable) can be tried again.
func (r *redeemedCodes) release(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.ids, id) // its order entry is skipped when it comes up
}

func (r *redeemedCodes) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ids)
}

// prune drops expired entries from the front. Codes all live the same
// time, so insertion order is close to expiry order; a stray later entry
// is caught on a later call or by eviction.
func (r *redeemedCodes) prune(now time.Time) {
	for len(r.order) > 0 && !now.Before(r.order[0].expires) {
		r.evictOldest()
	}
}

func (r *redeemedCodes) evictOldest() {
	e := r.order[0]
	r.order[0] = redeemedEntry{}
	r.order = r.order[1:]
	if exp, ok := r.ids[e.id]; ok && exp.Equal(e.expires) {
		delete(r.ids, e.id)
	}
	if len(r.order) == 0 {
		r.order = nil // let the backing array go
	}
}
