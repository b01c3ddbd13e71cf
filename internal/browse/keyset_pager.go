package browse

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
)

// maxDeleted is how many deleted rows a Pager keeps in memory to step
// through an index that holds them too. Past it, the Pager leaves deleted
// rows out in SQL, which reads table rows as it steps.
const maxDeleted = 20_000

// rawChunk is the distance between the anchors Count leaves when it
// steps through an index alone (about 1 ms of stepping); liveChunk when it
// reads table rows to filter them.
const (
	rawChunk  = 16_384
	liveChunk = 1024
)

// maxAnchors bounds the keys a Pager remembers; past it, every other one
// is forgotten.
const maxAnchors = 50_000

// keysetPager pages rows in date order. Its positions are those of walk's
// rows. When the filter is one an index answers (connection, dates, an
// indexed status), walk is that index's rows, deleted ones included, and
// deleted holds the deleted ones' keys: a live position maps to a walk
// position by counting the deleted rows before it. Otherwise walk is the
// live rows themselves (filtered in SQL through the table).
type keysetPager struct {
	db    queryer
	p     plan
	dir   direction
	chunk int // rows between the anchors Count leaves: rawChunk or liveChunk
	// rawChunk, liveChunk and maxDeleted are the constants of the same
	// names (tests make them small).
	rawChunk, liveChunk, maxDeleted int

	prep    sync.Mutex // held while deciding the mode, once
	ready   bool
	raw     bool
	deleted []key // raw mode: the deleted rows of walk, in dir order
	walk    walker

	mu      sync.Mutex
	anchors []anchor // sorted by pos
	total   int      // rows of walk; -1 until counted
}

// anchor is a row whose position is known.
type anchor struct {
	pos int
	k   key
}

func newKeysetPager(db queryer, p plan) *keysetPager {
	dir := newestFirst
	if p.q.Asc {
		dir = oldestFirst
	}
	return &keysetPager{db: db, p: p, dir: dir, total: -1,
		rawChunk: rawChunk, liveChunk: liveChunk, maxDeleted: maxDeleted}
}

// prepare decides, once, whether positions count deleted rows.
func (k *keysetPager) prepare(ctx context.Context) error {
	k.prep.Lock()
	defer k.prep.Unlock()
	if k.ready {
		return nil
	}
	k.raw, k.walk, k.chunk = false, walker{db: k.db, table: k.p.s.table, w: k.p.liveWhere()}, k.liveChunk
	if len(k.p.tableWhere().conds) == 0 {
		deleted, err := k.loadDeleted(ctx)
		if err != nil {
			return err
		}
		if len(deleted) <= k.maxDeleted {
			k.raw, k.deleted, k.chunk = true, deleted, k.rawChunk
			k.walk.w = k.p.indexWhere()
		}
	}
	k.ready = true
	return nil
}

// loadDeleted reads the keys of the deleted rows that the index conditions
// select, through the partial index of deleted rows, at most maxDeleted+1.
func (k *keysetPager) loadDeleted(ctx context.Context) ([]key, error) {
	w := k.p.indexWhere().and(where{conds: []string{"is_deleted = 1"}})
	t := k.p.s.table
	q := fmt.Sprintf("SELECT created, rowid FROM %s INDEXED BY %s_deleted WHERE %s LIMIT %d", t, t, w, k.maxDeleted+1)
	rows, err := k.db.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, k.readErr(err)
	}
	defer rows.Close()
	var out []key
	for rows.Next() {
		var x key
		if err := rows.Scan(&x.created, &x.rowid); err != nil {
			return nil, k.readErr(err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, k.readErr(err)
	}
	slices.SortFunc(out, func(a, b key) int {
		switch {
		case k.dir.before(a, b):
			return -1
		case k.dir.before(b, a):
			return 1
		}
		return 0
	})
	return out, nil
}

func (k *keysetPager) readErr(err error) error {
	return fmt.Errorf("reading %s: %w", k.p.s.Name, err)
}

// deletedUpTo counts the deleted rows at x or before it.
func (k *keysetPager) deletedUpTo(x key) int {
	return sort.Search(len(k.deleted), func(i int) bool { return k.dir.before(x, k.deleted[i]) })
}

func (k *keysetPager) count(ctx context.Context) (int, error) {
	if err := k.prepare(ctx); err != nil {
		return 0, err
	}
	n, err := k.walkTotal(ctx)
	if err != nil {
		return 0, err
	}
	return n - len(k.deleted), nil
}

// walkTotal counts walk's rows by stepping chunk rows at a time through
// them, remembering where each step lands.
func (k *keysetPager) walkTotal(ctx context.Context) (int, error) {
	k.mu.Lock()
	total := k.total
	k.mu.Unlock()
	if total >= 0 {
		return total, nil
	}
	at, ok, err := k.walk.skip(ctx, k.dir, nil, 0)
	found, pos := ok, 0
	for ok && err == nil {
		k.remember(pos, at)
		var next key
		if next, ok, err = k.walk.skip(ctx, k.dir, &at, k.chunk); ok {
			at, pos = next, pos+k.chunk
		}
	}
	if err != nil {
		return 0, k.readErr(err)
	}
	total = 0
	if found {
		n, err := k.walk.countFrom(ctx, k.dir, at)
		if err != nil {
			return 0, k.readErr(err)
		}
		total = pos + n
	}
	k.mu.Lock()
	k.total = total
	k.mu.Unlock()
	return total, nil
}

func (k *keysetPager) rows(ctx context.Context, from, n int) ([]Row, error) {
	if err := k.prepare(ctx); err != nil {
		return nil, err
	}
	at, ok, err := k.liveKey(ctx, from)
	if err != nil || !ok {
		return nil, err
	}
	cond, args := k.dir.from(at)
	w := k.p.liveWhere().and(where{conds: []string{cond}, args: args})
	rows, keys, err := fetch(ctx, k.db, k.p.s, w, k.dir.orderBy(), n)
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 { // the next page starts right after this row
		last := keys[len(keys)-1]
		pos := from + len(keys) - 1
		if k.raw {
			pos += k.deletedUpTo(last)
		}
		k.remember(pos, last)
	}
	return rows, nil
}

// liveKey returns the key of the row at live position pos. In raw mode
// the walk position r of that row satisfies r = pos + (deleted rows up to
// it): starting at r = pos, each step moves r up to pos + the deleted rows
// up to r's row, never past the answer, until it stops there.
func (k *keysetPager) liveKey(ctx context.Context, pos int) (key, bool, error) {
	r := pos
	for {
		at, ok, err := k.keyAt(ctx, r)
		if err != nil || !ok || !k.raw {
			return at, ok, err
		}
		next := pos + k.deletedUpTo(at)
		if next == r {
			return at, true, nil
		}
		r = next
	}
}

// keyAt returns the key of walk's row at position pos, stepping from the
// nearest known place: the start, the end (once counted) or an anchor,
// forward or backward.
func (k *keysetPager) keyAt(ctx context.Context, pos int) (key, bool, error) {
	k.mu.Lock()
	dir, start, d := k.dir, (*key)(nil), pos
	if k.total >= 0 {
		if pos >= k.total {
			k.mu.Unlock()
			return key{}, false, nil
		}
		if e := k.total - 1 - pos; e < d {
			dir, d = k.dir.reverse(), e
		}
	}
	i := sort.Search(len(k.anchors), func(i int) bool { return k.anchors[i].pos >= pos })
	if i < len(k.anchors) && k.anchors[i].pos-pos < d {
		a := k.anchors[i]
		dir, start, d = k.dir.reverse(), &a.k, a.pos-pos
	}
	if i > 0 && pos-k.anchors[i-1].pos < d {
		a := k.anchors[i-1]
		dir, start, d = k.dir, &a.k, pos-a.pos
	}
	k.mu.Unlock()
	if d == 0 && start != nil {
		return *start, true, nil
	}
	at, ok, err := k.walk.skip(ctx, dir, start, d)
	if err != nil {
		return key{}, false, k.readErr(err)
	}
	if ok {
		k.remember(pos, at)
	}
	return at, ok, nil
}

// remember records that walk's row at pos has key x.
func (k *keysetPager) remember(pos int, x key) {
	k.mu.Lock()
	defer k.mu.Unlock()
	i := sort.Search(len(k.anchors), func(i int) bool { return k.anchors[i].pos >= pos })
	if i < len(k.anchors) && k.anchors[i].pos == pos {
		return
	}
	k.anchors = slices.Insert(k.anchors, i, anchor{pos, x})
	if len(k.anchors) > maxAnchors {
		thin := k.anchors[:0]
		for j := 0; j < len(k.anchors); j += 2 {
			thin = append(thin, k.anchors[j])
		}
		k.anchors = thin
	}
}
