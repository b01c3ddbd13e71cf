package reports

import (
	"context"
	"errors"
	"maps"
	"slices"
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
