package app

import (
	"sync"

	"github.com/ledgerline/ledgerline/internal/syncer"
)

// ProgressHub fans the sync's progress snapshots out to whoever listens:
// the window, a notification, a test. The sync calls Publish from its own
// goroutines; listeners are called on the publishing goroutine, in the
// order they subscribed, and must not block.
type ProgressHub struct {
	mu        sync.Mutex
	next      int
	listeners map[int]func(syncer.Progress)
	order     []int
}

// NewProgressHub returns a hub with no listeners.
func NewProgressHub() *ProgressHub { return &ProgressHub{listeners: map[int]func(syncer.Progress){}} }

// Subscribe adds fn and returns the function that removes it.
func (h *ProgressHub) Subscribe(fn func(syncer.Progress)) (unsubscribe func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	h.listeners[id] = fn
	h.order = append(h.order, id)
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.listeners, id)
	}
}

// Publish hands p to every listener.
func (h *ProgressHub) Publish(p syncer.Progress) {
	h.mu.Lock()
	fns := make([]func(syncer.Progress), 0, len(h.order))
	for _, id := range h.order {
		if fn, ok := h.listeners[id]; ok {
			fns = append(fns, fn)
		}
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn(p)
	}
}
