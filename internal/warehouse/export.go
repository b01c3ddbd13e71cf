package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/csvsafe"
)

// ExportOptions choose the rows Export writes.
type ExportOptions struct {
	Type Type
	// ConnID limits the rows to one connection; "" exports every connection's.
	ConnID string
	// Since keeps objects created at or after it; zero keeps all.
	Since time.Time
	// IncludeDeleted keeps rows of objects deleted in Stripe (is_deleted = 1).
	IncludeDeleted bool
	// RawCells writes every cell as stored. By default a cell a spreadsheet
	// would run as a formula gets a leading ' (see internal/csvsafe).
	RawCells bool
}

// Export writes one table as CSV: a header, then a line per row, newest
// first, with the common columns (created as RFC 3339 UTC) and the typed
// columns, but not data (the JSON stays in the database). Cells that would
// run as spreadsheet formulas are neutralized unless o.RawCells. It streams from
// a read connection, so it does not hold up a sync, and returns the number
// of rows written.
func (w *Warehouse) Export(ctx context.Context, out io.Writer, o ExportOptions) (int, error) {
	cols := []string{"connection_id", "id", "created", "livemode", "is_deleted", "synced_at"}
	for _, c := range o.Type.Columns {
		cols = append(cols, c.Name)
	}
	where, args := []string{"1 = 1"}, []any{}
	if o.ConnID != "" {
		where, args = append(where, "connection_id = ?"), append(args, o.ConnID)
	}
	if !o.Since.IsZero() {
		where, args = append(where, "created >= ?"), append(args, o.Since.Unix())
	}
	if !o.IncludeDeleted {
		where = append(where, "is_deleted = 0")
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY created DESC, id DESC",
		strings.Join(quoted(cols), ", "), o.Type.Table, strings.Join(where, " AND "))
	rows, err := w.db.Reader().QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("exporting %s: %w", o.Type.Table, err)
	}
	defer rows.Close()

	cw := csvsafe.NewWriter(out, o.RawCells)
	if err := cw.Write(cols); err != nil {
		return 0, err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	record := make([]string, len(cols))
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("exporting %s: %w", o.Type.Table, err)
		}
		for i, v := range vals {
			record[i] = v.String
		}
		if record[2] != "" { // created: unix seconds → a date a spreadsheet reads
			if secs, err := strconv.ParseInt(record[2], 10, 64); err == nil {
				record[2] = time.Unix(secs, 0).UTC().Format(time.RFC3339)
			}
		}
		if err := cw.Write(record); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("exporting %s: %w", o.Type.Table, err)
	}
	cw.Flush()
	return n, cw.Error()
}

func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = `"` + n + `"`
	}
	return out
}
