package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// maxChildRestarts bounds how often a child listing starts over because a
// child it paged past was deleted meanwhile.
const maxChildRestarts = 3

// completeChildren makes the children of each parent row complete: Stripe
// embeds only the first ten of an invoice's lines or a subscription's items
// (has_more tells), so the rest are listed. It returns how many child rows
// the parents now carry. When the child type is off, the rows carry none
// (the parent is written alone; its stored children stay). A parent that
// is gone by the time its children are asked for keeps what it embedded.
func (r *run) completeChildren(ctx context.Context, tr *typeRun, rows []warehouse.Row) (int64, error) {
	if tr.t.Child == "" {
		return 0, nil
	}
	if tr.child == nil {
		for i := range rows {
			rows[i].Children, rows[i].ChildrenComplete = nil, false
		}
		return 0, nil
	}
	var n int64
	for i := range rows {
		row := &rows[i]
		if !row.Deleted && !row.ChildrenComplete {
			kids, err := r.listChildren(ctx, tr.child.t, row.ID, row.Version, tr.remaining(r.e.now()))
			switch {
			case errors.Is(err, errGone):
			case err != nil:
				return 0, err
			default:
				row.Children, row.ChildrenComplete = kids, true
			}
		}
		n += int64(len(row.Children))
	}
	return n, nil
}

// listChildren lists every child of parent parentID, as rows of version.
func (r *run) listChildren(ctx context.Context, child warehouse.Type, parentID string, version, priority int64) ([]warehouse.Row, error) {
	path, params := child.ListFor(parentID)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var kids []warehouse.Row
	after, restarts := "", 0
	for {
		req := listRequest{endpoint: "GET " + child.ListPath, path: path, gone: true, priority: priority}
		for _, k := range keys {
			for _, v := range params[k] {
				req.add(k, v)
			}
		}
		if after != "" {
			req.add("starting_after", after)
		}
		var rows []warehouse.Row
		var more bool
		err := r.call.fetch(ctx, child.Name, req, func(p *page) error {
			var err error
			rows, err = prepareRows(child, p.Data, version)
			more = p.HasMore
			return err
		})
		if errors.Is(err, errGone) && after != "" && restarts < maxChildRestarts {
			kids, after, restarts = nil, "", restarts+1
			continue
		}
		if err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].ParentID = parentID
		}
		kids = append(kids, rows...)
		if !more || len(rows) == 0 {
			return kids, nil
		}
		after = rows[len(rows)-1].ID
	}
}

// sweep marks deleted, after a re-scan of tr completed, the rows the
// re-scan did not find again: every live row older than floor, the version
// below which no row the re-scan wrote can be. Their objects were deleted
// while Ledgerline could not see the events saying so. Children of a swept
// parent go with it.
func (r *run) sweep(ctx context.Context, tx *sql.Tx, tr *typeRun, floor int64) error {
	tables := []warehouse.Type{tr.t}
	if tr.child != nil {
		tables = append(tables, tr.child.t)
	}
	syncedAt := formatTime(r.e.now())
	for _, t := range tables {
		// The table name comes from the registry, never from input.
		res, err := tx.ExecContext(ctx, `UPDATE `+t.Table+` SET is_deleted = 1, synced_at = ?, version = ?
			WHERE connection_id = ? AND is_deleted = 0 AND version < ?`, syncedAt, floor, r.connID, floor)
		if err != nil {
			return fmt.Errorf("marking %s the re-scan didn't find as deleted: %w", t.Name, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			r.e.log.Info("sync: re-scan found deletions", "conn", r.connID, "type", t.Name, "rows", n)
		}
	}
	return nil
}
