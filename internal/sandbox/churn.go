package sandbox

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// churnMix is what background churn does, weighted like a small shop's
// day: mostly new payments, some customer and subscription changes, a few
// refunds, disputes and deletions.
var churnMix = []struct {
	typ, action string
	weight      int
}{
	{"charges", ActionCreate, 30}, {"customers", ActionCreate, 10}, {"customers", ActionUpdate, 12},
	{"invoices", ActionCreate, 6}, {"invoices", ActionUpdate, 3}, {"subscriptions", ActionCreate, 4},
	{"subscriptions", ActionUpdate, 6}, {"refunds", ActionCreate, 4}, {"charges", ActionUpdate, 4},
	{"payouts", ActionCreate, 2}, {"disputes", ActionCreate, 1}, {"credit_notes", ActionCreate, 2},
	{"products", ActionUpdate, 2}, {"prices", ActionUpdate, 2}, {"plans", ActionCreate, 1},
	{"coupons", ActionUpdate, 1}, {"customers", ActionDelete, 2}, {"subscriptions", ActionDelete, 1},
	{"invoices", ActionDelete, 1}, {"coupons", ActionCreate, 1}, {"products", ActionCreate, 1},
}

// churnTick is how often background churn wakes up.
const churnTick = 20 * time.Millisecond

// startChurn runs Options.Churn random mutations per second per connected
// account in the background until Close or Shutdown.
func (s *Server) startChurn() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopChurn = cancel
	done := make(chan struct{})
	s.churnDone = done
	go func() {
		defer close(done)
		r := rand.New(rand.NewPCG(uint64(s.opts.Seed), 0x636875726e)) // "churn"
		t := time.NewTicker(churnTick)
		defer t.Stop()
		last, due := time.Now(), 0.0
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				due += s.opts.Churn * now.Sub(last).Seconds()
				last = now
				if n := int(due); n > 0 {
					due -= float64(n)
					s.churnStep(r, n)
				}
			}
		}
	}()
}

// churnStep makes n random mutations on every connected account.
func (s *Server) churnStep(r *rand.Rand, n int) {
	total := 0
	for _, m := range churnMix {
		total += m.weight
	}
	for _, a := range s.ids.accounts {
		for k := 0; k < n; k++ {
			x := r.IntN(total)
			for _, m := range churnMix {
				if x -= m.weight; x < 0 {
					if _, err := s.Mutate(a.ID, m.typ, m.action, 1, ""); err != nil {
						s.log.Debug("churn skipped a change", slog.String("type", m.typ), slog.Any("err", err))
					}
					break
				}
			}
		}
	}
}

// haltChurn stops background churn and waits for it to finish.
func (s *Server) haltChurn() {
	s.mu.Lock()
	stop, done := s.stopChurn, s.churnDone
	s.stopChurn = nil
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}
