package sandbox

import (
	"math"
	"sort"
)

// A list is drawn from one or more streams. Each stream is an index range
// whose order by (created, lead, index) is its index order; a list merges
// its streams newest first, comparing (created, lead, index), which is also
// the order of (created, id) because ids encode lead and index. Single-kind
// lists have one stream; balance transactions and events merge several.
type stream struct {
	lead    byte
	lo, hi  int // the indexes to draw from
	created func(i int) int64
	keep    func(i int) bool // nil keeps everything in range
	write   func(w *jw, i int)
}

// key is a position in a merged list.
type key struct {
	created int64
	lead    byte
	i       int
}

func (a key) less(b key) bool {
	if a.created != b.created {
		return a.created < b.created
	}
	if a.lead != b.lead {
		return a.lead < b.lead
	}
	return a.i < b.i
}

// pageReq says which part of a list to take.
type pageReq struct {
	limit    int
	gte, lte int64 // created bounds, inclusive
	after    *key  // starting_after: only entries older than this
	before   *key  // ending_before: only entries newer than this
}

// anyCreated is a pageReq's created range when no filter was given.
func anyCreated() (int64, int64) { return math.MinInt64, math.MaxInt64 }

// pick is one entry of a page: stream s, index i.
type pick struct{ s, i int }

// collect takes one page: up to limit entries newest first, and whether
// more entries lie beyond the page in the direction of travel (older for a
// forward walk, newer for ending_before), as Stripe's has_more says.
func collect(streams []stream, p pageReq) ([]pick, bool) {
	lo := make([]int, len(streams))
	hi := make([]int, len(streams))
	for k := range streams {
		s := &streams[k]
		lo[k], hi[k] = s.lo, s.hi
		if p.gte != math.MinInt64 {
			lo[k] = max(lo[k], s.firstCreatedAtOrAfter(p.gte))
		}
		if p.lte != math.MaxInt64 {
			hi[k] = min(hi[k], s.firstCreatedAtOrAfter(p.lte+1))
		}
		if p.after != nil {
			hi[k] = min(hi[k], s.firstNotLess(*p.after, false))
		}
		if p.before != nil {
			lo[k] = max(lo[k], s.firstNotLess(*p.before, true))
		}
	}
	out := make([]pick, 0, p.limit+1)
	if p.before == nil {
		// Walk down from each stream's newest entry.
		heads := make([]key, len(streams))
		for k := range streams {
			if hi[k] > lo[k] {
				heads[k] = streams[k].keyAt(hi[k] - 1)
			}
		}
		for len(out) <= p.limit {
			best := -1
			for k := range streams {
				if hi[k] > lo[k] && (best < 0 || heads[best].less(heads[k])) {
					best = k
				}
			}
			if best < 0 {
				break
			}
			s := &streams[best]
			i := hi[best] - 1
			hi[best]--
			if hi[best] > lo[best] {
				heads[best] = s.keyAt(hi[best] - 1)
			}
			if s.keep == nil || s.keep(i) {
				out = append(out, pick{best, i})
			}
		}
	} else {
		// Walk up from the cursor, then turn the page newest first.
		heads := make([]key, len(streams))
		for k := range streams {
			if hi[k] > lo[k] {
				heads[k] = streams[k].keyAt(lo[k])
			}
		}
		for len(out) <= p.limit {
			best := -1
			for k := range streams {
				if hi[k] > lo[k] && (best < 0 || heads[k].less(heads[best])) {
					best = k
				}
			}
			if best < 0 {
				break
			}
			s := &streams[best]
			i := lo[best]
			lo[best]++
			if hi[best] > lo[best] {
				heads[best] = s.keyAt(lo[best])
			}
			if s.keep == nil || s.keep(i) {
				out = append(out, pick{best, i})
			}
		}
	}
	more := len(out) > p.limit
	if more {
		out = out[:p.limit]
	}
	if p.before != nil {
		for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
			out[a], out[b] = out[b], out[a]
		}
	}
	return out, more
}

func (s *stream) keyAt(i int) key { return key{s.created(i), s.lead, i} }

// firstCreatedAtOrAfter is the first index in [0, hi) created at or after t.
func (s *stream) firstCreatedAtOrAfter(t int64) int {
	return sort.Search(s.hi, func(i int) bool { return s.created(i) >= t })
}

// firstNotLess is the first index whose key is not less than k (strict:
// greater than k).
func (s *stream) firstNotLess(k key, strict bool) int {
	return sort.Search(s.hi, func(i int) bool {
		c := s.created(i)
		switch {
		case c != k.created:
			return c > k.created
		case s.lead != k.lead:
			return s.lead > k.lead
		case strict:
			return i > k.i
		}
		return i >= k.i
	})
}
