package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// forward keeps the ready types that Stripe sends no events for (balance
// transactions) current: it lists what was created since the newest one
// stored (from a second before it, so objects that share its second are not
// missed). Right after a listing, though, it lists from when that listing
// started (less forwardMargin): a listing made of several lists (one per
// filter value, and those of the types that brought objects expanded)
// started them at different times, so the newest object stored says only
// that one of them got that far. Changes to older objects of such types
// are not seen until a re-scan; Stripe offers no way to learn of them.
func (r *run) forward(ctx context.Context) error {
	for _, tr := range r.order {
		tr.mu.Lock()
		ok := tr.parent == nil && tr.enabled && tr.failed == nil && tr.st != nil && tr.st.Phase == PhaseReady &&
			!hasEvents(tr.t) && tr.t.HasCreated
		tr.mu.Unlock()
		if !ok {
			continue
		}
		if err := r.forwardType(ctx, tr); err != nil {
			if !isTypeError(err) {
				return err
			}
			tr.fail(err, r.e.now())
			if err := r.saveStates(ctx, []*typeRun{tr}); err != nil {
				return err
			}
		}
	}
	return nil
}

// forwardMargin is how far before a listing's start the first pass after
// it begins: Stripe's clock, which dates objects, may run behind ours.
const forwardMargin = time.Minute

func (r *run) forwardType(ctx context.Context, tr *typeRun) error {
	var newest sql.NullInt64
	// The table name comes from the registry, never from input.
	err := r.e.p.Store.Reader().QueryRowContext(ctx,
		`SELECT MAX(created) FROM `+tr.t.Table+` WHERE connection_id = ?`, r.connID).Scan(&newest)
	if err != nil {
		return fmt.Errorf("reading the newest %s stored: %w", tr.t.Name, err)
	}
	seg := &segment{}
	if newest.Valid && newest.Int64 > 1 {
		seg.Lo = newest.Int64 - 1
	}
	tr.mu.Lock()
	if st := tr.st; st.CaughtUpAt.Before(st.CompletedAt) && !st.StartedAt.IsZero() {
		// No pass since the listing completed.
		seg.Lo = max(0, min(seg.Lo, st.StartedAt.Add(-forwardMargin).Unix()))
	}
	tr.mu.Unlock()
	for {
		req := segmentRequest(tr.t, seg, false)
		version := fetchVersion(r.e.now())
		var rows []warehouse.Row
		var more bool
		err := r.call.fetch(ctx, tr.t.Name, req, func(p *page) error {
			var err error
			rows, err = prepareRows(tr.t, p.Data, version)
			more = p.HasMore
			return err
		})
		if err != nil {
			return err
		}
		children, err := r.completeChildren(ctx, tr, rows)
		if err != nil {
			return err
		}
		done := !more || len(rows) == 0
		err = r.e.p.Warehouse.Apply(ctx, r.connID, tr.t, rows, func(tx *sql.Tx) error {
			now := r.e.now()
			tr.mu.Lock()
			tr.st.LastError = ""
			if done {
				tr.st.CaughtUpAt = now
			}
			tr.mu.Unlock()
			for _, s := range tr.snapshot(now, children) {
				if err := saveState(ctx, tx, r.connID, s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		seg.cur, seg.curCreated = rows[len(rows)-1].ID, rows[len(rows)-1].Created
	}
}
