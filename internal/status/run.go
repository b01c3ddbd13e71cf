package status

import (
	"context"
	"time"
)

// DefaultEvery is how often Run checks when Schedule.Every is zero.
const DefaultEvery = 5 * time.Minute

// Schedule says how Run checks and where its results go.
type Schedule struct {
	// Every is the wait between the end of one run and the start of the
	// next. Default DefaultEvery.
	Every time.Duration
	// OnResults receives each completed run's results (see CheckAll), on
	// Run's goroutine: a UI must hop to its own thread. Optional.
	OnResults func([]Result)
	// OnError receives a run's error when it is not the end of ctx: the
	// store could not be read, or some statuses could not be saved. The
	// run's results still go to OnResults. Optional.
	OnError func(error)
}

// Run checks every connection at once, then again each s.Every, and also
// whenever Trigger is called, until ctx ends. It blocks: start it in its own
// goroutine after the window is shown, so the first check never delays it.
// A run that ctx interrupts reports nothing. Call Run at most once per
// Checker at a time.
func (c *Checker) Run(ctx context.Context, s Schedule) {
	every := s.Every
	if every <= 0 {
		every = DefaultEvery
	}
	for {
		// This run covers every Refresh pressed until now.
		select {
		case <-c.trigger:
		default:
		}
		results, err := c.CheckAll(ctx)
		if ctx.Err() != nil {
			return
		}
		if s.OnResults != nil {
			s.OnResults(results)
		}
		if err != nil && s.OnError != nil {
			s.OnError(err)
		}

		wait := time.NewTimer(every)
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		case <-c.trigger:
			wait.Stop()
		}
	}
}

// Trigger asks a running Run to check now, for a Refresh button. It never
// blocks. Presses while a run is under way make one more run after it, not
// one per press; presses before a run starts are covered by that run.
func (c *Checker) Trigger() {
	select {
	case c.trigger <- struct{}{}:
	default: // a run is already due
	}
}
