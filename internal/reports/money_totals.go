package reports

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// A period's money figures are sums over its rows. Its whole UTC hours are
// read from the hourly rollups (report_*_hourly, which migration 0007's
// triggers keep in the same transaction as the rows), and the minutes
// before its first whole hour and after its last from the rows themselves:
// a period starts and ends at midnight in the computer's zone, which is not
// on the hour in zones 30 or 45 minutes off UTC. So a month costs about
// 720 rollup rows per currency instead of ~90,000 charges.

// moneyQueries are one source's two queries, returning the same columns:
// rows reads the rows created in [from, to), rollup the hours in [from, to)
// (both aligned on the hour). %s is the connections' placeholders.
type moneyQueries struct{ rows, rollup string }

var (
	qCharges = moneyQueries{
		rows: `SELECT coalesce(currency, ''), count(*), sum(amount), sum(payment_method_type = 'card') FROM stripe_charges
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0 AND status = 'succeeded'
		GROUP BY 1`,
		rollup: `SELECT currency, sum(payments), sum(gross), sum(card_payments) FROM report_charges_hourly
		WHERE connection_id IN (%s) AND hour >= ? AND hour < ? GROUP BY 1`,
	}
	qRefunds = moneyQueries{
		rows: `SELECT coalesce(currency, ''), sum(amount) FROM stripe_refunds
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0 AND status = 'succeeded'
		GROUP BY 1`,
		rollup: `SELECT currency, sum(refunds) FROM report_refunds_hourly
		WHERE connection_id IN (%s) AND hour >= ? AND hour < ? GROUP BY 1`,
	}
	qDisputes = moneyQueries{
		rows: `SELECT coalesce(currency, ''), count(*), sum(CASE WHEN status = 'lost' THEN amount ELSE 0 END) FROM stripe_disputes
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0
		  AND coalesce(status, '') NOT LIKE 'warning%%'
		GROUP BY 1`,
		rollup: `SELECT currency, sum(disputes), sum(lost) FROM report_disputes_hourly
		WHERE connection_id IN (%s) AND hour >= ? AND hour < ? GROUP BY 1`,
	}
	qCustomers = moneyQueries{
		rows: `SELECT count(*) FROM stripe_customers
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0`,
		rollup: `SELECT coalesce(sum(customers), 0) FROM report_customers_hourly
		WHERE connection_id IN (%s) AND hour >= ? AND hour < ?`,
	}
	qBalance = moneyQueries{
		rows: `SELECT coalesce(currency, ''), coalesce(reporting_category, type, ''), sum(amount), sum(fee)
		FROM stripe_balance_transactions
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0
		GROUP BY 1, 2`,
		rollup: `SELECT currency, category, sum(amount), sum(fee) FROM report_balance_hourly
		WHERE connection_id IN (%s) AND hour >= ? AND hour < ? GROUP BY 1, 2`,
	}
)

// Balance transactions' reporting categories and what each adds to
// (Stripe's list: https://docs.stripe.com/reports/reporting-categories).
// Categories not named here (payouts, transfers, top-ups, other
// adjustments) move money but are not sales, and are left out.
var (
	grossCategories   = []string{"charge", "charge_failure", "payment", "payment_failure", "partial_capture_reversal"}
	refundCategories  = []string{"refund", "refund_failure", "payment_refund", "payment_failure_refund"}
	disputeCategories = []string{"dispute", "dispute_reversal"}
	feeCategories     = []string{"fee", "stripe_fee", "network_cost"}
)

// span is the instants [from, to) in unix seconds, read either from the
// rows or (hour-aligned) from the rollups.
type span struct {
	from, to int64
	rollup   bool
}

// spans splits [from, to) into the minutes before its first whole UTC hour,
// its whole hours, and the minutes after the last, leaving out empty ones.
func spans(from, to int64) []span {
	const hour = 3600
	first := (from + hour - 1) / hour * hour // from ≥ 0: a period after 1970
	last := to / hour * hour
	if first >= last {
		return []span{{from, to, false}}
	}
	var out []span
	for _, s := range []span{{from, first, false}, {first, last, true}, {last, to, false}} {
		if s.from < s.to {
			out = append(out, s)
		}
	}
	return out
}

func (r *Reports) totals(ctx context.Context, connIDs []string, p Period) (*totals, error) {
	t := &totals{cur: map[string]*curTotals{}, set: map[string]*setTotals{}}
	if len(connIDs) == 0 {
		return t, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(connIDs)), ",")
	for _, s := range spans(p.From.Unix(), p.To.Unix()) {
		args := make([]any, 0, len(connIDs)+2)
		for _, id := range connIDs {
			args = append(args, id)
		}
		args = append(args, s.from, s.to)
		if err := t.add(ctx, r.db, in, args, s.rollup); err != nil {
			return nil, fmt.Errorf("computing money figures: %w", err)
		}
	}
	return t, nil
}

// add adds one span's sums to t: the rollups' when rollup, else the rows'.
func (t *totals) add(ctx context.Context, db *sql.DB, in string, args []any, rollup bool) error {
	each := func(q moneyQueries, scan func(*sql.Rows) error) error {
		query := q.rows
		if rollup {
			query = q.rollup
		}
		rows, err := db.QueryContext(ctx, fmt.Sprintf(query, in), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	cur := func(c string) *curTotals {
		if t.cur[c] == nil {
			t.cur[c] = &curTotals{}
		}
		return t.cur[c]
	}
	var c, category string
	var n, sum, fee, card sql.NullInt64
	steps := []func() error{
		func() error {
			return each(qCharges, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &n, &sum, &card); err != nil {
					return err
				}
				ct := cur(c)
				ct.payments += n.Int64
				ct.gross += sum.Int64
				t.payments += n.Int64
				t.cardPayments += card.Int64
				return nil
			})
		},
		func() error {
			return each(qRefunds, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &sum); err != nil {
					return err
				}
				cur(c).refunds += sum.Int64
				return nil
			})
		},
		func() error {
			return each(qDisputes, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &n, &sum); err != nil {
					return err
				}
				cur(c).lost += sum.Int64
				t.disputes += n.Int64
				return nil
			})
		},
		func() error {
			return each(qCustomers, func(rows *sql.Rows) error {
				if err := rows.Scan(&n); err != nil {
					return err
				}
				t.new += n.Int64
				return nil
			})
		},
		func() error {
			return each(qBalance, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &category, &sum, &fee); err != nil {
					return err
				}
				t.addBalance(c, category, sum.Int64, fee.Int64)
				return nil
			})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// addBalance adds balance transactions of one settlement currency and
// category, amounting to sum with fees fee, to the figure their category
// belongs to.
func (t *totals) addBalance(c, category string, sum, fee int64) {
	s := t.set[c]
	if s == nil {
		s = &setTotals{}
	}
	switch {
	case slices.Contains(grossCategories, category):
		s.gross += sum
		s.fees += fee
	case slices.Contains(refundCategories, category):
		s.refunds -= sum
		s.fees += fee
	case slices.Contains(disputeCategories, category):
		s.disputes -= sum
		s.disputeFees += fee
		s.fees += fee
	case slices.Contains(feeCategories, category):
		s.fees += fee - sum // a fee transaction's amount is negative
	default:
		return
	}
	t.set[c] = s
}
