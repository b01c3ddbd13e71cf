package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// AutoSync keeps every usable connection's data fresh while the window is
// open: one following sync per connection (backfill, then events every
// second), started when the connection appears and stopped when it is
// disconnected or needs re-authentication. A connection whose sync another
// process runs is left to it and tried again at the next round.
type AutoSync struct {
	engine *syncer.Engine
	list   func(context.Context) ([]domain.Connection, error)
	log    *slog.Logger
	kick   chan struct{}

	mu      sync.Mutex
	running map[string]context.CancelFunc
	backoff map[string]time.Time // no new start before this time
}

// retryAfter is the pause before a sync that failed is started again.
const retryAfter = 30 * time.Second

// NewAutoSync returns an AutoSync for the app's connections.
func (a *App) NewAutoSync(log *slog.Logger) *AutoSync {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &AutoSync{engine: a.Sync, list: a.Store.ListConnections, log: log, kick: make(chan struct{}, 1),
		running: map[string]context.CancelFunc{}, backoff: map[string]time.Time{}}
}

// Run reconciles the running syncs with the connections at once, then on
// every Kick and every interval, until ctx ends; then it stops them all.
func (s *AutoSync) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.reconcile(ctx)
		select {
		case <-ctx.Done():
			s.stopAll()
			return
		case <-t.C:
		case <-s.kick:
		}
	}
}

// Kick asks for a reconcile now: after a connect, re-authenticate or
// disconnect.
func (s *AutoSync) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// UpdateNow restarts a connection's sync at once ("Update now").
func (s *AutoSync) UpdateNow(connID string) {
	s.mu.Lock()
	if stop, ok := s.running[connID]; ok {
		stop()
		delete(s.running, connID)
	}
	delete(s.backoff, connID)
	s.mu.Unlock()
	s.Kick()
}

func (s *AutoSync) reconcile(ctx context.Context) {
	conns, err := s.list(ctx)
	if err != nil {
		s.log.Warn("auto-sync: listing connections", "err", err)
		return
	}
	want := map[string]bool{}
	for _, c := range conns {
		if c.Status == domain.StatusConnected || c.Status == domain.StatusError {
			want[c.ID] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, stop := range s.running {
		if !want[id] {
			stop()
			delete(s.running, id)
		}
	}
	now := time.Now()
	for id := range want {
		if _, ok := s.running[id]; ok || now.Before(s.backoff[id]) {
			continue
		}
		runCtx, stop := context.WithCancel(ctx)
		s.running[id] = stop
		go s.follow(runCtx, id)
	}
}

// follow runs one connection's following sync until it ends, then lets the
// next reconcile decide: at once after a cancel, later after a failure.
func (s *AutoSync) follow(ctx context.Context, id string) {
	// Wait: a sync another process (or a just-stopped one) holds is waited
	// for, not failed; its progress shows through the persisted state.
	err := s.engine.Sync(ctx, id, syncer.Options{Follow: true, Wait: true})
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() == nil { // ended on its own, not stopped by us
		delete(s.running, id)
		if err != nil {
			s.backoff[id] = time.Now().Add(retryAfter)
			if !errors.Is(err, syncer.ErrAlreadyRunning) {
				s.log.Warn("auto-sync stopped", "conn", id, "err", err)
			}
		}
	}
}

func (s *AutoSync) stopAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, stop := range s.running {
		stop()
		delete(s.running, id)
	}
}
