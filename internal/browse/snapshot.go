package browse

import (
	"context"
	"fmt"
	"sync"
)

// snapshotPager pages rows sorted by a column other than the date: it
// reads the matching rows' rowids once, in order (through the column's
// index where migration 0004 made one), and fetches rows by rowid.
type snapshotPager struct {
	db queryer
	p  plan

	mu     sync.Mutex // held while loading, so one load runs at a time
	loaded bool
	ids    []int64
}

// order is the snapshot's ORDER BY: the column, then rowid the same way,
// which is the order of an index on (connection_id, column) or its reverse.
func (s *snapshotPager) order() string {
	dir := "DESC"
	if s.p.q.Asc {
		dir = "ASC"
	}
	return fmt.Sprintf("%s %s, rowid %s", s.p.q.SortBy, dir, dir)
}

// load reads the ids once; a sort over more rows than the limit fails
// with ErrTooManyToSort (and fails again on every call).
func (s *snapshotPager) load(ctx context.Context) ([]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded {
		return s.ids, nil
	}
	limit := s.p.snapshot.limit
	w := s.p.liveWhere()
	q := fmt.Sprintf("SELECT rowid FROM %s WHERE %s ORDER BY %s LIMIT %d", s.p.s.table, w, s.order(), limit+1)
	rows, err := s.db.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("sorting %s: %w", s.p.s.Name, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sorting %s: %w", s.p.s.Name, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sorting %s: %w", s.p.s.Name, err)
	}
	if len(ids) > limit {
		return nil, s.p.tooManyToSort(limit)
	}
	s.ids, s.loaded = ids, true
	return ids, nil
}

func (s *snapshotPager) count(ctx context.Context) (int, error) {
	ids, err := s.load(ctx)
	return len(ids), err
}

func (s *snapshotPager) rows(ctx context.Context, from, n int) ([]Row, error) {
	ids, err := s.load(ctx)
	if err != nil || from >= len(ids) {
		return nil, err
	}
	return fetchByRowid(ctx, s.db, s.p.s, ids[from:min(from+n, len(ids))])
}
