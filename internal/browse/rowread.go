package browse

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Row is one object as its view shows it. Values follow View.Columns:
// int64 for Money, Date (unix seconds), Count and Bool (0 or 1), string for
// Text and Status, nil for NULL.
type Row struct {
	ID       string
	Currency string // lower case ("usd"); "" when the object has none
	Values   []any
}

// selectList names what a row query reads: rowid and created (the row's
// key), id, currency, then the view's columns.
func selectList(s spec) string {
	cols := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		cols[i] = c.Key
	}
	return "rowid, created, id, currency, " + strings.Join(cols, ", ")
}

// fetch returns up to limit rows matching w, in order, with their keys.
func fetch(ctx context.Context, db queryer, s spec, w where, order string, limit int) ([]Row, []key, error) {
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %d", selectList(s), s.table, w, order, limit)
	rows, err := db.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", s.Name, err)
	}
	defer rows.Close()
	var out []Row
	var keys []key
	for rows.Next() {
		r, k, err := scanRow(rows, len(s.Columns))
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", s.Name, err)
		}
		out, keys = append(out, r), append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", s.Name, err)
	}
	return out, keys, nil
}

// fetchByRowid returns the live rows with the given rowids, in the order
// of ids; rows deleted or gone since the ids were read are left out.
func fetchByRowid(ctx context.Context, db queryer, s spec, ids []int64) ([]Row, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE rowid IN (%s) AND is_deleted = 0", selectList(s), s.table,
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ","))
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Name, err)
	}
	defer rows.Close()
	byID := make(map[int64]Row, len(ids))
	for rows.Next() {
		r, k, err := scanRow(rows, len(s.Columns))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", s.Name, err)
		}
		byID[k.rowid] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Name, err)
	}
	out := make([]Row, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

func scanRow(rows *sql.Rows, ncols int) (Row, key, error) {
	var k key
	var created sql.NullInt64
	var cur sql.NullString
	r := Row{Values: make([]any, ncols)}
	dest := []any{&k.rowid, &created, &r.ID, &cur}
	for i := range r.Values {
		dest = append(dest, &r.Values[i])
	}
	if err := rows.Scan(dest...); err != nil {
		return Row{}, key{}, err
	}
	k.created, r.Currency = created.Int64, cur.String
	for i, v := range r.Values {
		if b, ok := v.([]byte); ok { // a driver may hand TEXT over as bytes
			r.Values[i] = string(b)
		}
	}
	return r, k, nil
}
