package syncer

import "time"

// Stripe's lists say nothing of how many objects there are, so a progress
// bar needs a guess. The guess here: objects spread over created time as
// densely as in the pages fetched so far, in every range still to list, and
// below the oldest object seen there is at most as much created time with
// objects as has been covered already (ranges start at 1970, and most of
// that is empty). Ranges of one filter value are judged by the pages of
// that value only (a value that brought nothing yet adds nothing), and a
// Via range by its source: as many more as it brought per object of the
// source listed so far, for each object the source has left. The guess
// firms up as pages come in, and is exact when the listing completes.

// advance moves seg's fetch cursor past a page whose objects run from
// created first down to the object lastID created last, and learns from it.
func (tr *typeRun) advance(seg *segment, first int64, lastID string, last int64, n int64) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	from := first
	if seg.cur != "" {
		from = seg.curCreated
	}
	sp := tr.spreadLocked(seg.Filter)
	if d := from - last; d > 0 {
		sp.covered += d
	}
	sp.got += n
	if sp.oldest == 0 || last < sp.oldest {
		sp.oldest = last
	}
	for a := tr.accountOldest; a != nil && last > 0; {
		cur := a.Load()
		if (cur != 0 && cur <= last) || a.CompareAndSwap(cur, last) {
			break
		}
	}
	seg.cur, seg.curCreated = lastID, last
}

// estimateLocked guesses the total of the listing in progress, the objects
// expected through other types' listings included; tr.mu held (and then
// the sources' locks are taken: always in that order).
func (tr *typeRun) estimateLocked(now time.Time) int64 {
	st := tr.st
	if len(st.Ranges) == 0 {
		return st.Synced
	}
	rest, known := tr.restLocked(now, false)
	for _, seg := range st.Ranges {
		if seg.Via == "" {
			continue
		}
		for _, src := range tr.sources {
			if src.t.Name == seg.Via {
				rest += src.broughtPer(now, seg.N)
				known = true
			}
		}
	}
	if !known {
		return max(st.Estimated, st.Synced+pageLimit)
	}
	return st.Synced + max(rest, 1)
}

// restLocked guesses how many objects tr's own ranges still hold, and
// whether it knows enough to guess; tr.mu held. For a priority (see
// remaining) the guess reaches back to the oldest object fetched of any
// type, when that is older.
func (tr *typeRun) restLocked(now time.Time, priority bool) (int64, bool) {
	if !tr.t.HasCreated {
		return 0, false
	}
	var rest float64
	known := false
	for _, seg := range tr.st.Ranges {
		if seg.Via != "" {
			continue
		}
		sp := tr.spreadLocked(seg.Filter)
		if sp.got == 0 {
			if seg.Filter == "" {
				return 0, false
			}
			continue // a value not seen yet: most are empty
		}
		known = true
		density := float64(sp.got) / float64(max(sp.covered, 1))
		floor := sp.oldest - max(sp.covered, 1)
		if a := tr.accountOldest; priority && a != nil && a.Load() > 0 {
			floor = min(floor, a.Load())
		}
		if tr.t.Name == eventsType {
			floor = max(floor, now.Add(-eventWindow).Unix()) // Stripe keeps 30 days
		}
		hi := seg.Hi
		if hi == 0 {
			hi = now.Unix()
		}
		if seg.cur != "" {
			hi = seg.curCreated
		}
		lo := max(seg.Lo, floor)
		if hi > lo {
			rest += density * float64(hi-lo)
		}
	}
	return int64(rest), known
}

// broughtPer guesses how many more objects src's listing will bring
// expanded, having brought n so far.
func (src *typeRun) broughtPer(now time.Time, n int64) int64 {
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.st == nil || len(src.st.Ranges) == 0 {
		return 0
	}
	left := src.estimateLocked(now) - src.st.Synced
	if src.st.Synced == 0 {
		return left // nothing to judge by yet: one each
	}
	return left * n / src.st.Synced
}

// remaining guesses how many objects tr still has to list itself: the
// priority of its requests for the account's rate budget. Early in a
// listing the progress bars' guess (estimateLocked) is about twice what
// was fetched, whatever the type's size, so the types that happened to
// get ahead would keep the budget; instead the guess here assumes the
// objects reach back as far as the oldest object of any type fetched
// (the small types, listed whole at once, show how old the account is),
// which puts the largest lists first from their first pages on.
func (tr *typeRun) remaining(now time.Time) int64 {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.st == nil {
		return 0
	}
	if rest, known := tr.restLocked(now, true); known || len(tr.st.Ranges) == 0 {
		return rest
	}
	return max(tr.st.Estimated-tr.st.Synced, pageLimit)
}
