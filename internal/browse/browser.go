package browse

import (
	"context"
	"database/sql"
	"fmt"
)

// Browser reads the warehouse tables for the views. It is safe for
// concurrent use.
type Browser struct {
	db queryer
	// sortLimit, when not 0, replaces maxUnindexedSort (tests).
	sortLimit int
}

// queryer is the part of *sql.DB the Browser uses (tests wrap it to see
// the queries it runs).
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// New returns a Browser reading through db, a read pool (store.DB.Reader()).
func New(db *sql.DB) *Browser { return &Browser{db: db} }

// Open checks q and returns a Pager over its rows. It is quick: it counts
// nothing but, for a sort no index serves (the payments' amount), at most
// 100,001 index entries to refuse it with ErrTooManyToSort early.
// Errors: ErrInvalidQuery (wrapped; its text is for developers and logs,
// a UI words its own) for a query that cannot run; a *SortLimitError,
// which wraps ErrTooManyToSort.
func (b *Browser) Open(ctx context.Context, q Query) (*Pager, error) {
	p, err := check(q)
	if err != nil {
		return nil, err
	}
	if p.snapshot != nil && !p.snapshot.indexed && b.sortLimit > 0 {
		p.snapshot.limit = b.sortLimit
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

// checkSortable returns ErrTooManyToSort when the indexes alone show that
// more than the snapshot's limit of rows match: it counts the deleted rows
// in the date range, then index entries up to limit + deleted + 1.
func (b *Browser) checkSortable(ctx context.Context, p plan) error {
	if len(p.tableWhere().conds) > 0 {
		return nil // only the table's rows tell; the snapshot's load will
	}
	limit := p.snapshot.limit
	w := p.indexWhere()
	d := w.and(where{conds: []string{"is_deleted = 1"}})
	var all, deleted int
	q := fmt.Sprintf("SELECT count(*) FROM %s INDEXED BY %s_deleted WHERE %s", p.s.table, p.s.table, d)
	if err := b.db.QueryRowContext(ctx, q, d.args...).Scan(&deleted); err != nil {
		return fmt.Errorf("counting %s: %w", p.s.Name, err)
	}
	q = fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT %d)", p.s.table, w, limit+deleted+1)
	if err := b.db.QueryRowContext(ctx, q, w.args...).Scan(&all); err != nil {
		return fmt.Errorf("counting %s: %w", p.s.Name, err)
	}
	if all-deleted > limit {
		return p.tooManyToSort(limit)
	}
	return nil
}
