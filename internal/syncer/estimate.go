package syncer

import "time"

// Stripe's lists say nothing of how many objects there are, so a progress
// bar needs a guess. The guess here: objects spread over created time as
// densely as in the pages fetched so far, in every range still to list, and
// below the oldest object seen there is at most as much created time with
// objects as has been covered already (ranges start at 1970, and most of
// that is empty). The guess firms up as pages come in, and is exact when
// the listing completes.

// advance moves seg's fetch cursor past a page whose objects run from
// created first down to the object lastID created last, and learns from it.
func (tr *typeRun) advance(seg *segment, first int64, lastID string, last int64, n int64) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	from := first
	if seg.cur != "" {
		from = seg.curCreated
	}
	if d := from - last; d > 0 {
		tr.covered += d
	}
	tr.got += n
	if tr.oldest == 0 || last < tr.oldest {
		tr.oldest = last
	}
	seg.cur, seg.curCreated = lastID, last
}

// estimateLocked guesses the total of the listing in progress; tr.mu held.
func (tr *typeRun) estimateLocked(now time.Time) int64 {
	st := tr.st
	if len(st.Ranges) == 0 {
		return st.Synced
	}
	if tr.got == 0 || !tr.t.HasCreated {
		return max(st.Estimated, st.Synced+pageLimit)
	}
	density := float64(tr.got) / float64(max(tr.covered, 1))
	floor := tr.oldest - max(tr.covered, 1)
	var rest float64
	for _, seg := range st.Ranges {
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
	return st.Synced + max(int64(rest), 1)
}

// remaining guesses how many objects tr still has to list: the priority of
// its requests for the account's rate budget.
func (tr *typeRun) remaining(now time.Time) int64 {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.st == nil {
		return 0
	}
	return tr.estimateLocked(now) - tr.st.Synced
}
