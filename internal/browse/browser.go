package browse

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Browser reads the warehouse tables for the views. It is safe for
// concurrent use.
type Browser struct {
	db *sql.DB
}

// New returns a Browser reading through db, a read pool (store.DB.Reader()).
func New(db *sql.DB) *Browser { return &Browser{db: db} }

// Open checks q and returns a Pager over its rows. It is quick: it counts
// nothing but, for a sort no index serves (the payments' amount), at most
// 100,001 index entries to refuse it with ErrTooManyToSort early.
// Errors: ErrInvalidQuery (wrapped, worded for a person) for a query that
// cannot run; ErrTooManyToSort.
func (b *Browser) Open(ctx context.Context, q Query) (*Pager, error) {
	p, err := check(q)
	if err != nil {
		return nil, err
	}
	if p.snapshot == nil {
		return &Pager{src: newKeysetPager(b.db, p)}, nil
	}
	if !p.snapshot.indexed {
		if err := b.checkSortable(ctx, p); err != nil {
			return nil, err
		}
	}
	return &Pager{src: &snapshotPager{db: b.db, p: p}}, nil
}

// checkSortable returns ErrTooManyToSort when the index alone shows that
// more than the snapshot's limit of rows match.
func (b *Browser) checkSortable(ctx context.Context, p plan) error {
	limit := p.snapshot.limit
	w := p.indexWhere()
	var all, deleted int
	q := fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT %d)", p.s.table, w, limit+1)
	if err := b.db.QueryRowContext(ctx, q, w.args...).Scan(&all); err != nil {
		return fmt.Errorf("counting %s: %w", strings.ToLower(p.s.Title), err)
	}
	if all <= limit {
		return nil
	}
	d := w.and(where{conds: []string{"is_deleted = 1"}})
	q = fmt.Sprintf("SELECT count(*) FROM %s INDEXED BY %s_deleted WHERE %s", p.s.table, p.s.table, d)
	if err := b.db.QueryRowContext(ctx, q, d.args...).Scan(&deleted); err != nil {
		return fmt.Errorf("counting %s: %w", strings.ToLower(p.s.Title), err)
	}
	if all-deleted > limit && len(p.tableWhere().conds) == 0 {
		return p.tooManyToSort(limit)
	}
	return nil
}
