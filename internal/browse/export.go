package browse

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ledgerline/ledgerline/internal/csvsafe"
)

// exportPage is how many rows Export reads at a time.
const exportPage = 1000

// Export writes the rows q selects, in q's order, as CSV: a header of "id",
// the view's column keys and, when the view has money, "currency" (the
// same snake_case English in every language the window speaks: analysts'
// scripts read these headers, so they are a data contract); then a
// line per row, money in major units with the currency's own decimals
// ("12.99"; "1299" for yen), dates as RFC 3339 UTC, Bool as true/false,
// NULL as an empty field; a cell a spreadsheet would run as a formula gets
// a leading ' (internal/csvsafe). It streams, page by page, and returns the
// number of rows written. Errors: those of Open, then of reading or of w.
func (b *Browser) Export(ctx context.Context, q Query, w io.Writer) (int, error) {
	pg, err := b.Open(ctx, q)
	if err != nil {
		return 0, err
	}
	v, _ := ViewByName(q.View)
	money := v.hasMoney()
	header := []string{"id"}
	for _, c := range v.Columns {
		header = append(header, c.Key)
	}
	if money {
		header = append(header, "currency")
	}
	cw := csvsafe.NewWriter(w, false) // the window's exports are opened in spreadsheets
	if err := cw.Write(header); err != nil {
		return 0, fmt.Errorf("writing the CSV: %w", err)
	}
	n := 0
	record := make([]string, len(header))
	for {
		rows, err := pg.Rows(ctx, n, exportPage)
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			record[0] = r.ID
			for i, c := range v.Columns {
				record[i+1] = formatValue(c.Kind, r.Values[i], r.Currency)
			}
			if money {
				record[len(record)-1] = r.Currency
			}
			if err := cw.Write(record); err != nil {
				return n, fmt.Errorf("writing the CSV: %w", err)
			}
			n++
		}
		if len(rows) < exportPage {
			break
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("writing the CSV: %w", err)
	}
	return n, nil
}

// formatValue writes one value as Export does.
func formatValue(k Kind, v any, currency string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		switch k {
		case Money:
			return FormatMoney(x, currency)
		case Date:
			return time.Unix(x, 0).UTC().Format(time.RFC3339)
		case Bool:
			return strconv.FormatBool(x != 0)
		}
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
