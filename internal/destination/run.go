package destination

import (
	"context"
	"errors"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Follow settings: how often an up-to-date replicator looks at the log,
// and how long it waits after a failure (doubling up to the maximum).
const (
	PollEvery  = 200 * time.Millisecond
	RetryFirst = time.Second
	RetryMax   = 30 * time.Second
)

// CatchUp applies changes until the destination is up to date and returns
// how many log entries it covered. A failure is recorded as the
// destination's last error (status shows it) and returned.
func (r *Replicator) CatchUp(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := r.Step(ctx)
		total += n
		if err != nil {
			if !errors.Is(err, domain.KindCanceled) {
				_ = r.local.Fail(context.WithoutCancel(ctx), r.dest.ID, err)
			}
			return total, err
		}
		if n == 0 {
			return total, nil
		}
	}
}

// Follow keeps the destination up to date until ctx ends: it catches up,
// then looks for new changes every PollEvery. After a failure (the server
// gone, the lock held by another Ledgerline, …) it records the error,
// waits and tries again, so a restarted server or a freed lock is picked
// up by itself. report, when set, hears every failure and every success
// after one (nil error). Follow returns ctx's error.
func (r *Replicator) Follow(ctx context.Context, report func(applied int, err error)) error {
	wait := RetryFirst
	failing := false
	for {
		n, err := r.CatchUp(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch {
		case err != nil:
			failing = true
			if report != nil {
				report(n, err)
			}
			if !sleep(ctx, wait) {
				return ctx.Err()
			}
			wait = min(2*wait, RetryMax)
			continue
		case failing || n > 0:
			failing = false
			if report != nil {
				report(n, nil)
			}
		}
		wait = RetryFirst
		if !sleep(ctx, PollEvery) {
			return ctx.Err()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
