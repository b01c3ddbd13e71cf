package syncer

import (
	"context"
	"database/sql"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Coverage is how far back the local copy of one object type is complete,
// as its sync state says: a listing (backfill or re-scan) runs newest
// first, so until it completes, everything created from some instant on is
// stored and older objects are still to come.
//
// "Stored" is as of the listing: objects created after it began arrive
// with the events that follow it, as they do for a complete type between
// syncs.
type Coverage struct {
	Type string // the warehouse type's name
	// Complete: the type's listing has finished; every object is stored,
	// however old.
	Complete bool
	// From, when not Complete: every object created at or after From is
	// stored. Zero when nothing is known to be (never synced, or no page
	// of the newest range stored yet).
	From time.Time
}

// Covers reports whether every object created at or after t is stored.
func (c Coverage) Covers(t time.Time) bool {
	return c.Complete || (!c.From.IsZero() && !t.Before(c.From))
}

// ReadCoverage returns the coverage of every warehouse type (by name) for
// connection connID, from its sync_state rows, read through db (the
// store's reader pool). A type without a row was never synced: nothing of
// it is covered. A child type (invoice_line_items) is covered as its
// parent is, whose pages bring it.
//
// In a listing's state every range still to list, [lo, hi) newest first,
// misses the objects created below its cursor (after_created, the last
// object stored; objects of that same second after it in list order may
// be missing too) or, before its first page, the whole range. So the type
// is complete from the highest such missing end on. A range standing for
// objects that come expanded in another type's listing (Via: balance
// transactions of charges) is covered as that listing is: a balance
// transaction is created with its charge, refund or payout.
func ReadCoverage(ctx context.Context, db *sql.DB, connID string) (map[string]Coverage, error) {
	states, err := loadStates(ctx, db, connID)
	if err != nil {
		return nil, err
	}
	own := map[string]Coverage{}
	for name, st := range states {
		own[name] = stateCoverage(st, nil)
	}
	out := map[string]Coverage{}
	for _, t := range warehouse.Types() {
		name := t.Name
		if t.Parent != "" {
			name = t.Parent
		}
		st := states[name]
		var c Coverage
		if st != nil {
			c = stateCoverage(st, own)
		}
		c.Type = t.Name
		out[t.Name] = c
	}
	return out, nil
}

// stateCoverage is the coverage one sync state gives; sources holds the
// coverage of other types by their own ranges, for Via ranges (nil: a Via
// range covers nothing).
func stateCoverage(st *typeState, sources map[string]Coverage) Coverage {
	c := Coverage{Type: st.Type}
	if st.Phase == PhaseReady || len(st.Ranges) == 0 {
		c.Complete = true // a listing with nothing left is written ready
		return c
	}
	var edge int64 // objects created at or after edge (unix s) are stored
	for _, seg := range st.Ranges {
		if seg.Via != "" {
			src, ok := sources[seg.Via]
			switch {
			case ok && src.Complete:
				continue
			case ok && !src.From.IsZero():
				edge = max(edge, src.From.Unix())
				continue
			}
			return c // the source has stored nothing yet
		}
		hi := seg.Hi
		if seg.After != "" && (hi == 0 || seg.AfterCreated+1 < hi) {
			hi = seg.AfterCreated + 1
		}
		if hi == 0 {
			return c // the newest range has no page stored yet
		}
		edge = max(edge, hi)
	}
	c.From = time.Unix(edge, 0).UTC()
	return c
}
