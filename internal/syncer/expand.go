package syncer

import (
	"context"
	"slices"
)

// Objects that come inside other objects' lists. Stripe's 25 requests/s
// per endpoint caps every list, so a type whose list holds a large share of
// an account's objects caps the whole backfill: balance transactions (one
// per charge, refund and payout) are about a quarter of a busy account.
// But charges, refunds and payouts can bring their balance transaction
// along, expand[]=data.balance_transaction, in the same request and under
// the same rate budget. So when balance transactions start a complete
// listing together with one of those types, that type's listing brings
// them (a Via range of the balance transactions' state, done when that
// listing completes), and the balance transactions list only their other
// types, one filtered list per type (Filter ranges). The two kinds of range
// together cover every balance transaction exactly once.
//
// A Via range is honoured only while its source lists in the same round
// with expansion; when the source is off, failed for now or already done,
// or the balance transactions are off, the range becomes Filter ranges for
// the types the source would have brought (settleVia), and the listing
// gets them itself.

// fullRanges are the ranges of a complete listing of tr that starts now,
// together with the listings of the types in starting: one unbounded range,
// or for a type with a filter, a range per filter value, except the values
// whose objects a starting type's listing brings expanded: for those, one
// Via range per such type.
func fullRanges(tr *typeRun, starting map[*typeRun]bool) []*segment {
	if tr.t.FilterParam == "" || len(tr.t.FilterValues) == 0 {
		return []*segment{{}}
	}
	via := map[string]*typeRun{}
	for _, src := range tr.sources {
		if starting[src] {
			for _, v := range src.t.Expands.Covers {
				via[v] = src
			}
		}
	}
	var out []*segment
	added := map[*typeRun]bool{}
	for _, v := range tr.t.FilterValues {
		src := via[v]
		switch {
		case src == nil:
			out = append(out, &segment{Filter: v})
		case !added[src]:
			added[src] = true
			out = append(out, &segment{Via: src.t.Name})
		}
	}
	return out
}

// settleVia keeps each Via range only where both its type and its source
// list in this round (listing), and turns the others into Filter ranges,
// saving the states it changed. It then says which types expand: those
// whose Via range is kept.
func (r *run) settleVia(ctx context.Context, listing []*typeRun) error {
	in := map[*typeRun]bool{}
	for _, tr := range listing {
		in[tr] = true
	}
	for _, tr := range r.order {
		tr.mu.Lock()
		tr.expand = false
		tr.mu.Unlock()
	}
	var dirty []*typeRun
	for _, x := range r.order {
		if len(x.sources) == 0 {
			continue
		}
		x.mu.Lock()
		var keep []*typeRun
		changed := false
		if x.st != nil {
			ranges := make([]*segment, 0, len(x.st.Ranges))
			for _, seg := range x.st.Ranges {
				if seg.Via == "" {
					ranges = append(ranges, seg)
					continue
				}
				i := slices.IndexFunc(x.sources, func(s *typeRun) bool { return s.t.Name == seg.Via })
				if i >= 0 && in[x] && in[x.sources[i]] {
					ranges = append(ranges, seg)
					keep = append(keep, x.sources[i])
					continue
				}
				changed = true
				if i >= 0 {
					for _, v := range x.sources[i].t.Expands.Covers {
						ranges = append(ranges, &segment{Filter: v})
					}
				}
			}
			if changed {
				x.st.Ranges = ranges
			}
		}
		x.mu.Unlock()
		if changed {
			dirty = append(dirty, x)
		}
		for _, src := range keep {
			src.mu.Lock()
			src.expand = true
			src.mu.Unlock()
		}
	}
	if len(dirty) > 0 {
		return r.saveStates(ctx, dirty)
	}
	return nil
}

// expands reports whether tr's listing this round asks for expansion.
func (tr *typeRun) expands() bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.expand
}
