package browse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// key is a row's place in date order: its created time and its rowid,
// which breaks ties. The tables' (connection_id, created DESC) indexes
// hold both (an index entry ends with the rowid), so walking keys never
// reads a table row.
type key struct{ created, rowid int64 }

// A direction is one of the two orders an index walk can take: newest
// first is the index's own order, created DESC then rowid ASC; oldest
// first is that order reversed.
type direction bool

const (
	newestFirst direction = true
	oldestFirst direction = false
)

func (d direction) reverse() direction { return !d }

// orderBy is the ORDER BY clause of d; the index serves both.
func (d direction) orderBy() string {
	if d == newestFirst {
		return "created DESC, rowid ASC"
	}
	return "created ASC, rowid DESC"
}

// from returns the condition "at k or after it in order d".
func (d direction) from(k key) (string, []any) {
	if d == newestFirst {
		return "created <= ? AND (created < ? OR rowid >= ?)", []any{k.created, k.created, k.rowid}
	}
	return "created >= ? AND (created > ? OR rowid <= ?)", []any{k.created, k.created, k.rowid}
}

// before reports whether a comes before b in order d.
func (d direction) before(a, b key) bool {
	if a.created != b.created {
		return (a.created > b.created) == (d == newestFirst)
	}
	return (a.rowid < b.rowid) == (d == newestFirst)
}

// walker runs the keyset queries of one view over a set of rows (w).
type walker struct {
	db    queryer
	table string
	w     where
}

// skip returns the key of the row d places after start (inclusive: d = 0
// is start itself) in order dir, or, with start nil, of the d-th row from
// the beginning of that order. ok is false when there are not that many.
// It steps through the index only.
func (k walker) skip(ctx context.Context, dir direction, start *key, d int) (key, bool, error) {
	w := k.w
	if start != nil {
		cond, args := dir.from(*start)
		w = w.and(where{conds: []string{cond}, args: args})
	}
	q := fmt.Sprintf("SELECT created, rowid FROM %s WHERE %s ORDER BY %s LIMIT 1 OFFSET %d", k.table, w, dir.orderBy(), d)
	var out key
	err := k.db.QueryRowContext(ctx, q, w.args...).Scan(&out.created, &out.rowid)
	if errors.Is(err, sql.ErrNoRows) {
		return key{}, false, nil
	}
	if err != nil {
		return key{}, false, err
	}
	return out, true, nil
}

// countFrom counts the rows at start and after it in order dir.
func (k walker) countFrom(ctx context.Context, dir direction, start key) (int, error) {
	cond, args := dir.from(start)
	w := k.w.and(where{conds: []string{cond}, args: args})
	var n int
	err := k.db.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", k.table, w), w.args...).Scan(&n)
	return n, err
}

// keys returns the keys of every row of the set, in order dir, at most
// limit of them; the deleted rows a Pager leaves out are few.
func (k walker) keys(ctx context.Context, dir direction, limit int) ([]key, error) {
	q := fmt.Sprintf("SELECT created, rowid FROM %s WHERE %s ORDER BY %s LIMIT %d", k.table, k.w, dir.orderBy(), limit)
	rows, err := k.db.QueryContext(ctx, q, k.w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []key
	for rows.Next() {
		var x key
		if err := rows.Scan(&x.created, &x.rowid); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
