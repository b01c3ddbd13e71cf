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
// the payouts not yet done. New payouts come with the payouts' events
// (payout.paid, payout.failed) and get their links in the same round.

const payoutsType = "payouts"

// linksWorkers is how many payouts' links are fetched at once. The requests
// share the balance transactions endpoint's budget with that type's own
// listing, and the account's with everything else, so a handful is enough
// to use what the budget leaves.
const linksWorkers = 4

// linksPriority ranks link requests below every listing's for the
// account's budget: they use what the listings leave.
const linksPriority = -1

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
			return r.payoutLinks(ctx)
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

// payoutLinks fetches and stores the links of every paid or failed
// automatic payout stored without them. A payout Stripe answers a 400 or
// 404 for (deleted, or not automatic after all), or whose list can't be
// read, is left for the next round and logged; a refused key, the network
// or storage end it with their error.
func (r *run) payoutLinks(ctx context.Context) error {
	if _, ready := r.linksEnabled(); !ready {
		return nil
	}
	all, err := r.e.p.Warehouse.PayoutsWithoutLinks(ctx, r.connID)
	if err != nil {
		return err
	}
	ids := r.linksDue(all)
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
feed:
	for _, id := range ids {
		select {
		case work <- id:
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

func (r *run) linksFailed(id string) {
	r.linksMu.Lock()
	defer r.linksMu.Unlock()
	if r.linksRetryAt == nil {
		r.linksRetryAt = map[string]time.Time{}
	}
	r.linksRetryAt[id] = r.e.now().Add(failRetry)
}
