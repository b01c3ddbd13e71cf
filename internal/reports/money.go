package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// MoneyReport is what came in and what was kept for some connections in a
// period, each figure beside the period before it (docs/metrics.md, "Money
// in and money kept", gives every formula).
type MoneyReport struct {
	Period, Previous Period
	// Currencies: per currency the customers paid in (charges, refunds and
	// disputes carry it), sorted by code.
	Currencies []CurrencyFigures
	// Settlement: per currency of the Stripe balance the money settled in
	// (balance transactions carry it), with fees and net, sorted by code.
	Settlement []SettlementFigures
	// Payments counts succeeded charges of every currency.
	Payments Amount
	// NewCustomers counts customers created in the period.
	NewCustomers Amount
	Disputes     DisputeFigures
	Coverage     Completeness // whether the period and the one before are copied yet (coverage.go)
}

// CurrencyFigures are the figures in one presentment currency. Amounts are
// in its minor unit.
type CurrencyFigures struct {
	Currency       string
	Gross          Amount // succeeded charges' amount
	Refunds        Amount // succeeded refunds' amount
	DisputesLost   Amount // amount of disputes lost
	Payments       Amount // how many charges succeeded
	AveragePayment Amount // Gross ÷ Payments, rounded
	RefundRate     Rate   // Refunds ÷ Gross
}

// SettlementFigures are the figures of balance transactions in one
// settlement currency; amounts in its minor unit.
type SettlementFigures struct {
	Currency         string
	Gross            Amount // charges
	Refunds          Amount // refunds less failed refunds
	Disputes         Amount // disputed amounts withdrawn less those reinstated
	DisputeFees      Amount // the part of Fees that disputes cost
	Fees             Amount // every Stripe fee: fee of the above, plus fee transactions
	Net              Amount // Gross − Refunds − Disputes − Fees
	EffectiveFeeRate Rate   // Fees ÷ Gross
}

// DisputeFigures is the dispute rate by count as the card networks
// measure it: chargebacks received in the period ÷ successful card
// payments in the period, every currency together.
type DisputeFigures struct {
	Disputes     Amount // disputes created (inquiries, status warning_*, left out)
	CardPayments Amount // succeeded charges paid by card
	Rate         Rate
	// Level is where Rate's value stands against the networks' monitoring
	// thresholds (DisputeLevel).
	Level DisputeLevel
}

// DisputeLevel says how near a dispute rate is to the card networks'
// monitoring thresholds (docs/metrics.md names the sources). The networks
// also need a minimum count of disputes in a calendar month, which a
// level by rate alone does not check.
type DisputeLevel string

const (
	DisputeLevelNone      DisputeLevel = "none"      // no card payments: no rate
	DisputeLevelOK        DisputeLevel = "ok"        // below 0.65 %
	DisputeLevelNear      DisputeLevel = "near"      // ≥ 0.65 %: Visa's early-warning ratio (VDMP)
	DisputeLevelOver      DisputeLevel = "over"      // ≥ 0.9 %: Visa's standard VDMP ratio
	DisputeLevelExcessive DisputeLevel = "excessive" // ≥ 1.5 %: Mastercard's ECM ratio, Visa VAMP "excessive"
)

// Thresholds of DisputeLevel, as fractions.
const (
	DisputeRateNear      = 0.0065
	DisputeRateOver      = 0.009
	DisputeRateExcessive = 0.015
)

// LevelOf is the DisputeLevel of rate (nil: no card payments).
func LevelOf(rate *float64) DisputeLevel {
	switch {
	case rate == nil:
		return DisputeLevelNone
	case *rate >= DisputeRateExcessive:
		return DisputeLevelExcessive
	case *rate >= DisputeRateOver:
		return DisputeLevelOver
	case *rate >= DisputeRateNear:
		return DisputeLevelNear
	}
	return DisputeLevelOK
}

// totals are one period's sums, before comparing.
type totals struct {
	cur                                   map[string]*curTotals
	set                                   map[string]*setTotals
	payments, cardPayments, disputes, new int64
}

type curTotals struct{ gross, refunds, lost, payments int64 }

type setTotals struct{ gross, refunds, disputes, disputeFees, fees int64 }

// MoneyReport computes the money figures of the connections connIDs (one, or
// every connection for an all-stores view) in period p and the period
// before it. Deleted objects are left out. It reads SQLite only; errors
// are the database's.
func (r *Reports) MoneyReport(ctx context.Context, connIDs []string, p Period) (MoneyReport, error) {
	prev := p.Previous()
	// The two periods are read at once, on two of the reader pool's
	// connections: each costs the rows of its period, and the machine has
	// cores to spare while the window waits.
	var now, before *totals
	var errNow, errBefore error
	var wg sync.WaitGroup
	wg.Go(func() { now, errNow = r.totals(ctx, connIDs, p) })
	before, errBefore = r.totals(ctx, connIDs, prev)
	wg.Wait()
	if err := errors.Join(errNow, errBefore); err != nil {
		return MoneyReport{}, err
	}
	m := MoneyReport{Period: p, Previous: prev,
		Payments:     NewAmount(now.payments, before.payments),
		NewCustomers: NewAmount(now.new, before.new)}
	for _, c := range unionKeys(now.cur, before.cur) {
		a, b := orZero(now.cur[c]), orZero(before.cur[c])
		m.Currencies = append(m.Currencies, CurrencyFigures{Currency: c,
			Gross: NewAmount(a.gross, b.gross), Refunds: NewAmount(a.refunds, b.refunds),
			DisputesLost: NewAmount(a.lost, b.lost), Payments: NewAmount(a.payments, b.payments),
			AveragePayment: NewAmount(average(a.gross, a.payments), average(b.gross, b.payments)),
			RefundRate:     NewRate(a.refunds, a.gross, b.refunds, b.gross)})
	}
	for _, c := range unionKeys(now.set, before.set) {
		a, b := orZero(now.set[c]), orZero(before.set[c])
		m.Settlement = append(m.Settlement, SettlementFigures{Currency: c,
			Gross: NewAmount(a.gross, b.gross), Refunds: NewAmount(a.refunds, b.refunds),
			Disputes: NewAmount(a.disputes, b.disputes), DisputeFees: NewAmount(a.disputeFees, b.disputeFees),
			Fees: NewAmount(a.fees, b.fees), Net: NewAmount(a.net(), b.net()),
			EffectiveFeeRate: NewRate(a.fees, a.gross, b.fees, b.gross)})
	}
	m.Disputes = DisputeFigures{Disputes: NewAmount(now.disputes, before.disputes),
		CardPayments: NewAmount(now.cardPayments, before.cardPayments),
		Rate:         NewRate(now.disputes, now.cardPayments, before.disputes, before.cardPayments)}
	m.Disputes.Level = LevelOf(m.Disputes.Rate.Value)
	return r.withMoneyCoverage(ctx, m, connIDs)
}

func (s setTotals) net() int64 { return s.gross - s.refunds - s.disputes - s.fees }

func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// The queries: each reads one table's typed columns over the index on
// (connection_id, created).
const (
	qCharges = `SELECT currency, count(*), sum(amount), sum(payment_method_type = 'card') FROM stripe_charges
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0 AND status = 'succeeded'
		GROUP BY currency`
	qRefunds = `SELECT currency, sum(amount) FROM stripe_refunds
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0 AND status = 'succeeded'
		GROUP BY currency`
	qDisputes = `SELECT currency, count(*), sum(CASE WHEN status = 'lost' THEN amount ELSE 0 END) FROM stripe_disputes
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0
		  AND coalesce(status, '') NOT LIKE 'warning%%'
		GROUP BY currency`
	qCustomers = `SELECT count(*) FROM stripe_customers
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0`
	qBalance = `SELECT currency, coalesce(reporting_category, type, ''), sum(amount), sum(fee)
		FROM stripe_balance_transactions
		WHERE connection_id IN (%s) AND created >= ? AND created < ? AND is_deleted = 0
		GROUP BY 1, 2`
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

func (r *Reports) totals(ctx context.Context, connIDs []string, p Period) (*totals, error) {
	t := &totals{cur: map[string]*curTotals{}, set: map[string]*setTotals{}}
	if len(connIDs) == 0 {
		return t, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(connIDs)), ",")
	args := make([]any, 0, len(connIDs)+2)
	for _, id := range connIDs {
		args = append(args, id)
	}
	args = append(args, p.From.Unix(), p.To.Unix())
	cur := func(c string) *curTotals {
		if t.cur[c] == nil {
			t.cur[c] = &curTotals{}
		}
		return t.cur[c]
	}
	each := func(q string, scan func(*sql.Rows) error) error {
		rows, err := r.db.QueryContext(ctx, fmt.Sprintf(q, in), args...)
		if err != nil {
			return fmt.Errorf("computing money figures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("computing money figures: %w", err)
			}
		}
		return rows.Err()
	}
	var c string
	var n, sum, fee, card sql.NullInt64
	var category string
	steps := []func() error{
		func() error {
			return each(qCharges, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &n, &sum, &card); err != nil {
					return err
				}
				ct := cur(c)
				ct.payments, ct.gross = n.Int64, sum.Int64
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
				cur(c).refunds = sum.Int64
				return nil
			})
		},
		func() error {
			return each(qDisputes, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &n, &sum); err != nil {
					return err
				}
				cur(c).lost = sum.Int64
				t.disputes += n.Int64
				return nil
			})
		},
		func() error {
			return each(qCustomers, func(rows *sql.Rows) error { return rows.Scan(&t.new) })
		},
		func() error {
			return each(qBalance, func(rows *sql.Rows) error {
				if err := rows.Scan(&c, &category, &sum, &fee); err != nil {
					return err
				}
				s := t.set[c]
				if s == nil {
					s = &setTotals{}
				}
				switch {
				case slices.Contains(grossCategories, category):
					s.gross += sum.Int64
					s.fees += fee.Int64
				case slices.Contains(refundCategories, category):
					s.refunds -= sum.Int64
					s.fees += fee.Int64
				case slices.Contains(disputeCategories, category):
					s.disputes -= sum.Int64
					s.disputeFees += fee.Int64
					s.fees += fee.Int64
				case slices.Contains(feeCategories, category):
					s.fees += fee.Int64 - sum.Int64 // a fee transaction's amount is negative
				default:
					return nil
				}
				t.set[c] = s
				return nil
			})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return t, nil
}
