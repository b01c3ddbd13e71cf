package syncer

import (
	"context"
	"strconv"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// spareBytes is what a disk-full sync asks for beyond its estimate: room
// for SQLite's write-ahead log and the indexes' growth.
const spareBytes = 64 << 20

// withNeededSpace adds to a disk-full error an estimate of the space the
// rest of the sync needs: the objects it still expects to list times the
// bytes an object takes in this database so far, plus spareBytes. Without
// an estimate (a following sync with nothing left to list) it asks for
// spareBytes. Any other error is returned as it is.
func (e *Engine) withNeededSpace(ctx context.Context, connID string, err error) error {
	de := findKind(err, domain.KindDiskFull)
	if de == nil || de.Facts[domain.FactNeededBytes] != "" {
		return err
	}
	needed := int64(spareBytes)
	if p, perr := e.Progress(context.WithoutCancel(ctx), connID); perr == nil {
		var left, stored int64
		for _, t := range p.Types {
			left += max(t.Estimated-t.Synced, 0)
			stored += t.Synced
		}
		if size := e.p.Store.SizeBytes(); left > 0 && stored > 0 && size > 0 {
			needed += left * (size / stored)
		}
	}
	facts := domain.Facts{}
	for k, v := range de.Facts {
		facts[k] = v
	}
	facts[domain.FactNeededBytes] = strconv.FormatInt(needed, 10)
	return &domain.Error{Kind: de.Kind, Facts: facts, Cause: de.Cause}
}

// findKind is the first *domain.Error of exactly kind in err's tree (a
// sync's failure joins its types' errors), or nil.
func findKind(err error, kind domain.Kind) *domain.Error {
	if de, ok := err.(*domain.Error); ok && de.Kind == kind {
		return de
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return findKind(u.Unwrap(), kind)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if de := findKind(e, kind); de != nil {
				return de
			}
		}
	}
	return nil
}
