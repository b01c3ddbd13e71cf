package reports

import (
	"context"
	"errors"
	"sync"
	"time"
)

// MonthMoney is one calendar month's money in the settlement currencies:
// the figures MoneyReport gives per settlement currency, for one month.
type MonthMoney struct {
	// Month is the month's first instant in the location it was counted in.
	Month time.Time
	// Settlement holds, per settlement currency with any of these figures
	// in the month, its sums in the currency's minor unit.
	Settlement map[string]MonthSettlement
}

// MonthSettlement is one settlement currency's month, with the meanings of
// SettlementFigures: Net = Gross − Refunds − Disputes − Fees.
type MonthSettlement struct {
	Gross, Refunds, Disputes, Fees, Net int64
}

// MoneyByMonth returns the settlement figures of the connections connIDs
// for the last n calendar months in loc, oldest first, the month holding
// now last (not over yet, so still growing). Every month is there, a
// month without figures with an empty Settlement. Each month is one period
// of MoneyReport's own sums (totals), so a month here and "this month" or
// "last month" there agree to the cent. n < 1 gives no months. It reads
// SQLite only; errors are the database's.
func (r *Reports) MoneyByMonth(ctx context.Context, connIDs []string, n int, loc *time.Location) ([]MonthMoney, error) {
	if n < 1 {
		return nil, nil
	}
	now := r.now().In(loc)
	y, m, _ := now.Date()
	out := make([]MonthMoney, n)
	periods := make([]Period, n)
	for i := range out {
		// time.Date normalizes months out of range and picks the offset of
		// each month's first midnight across DST.
		from := time.Date(y, m-time.Month(n-1-i), 1, 0, 0, 0, 0, loc)
		periods[i] = Period{Kind: PeriodCustom, From: from, To: time.Date(y, m-time.Month(n-1-i)+1, 1, 0, 0, 0, 0, loc)}
		out[i] = MonthMoney{Month: from, Settlement: map[string]MonthSettlement{}}
	}
	// Two months at a time, on two of the reader pool's connections, as
	// MoneyReport reads its two periods.
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				t, err := r.totals(ctx, connIDs, periods[i])
				if err != nil {
					errs[i] = err
					continue
				}
				for c, s := range t.set {
					out[i].Settlement[c] = MonthSettlement{Gross: s.gross, Refunds: s.refunds, Disputes: s.disputes,
						Fees: s.fees, Net: s.net()}
				}
			}
		})
	}
	for i := range periods {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}
