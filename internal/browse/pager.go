package browse

import (
	"context"
	"fmt"
)

// Pager gives random access to a view's rows in the query's order. It is
// safe for concurrent use: the window calls it from background goroutines.
//
// Positions are those of the rows when they were first looked at: rows
// that a sync adds or deletes afterwards may shift them. Open a new Pager
// to see the table as it is now.
type Pager struct {
	src rowSource
}

// rowSource is one way of paging: keyset (by date, through its index) or
// a sorted snapshot.
type rowSource interface {
	count(ctx context.Context) (int, error)
	rows(ctx context.Context, from, n int) ([]Row, error)
}

// Count returns how many rows match the query. Without a search or a
// status the index answers (about 0.1 s for a million payments); a search,
// or a status on payments, reads every row in the date range, which can
// take seconds: call it off the UI goroutine and cancel through ctx.
// Counting also teaches the Pager where rows are, so Rows is quick at any
// position afterwards.
func (p *Pager) Count(ctx context.Context) (int, error) {
	return p.src.count(ctx)
}

// Rows returns up to n rows starting at position from (0 = the first in
// the query's order); fewer, or none, past the end. It reaches a position
// from the nearest place it knows (the start, the end, or a row it has
// seen), stepping through the date index only.
func (p *Pager) Rows(ctx context.Context, from, n int) ([]Row, error) {
	if from < 0 || n < 0 {
		return nil, fmt.Errorf("rows %d to %d: positions start at 0", from, from+n)
	}
	if n == 0 {
		return nil, nil
	}
	return p.src.rows(ctx, from, n)
}
