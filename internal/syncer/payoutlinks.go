package syncer

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Payout links: which balance transactions each automatic payout paid out,
// as Stripe lists them with GET /v1/balance_transactions?payout=po_…. Stripe
// can say so only for automatic payouts, and does once one is paid or
// failed; a payout's links don't change after that, so each payout's are
// fetched once, written in one transaction with the marker that they are
// (warehouse.ApplyPayoutLinks), and a sync that stops half way resumes with
// the payouts not yet done.
//
// When: they cost one request per payout on the balance transactions
// endpoint (25/s), which on a first sync of an account with years of daily
// payouts would take far longer than listing its objects. So a round (a
// one-shot sync, or each round of a Follow sync) links only the payouts
// created in the last linksRecent (what an owner reconciles now; a handful
// of requests, beside the listing once the payouts are listed, and again at
// the round's end for those that came with events), and a sync reaches the
// end of its listing without waiting for older ones. Those are linked only
// by a Follow sync (the window's auto-sync, sync --follow), once it has
// caught up: between its polls, newest first, at most linksPerFollow per
// poll and only until the next poll is due, at the lowest priority, so
// events keep their pace. A one-shot sync therefore leaves older payouts
// without links; the next Follow sync links them, resuming by the markers.

const payoutsType = "payouts"

// linksWorkers is how many payouts' links are fetched at once. The requests
// share the balance transactions endpoint's budget with that type's own
// listing, and the account's with everything else, so a handful is enough
// to use what the budget leaves.
const linksWorkers = 4

// linksPriority ranks link requests below every listing's for the
// account's budget: they use what the listings leave.
const linksPriority = -1

// linksRecent is how far back a round links payouts (by their created
// time); older ones are linked between a Follow sync's polls.
const linksRecent = 7 * 24 * time.Hour

// linksPerFollow bounds the older payouts linked between two polls of a
// Follow sync: under a second of the balance transactions endpoint's 25/s.
const linksPerFollow = 20

// linksPoll is how often linksDuringBackfill checks whether the payouts
// are listed.
const linksPoll = 100 * time.Millisecond

// linksEnabled reports whether payouts are synced and listed (their links
// are then wanted and the payouts to ask about are stored).
func (r *run) linksEnabled() (enabled, listed bool) {
	tr := r.byName[payoutsType]
	if tr == nil {
		return false, false
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	enabled = tr.enabled && tr.failed == nil
	return enabled, enabled && tr.st != nil && tr.st.Phase == PhaseReady
}

// linksJob is linksDuringBackfill running beside a round.
type linksJob struct {
	cancel   context.CancelFunc
	done     chan error
	isListed chan struct{}
	closed   bool
	err      error
	waited   bool
}

// startLinks starts fetching payout links beside the round's listing.
func (r *run) startLinks(ctx context.Context) *linksJob {
	ctx, cancel := context.WithCancel(ctx)
	j := &linksJob{cancel: cancel, done: make(chan error, 1), isListed: make(chan struct{})}
	go func() { j.done <- r.linksDuringBackfill(ctx, j.isListed) }()
	return j
}

// listed says the round's listing is over.
func (j *linksJob) listed() {
	if !j.closed {
		j.closed = true
		close(j.isListed)
	}
}

// wait returns once the links job is over, with its error.
func (j *linksJob) wait() error {
	j.listed()
	if !j.waited {
		j.waited, j.err = true, <-j.done
	}
	return j.err
}

// stop ends the job if it still runs and waits for it.
func (j *linksJob) stop() {
	j.cancel()
	_ = j.wait()
}

// linksDuringBackfill fetches payout links as soon as the payouts are
// listed, while the backfill lists the other types: the links' requests
// then fill the rate budget the listings leave (the last, longest listings
// use only their own endpoints' share). It returns when those links are
// stored, or once the backfill is over (listed closed) without the payouts
// being listed.
func (r *run) linksDuringBackfill(ctx context.Context, listed <-chan struct{}) error {
	for {
		enabled, ready := r.linksEnabled()
		if !enabled {
			return nil
		}
		if ready {
			return r.recentLinks(ctx)
		}
		select {
		case <-listed:
			return nil
		case <-ctx.Done():
			return canceled(ctx)
		case <-time.After(linksPoll):
		}
	}
}

// recentLinks links the payouts created in the last linksRecent (see
// payoutLinks).
func (r *run) recentLinks(ctx context.Context) error {
	return r.payoutLinks(ctx, r.e.now().Add(-linksRecent).Unix(), 0, 0, time.Time{})
}

// olderLinks links, newest first, up to linksPerFollow payouts created
// before the last linksRecent, feeding no new one after until; it is what a
// Follow sync does between polls.
func (r *run) olderLinks(ctx context.Context, until time.Time) error {
	return r.payoutLinks(ctx, 0, r.e.now().Add(-linksRecent).Unix(), linksPerFollow, until)
}

// payoutLinks fetches and stores the links of the paid or failed automatic
// payouts stored without them and created in [from, before) (unix seconds;
// before 0: no bound), newest first, at most limit of them (0: all), asking
// for none after until (zero: no deadline; those asked for are finished). A
// payout Stripe answers a 400 or 404 for (deleted, or not automatic after
// all), or whose list can't be read, is left for the next round and
// logged; a refused key, the network or storage end it with their error.
func (r *run) payoutLinks(ctx context.Context, from, before int64, limit int, until time.Time) error {
	if _, ready := r.linksEnabled(); !ready {
		return nil
	}
	ask := limit
	if ask > 0 {
		ask += r.linksWaiting() // those waiting out failRetry are left out below
	}
	all, err := r.e.p.Warehouse.PayoutsWithoutLinks(ctx, r.connID, from, before, ask)
	if err != nil {
		return err
	}
	ids := r.linksDue(all)
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	if len(ids) == 0 {
		return nil
	}
	r.e.log.Info("sync: payout links", "conn", r.connID, "payouts", len(ids))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan string)
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for range min(linksWorkers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				err := r.payoutLinksOf(ctx, id)
				if err == nil {
					continue
				}
				if isTypeError(err) || errors.Is(err, errGone) {
					r.e.log.Warn("sync: payout links not fetched", "conn", r.connID, "payout", id, "err", err)
					r.linksFailed(id)
					continue
				}
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
			}
		}()
	}
	var late <-chan time.Time
	if !until.IsZero() {
		t := time.NewTimer(until.Sub(r.e.now()))
		defer t.Stop()
		late = t.C
	}
feed:
	for _, id := range ids {
		select {
		case <-late: // due: ask for no more, even with a worker free
			break feed
		default:
		}
		select {
		case work <- id:
		case <-late:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// payoutLinksOf lists every page of one payout's balance transactions and
// stores them in one transaction with the payout's marker.
func (r *run) payoutLinksOf(ctx context.Context, payout string) error {
	var links []warehouse.PayoutLink
	after := ""
	for {
		req := listRequest{endpoint: "GET /v1/balance_transactions", path: "/v1/balance_transactions",
			priority: linksPriority, gone: after == ""}
		req.add("payout", payout)
		if after != "" {
			req.add("starting_after", after)
		}
		var more bool
		err := r.call.fetch(ctx, "payout links", req, func(p *page) error {
			got, last, err := warehouse.ParsePayoutLinks(payout, p.Data)
			if err != nil {
				return unreadable("%s", err.Error())
			}
			links = append(links, got...)
			more, after = p.HasMore, last
			return nil
		})
		if err != nil {
			return err
		}
		if !more || after == "" {
			break
		}
	}
	return r.e.p.Warehouse.ApplyPayoutLinks(ctx, r.connID, payout, links)
}

// linksDue leaves out of ids the payouts whose links failed on their own
// less than failRetry ago, so that a Follow sync doesn't ask for them every
// poll.
func (r *run) linksDue(ids []string) []string {
	r.linksMu.Lock()
	defer r.linksMu.Unlock()
	now := r.e.now()
	out := ids[:0:0]
	for _, id := range ids {
		if at, ok := r.linksRetryAt[id]; ok && now.Before(at) {
			continue
		}
		out = append(out, id)
	}
	return out
}

// linksWaiting is how many payouts wait out failRetry.
func (r *run) linksWaiting() int {
	r.linksMu.Lock()
	defer r.linksMu.Unlock()
	return len(r.linksRetryAt)
}

func (r *run) linksFailed(id string) {
	r.linksMu.Lock()
	defer r.linksMu.Unlock()
	if r.linksRetryAt == nil {
		r.linksRetryAt = map[string]time.Time{}
	}
	r.linksRetryAt[id] = r.e.now().Add(failRetry)
}
