package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// MRR history is reconstructed from invoice line items, the way
// invoice-based tools (Baremetrics, ChartMogul) do it: each subscription
// line is spread evenly over the period it bills, normalized to a month, and
// a customer's MRR at an instant is the sum of the lines whose period holds
// that instant. docs/metrics.md gives the exact rules.

// MonthMRR is one calendar month (UTC): MRR at its end (now, for the
// current month) and the movements from the month before, each per currency.
// Churn and Contraction are positive amounts that lowered MRR.
type MonthMRR struct {
	Month        time.Time // the month's first instant, UTC
	MRR          Money
	New          Money
	Expansion    Money
	Contraction  Money
	Churn        Money
	Reactivation Money
	// Subscribers counts customers with MRR above zero at the month's end;
	// ChurnedSubscribers those who had MRR at the month's start and none at its end.
	Subscribers        map[string]int
	ChurnedSubscribers map[string]int
	Coverage           Completeness // whether the month is copied yet (coverage.go)
}

// Churn is subscriber and revenue churn between two instants, per currency,
// with Stripe's formulas: churned subscribers ÷ active subscribers at the
// start, churned MRR ÷ MRR at the start. A rate is absent when nobody was
// subscribed at the start.
type Churn struct {
	From, To           time.Time
	StartSubscribers   map[string]int
	ChurnedSubscribers map[string]int
	StartMRR           Money
	ChurnedMRR         Money
	SubscriberRate     map[string]float64
	RevenueRate        map[string]float64
	Coverage           Completeness // whether the period is copied yet (coverage.go)
}

// line is one subscription line's monthly value over its period.
type line struct {
	customer, currency string
	start, end         int64
	monthly            float64 // minor units per month
}

// key is a subscriber in one currency.
type key struct{ customer, currency string }

// linesQuery reads the subscription lines of paid and open invoices created
// since a lookback instant whose period ends after another, with the line's
// JSON (searched in Go; see mrrItemsQuery) and price (looked up in the
// catalog, storedPrices). It
// walks stripe_invoices_by_status (two statuses, a created range) and each
// invoice's lines through stripe_invoice_line_items_by_invoice, so it needs
// no index of its own (CROSS JOIN keeps SQLite from starting at the lines).
const linesQuery = `SELECT coalesce(inv.customer, ''), coalesce(l.currency, inv.currency, ''), l.period_start, l.period_end,
	coalesce(l.amount, 0), l.data, coalesce(l.price, '')
	FROM stripe_invoices inv
	CROSS JOIN stripe_invoice_line_items l ON l.connection_id = inv.connection_id AND l.invoice = inv.id
	WHERE inv.connection_id = ? AND inv.status IN ('paid', 'open') AND inv.created >= ? AND inv.is_deleted = 0
		AND l.is_deleted = 0 AND l.subscription IS NOT NULL AND l.period_end > ?`

var discountAmounts_ = []byte(`"discount_amounts":[{`)

// lineJSON is what a line's JSON says about discounts and metering, read
// only when it mentions either.
type lineJSON struct {
	DiscountAmounts []struct {
		Amount float64 `json:"amount"`
	} `json:"discount_amounts"`
	Price struct {
		Recurring struct {
			UsageType string `json:"usage_type"`
		} `json:"recurring"`
	} `json:"price"`
	Plan struct {
		UsageType string `json:"usage_type"`
	} `json:"plan"`
}

// lookbackMonths is how long before the first instant a report measures an
// invoice may have been created and still bill a period reaching it: a
// yearly line, invoiced at its period's start, plus a month of slack. Lines
// of longer intervals (every 2+ years) are not seen.
const lookbackMonths = 13

// lines reads the lines whose period ends after since.
func (r *Reports) lines(ctx context.Context, connID string, since int64) ([]line, error) {
	created := time.Unix(since, 0).UTC().AddDate(0, -lookbackMonths, 0).Unix()
	catalog, err := r.storedPrices(ctx, connID)
	if err != nil {
		return nil, err
	}
	rows, err := r.db.QueryContext(ctx, linesQuery, connID, created, since)
	if err != nil {
		return nil, fmt.Errorf("reading subscription lines: %w", err)
	}
	defer rows.Close()
	var out []line
	for rows.Next() {
		var l line
		var amount float64
		var data []byte
		var priceID string
		if err := rows.Scan(&l.customer, &l.currency, &l.start, &l.end, &amount, &data, &priceID); err != nil {
			return nil, fmt.Errorf("reading subscription lines: %w", err)
		}
		months := monthsBetween(l.start, l.end)
		if months <= 0 || catalog[priceID].metered {
			continue
		}
		if bytes.Contains(data, discountAmounts_) || bytes.Contains(data, metered_) {
			var j lineJSON
			_ = json.Unmarshal(data, &j)
			for _, d := range j.DiscountAmounts {
				amount -= d.Amount
			}
			if j.Price.Recurring.UsageType == "metered" || j.Plan.UsageType == "metered" {
				continue
			}
		}
		l.monthly = amount / months
		out = append(out, l)
	}
	return out, rows.Err()
}

// snapshot is each subscriber's MRR at instant t: the lines whose period
// [start, end) holds t, summed; a subscriber whose sum is not above zero
// (credits without a charge) has none.
func snapshot(lines []line, t int64) map[key]float64 {
	m := map[key]float64{}
	for _, l := range lines {
		if l.start <= t && t < l.end {
			m[key{l.customer, l.currency}] += l.monthly
		}
	}
	for k, v := range m {
		if v <= 1e-9 {
			delete(m, k)
		}
	}
	return m
}

// MRRByMonth returns the last n calendar months, oldest first, the current
// month last (its MRR as of now).
func (r *Reports) MRRByMonth(ctx context.Context, connID string, n int) ([]MonthMRR, error) {
	now := r.now()
	first := monthStart(now).AddDate(0, -(n - 1), 0)
	// The snapshot before the first month is the first month's start.
	lines, err := r.lines(ctx, connID, first.Unix()-1)
	if err != nil {
		return nil, err
	}
	// snaps[0] is just before the first month; snaps[i+1] the end of month i.
	snaps := make([]map[key]float64, n+1)
	snaps[0] = snapshot(lines, first.Unix()-1)
	for i := 0; i < n; i++ {
		snaps[i+1] = snapshot(lines, min(first.AddDate(0, i+1, 0).Unix()-1, now.Unix()))
	}
	// Subscribers first seen within the months are new unless they had a
	// line before the first month.
	seen := map[key]bool{}
	var firstSeen []key
	for i, snap := range snaps {
		for k := range snap {
			if !seen[k] && i > 0 {
				firstSeen = append(firstSeen, k)
			}
			seen[k] = true
		}
	}
	returning, err := r.hadLinesBefore(ctx, connID, firstSeen, first.Unix()-1)
	if err != nil {
		return nil, err
	}
	clear(seen)
	for k := range snaps[0] {
		seen[k] = true
	}
	out := make([]MonthMRR, n)
	for i := range out {
		prev, cur := snaps[i], snaps[i+1]
		m := MonthMRR{Month: first.AddDate(0, i, 0), MRR: Money{}, New: Money{}, Expansion: Money{}, Contraction: Money{},
			Churn: Money{}, Reactivation: Money{}, Subscribers: map[string]int{}, ChurnedSubscribers: map[string]int{}}
		exact := map[string]*[6]float64{} // mrr, new, expansion, contraction, churn, reactivation
		get := func(cur string) *[6]float64 {
			if exact[cur] == nil {
				exact[cur] = &[6]float64{}
			}
			return exact[cur]
		}
		for k, v := range cur {
			e := get(k.currency)
			e[0] += v
			m.Subscribers[k.currency]++
			was := prev[k]
			switch {
			case was == 0 && !seen[k] && !returning[k]:
				e[1] += v
			case was == 0:
				e[5] += v
			case v > was:
				e[2] += v - was
			case v < was:
				e[3] += was - v
			}
			seen[k] = true
		}
		for k, was := range prev {
			if _, still := cur[k]; !still {
				get(k.currency)[4] += was
				m.ChurnedSubscribers[k.currency]++
			}
		}
		for c, e := range exact {
			for j, dst := range []Money{m.MRR, m.New, m.Expansion, m.Contraction, m.Churn, m.Reactivation} {
				if v := int64(math.Round(e[j])); v != 0 || j == 0 {
					dst[c] = v
				}
			}
		}
		out[i] = m
	}
	return r.withMonthsCoverage(ctx, connID, out)
}

// hadLinesBefore returns which of the subscribers had a paid or open
// subscription invoice with a positive subtotal created before t: one who
// comes back after that is a reactivation, not new. It asks for a few hundred customers a statement,
// through the invoices' (connection_id, customer) index.
func (r *Reports) hadLinesBefore(ctx context.Context, connID string, ks []key, t int64) (map[key]bool, error) {
	out := map[key]bool{}
	want := map[key]bool{}
	for _, k := range ks {
		want[k] = true
	}
	const chunk = 400
	for len(ks) > 0 {
		part := ks[:min(chunk, len(ks))]
		ks = ks[len(part):]
		args := []any{connID, t}
		for _, k := range part {
			args = append(args, k.customer)
		}
		rows, err := r.db.QueryContext(ctx, earlierLinesQuery(len(part)), args...)
		if err != nil {
			return nil, fmt.Errorf("reading customers' earlier lines: %w", err)
		}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.customer, &k.currency); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading customers' earlier lines: %w", err)
			}
			if want[k] {
				out[k] = true
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("reading customers' earlier lines: %w", err)
		}
	}
	return out, nil
}

// ChurnBetween is subscriber and revenue churn over the period [from, to),
// measured just before it starts (from − 1 s) and at its last second
// (to − 1 s), the instants MRRByMonth measures months at: subscribers with
// MRR at the start and none at the end are churned, and their MRR at the start
// is the churned MRR. Subscribers who start and leave within the period are
// not counted.
func (r *Reports) ChurnBetween(ctx context.Context, connID string, from, to time.Time) (Churn, error) {
	lines, err := r.lines(ctx, connID, from.Unix()-2)
	if err != nil {
		return Churn{}, err
	}
	start, end := snapshot(lines, from.Unix()-1), snapshot(lines, to.Unix()-1)
	c := Churn{From: from, To: to, StartSubscribers: map[string]int{}, ChurnedSubscribers: map[string]int{},
		StartMRR: Money{}, ChurnedMRR: Money{}, SubscriberRate: map[string]float64{}, RevenueRate: map[string]float64{}}
	startMRR, churned := map[string]float64{}, map[string]float64{}
	for k, v := range start {
		c.StartSubscribers[k.currency]++
		startMRR[k.currency] += v
		if _, still := end[k]; !still {
			c.ChurnedSubscribers[k.currency]++
			churned[k.currency] += v
		}
	}
	for cur, n := range c.StartSubscribers {
		c.StartMRR[cur] = int64(math.Round(startMRR[cur]))
		c.ChurnedMRR[cur] = int64(math.Round(churned[cur]))
		c.SubscriberRate[cur] = float64(c.ChurnedSubscribers[cur]) / float64(n)
		if startMRR[cur] > 0 {
			c.RevenueRate[cur] = churned[cur] / startMRR[cur]
		}
	}
	return r.withChurnCoverage(ctx, c, connID)
}

// LTV is ARPU ÷ subscriber churn rate per currency; a currency whose churn
// rate is zero (or unknown) has no LTV: it is left out, not divided.
func LTV(arpu Money, churn Churn) Money {
	out := Money{}
	for cur, a := range arpu {
		if rate, ok := churn.SubscriberRate[cur]; ok && rate > 0 {
			out[cur] = int64(math.Round(float64(a) / rate))
		}
	}
	return out
}

// monthsBetween is the length of [start, end) in months, counted on the
// calendar from start as Stripe bills (a month from Jan 31 ends Feb 28/29):
// whole months, then the rest as a share of the month that follows.
func monthsBetween(start, end int64) float64 {
	if end <= start {
		return 0
	}
	s, e := time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	m := 0
	for !addMonths(s, m+1).After(e) {
		m++
	}
	base := addMonths(s, m)
	if base.Equal(e) {
		return float64(m)
	}
	next := addMonths(s, m+1)
	return float64(m) + e.Sub(base).Seconds()/next.Sub(base).Seconds()
}

// addMonths adds n calendar months, keeping the day of the month or the
// month's last day when it has fewer.
func addMonths(t time.Time, n int) time.Time {
	y, mo, d := t.Date()
	first := time.Date(y, mo+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// earlierLinesQuery finds, for n customers, the currencies of their paid or
// open subscription invoices with a positive subtotal created before an
// instant. It reads the invoices' typed columns only (not their lines: a
// customer has many), through the invoices' (connection_id, customer) index.
func earlierLinesQuery(n int) string {
	return `SELECT DISTINCT customer, currency FROM stripe_invoices INDEXED BY stripe_invoices_by_customer
		WHERE connection_id = ? AND created < ? AND customer IN (?` + strings.Repeat(", ?", n-1) + `)
			AND is_deleted = 0 AND status IN ('paid', 'open') AND subscription IS NOT NULL AND subtotal > 0`
}
