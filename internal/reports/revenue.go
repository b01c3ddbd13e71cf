package reports

import (
	"context"
	"fmt"
	"time"
)

// MonthRevenue is one calendar month's gross volume (succeeded charges).
type MonthRevenue struct {
	Month time.Time // the month's first instant, UTC
	Gross Money
}

// RevenueByMonth returns the gross volume of the last n calendar months,
// oldest first, the current month last; months without charges are there
// with an empty Money.
func (r *Reports) RevenueByMonth(ctx context.Context, connID string, n int) ([]MonthRevenue, error) {
	end := monthStart(r.now()).AddDate(0, 1, 0)
	start := end.AddDate(0, -n, 0)
	out := make([]MonthRevenue, n)
	for i := range out {
		out[i] = MonthRevenue{Month: start.AddDate(0, i, 0), Gross: Money{}}
	}
	rows, err := r.db.QueryContext(ctx, `SELECT strftime('%Y-%m', created, 'unixepoch') AS month, currency, sum(amount)
		FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0 AND status = 'succeeded' AND created >= ? AND created < ?
		GROUP BY month, currency`, connID, start.Unix(), end.Unix())
	if err != nil {
		return nil, fmt.Errorf("computing revenue by month: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var month, cur string
		var amount int64
		if err := rows.Scan(&month, &cur, &amount); err != nil {
			return nil, fmt.Errorf("computing revenue by month: %w", err)
		}
		m, err := time.Parse("2006-01", month)
		if err != nil {
			return nil, fmt.Errorf("computing revenue by month: %w", err)
		}
		i := (m.Year()-start.Year())*12 + int(m.Month()-start.Month())
		if i >= 0 && i < n {
			out[i].Gross[cur] += amount
		}
	}
	return out, rows.Err()
}
