package reports

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"
)

// MRR now follows Stripe Billing's definition
// (https://docs.stripe.com/billing/subscriptions/analytics/glossary and
// https://support.stripe.com/questions/billing-analytics): the
// monthly-normalized value of active and past_due subscriptions, without
// trials, taxes, metered prices or free plans; only coupons with duration
// "forever" lower it. docs/metrics.md gives the exact rules.

// SubscriptionMRR is one subscription's share of MRR now.
type SubscriptionMRR struct {
	ID       string // sub_…
	Customer string // cus_…
	Status   string // active or past_due
	Currency string
	MRR      float64 // minor units per month, after forever coupons
}

// MRRNow is a connection's recurring revenue as of AsOf, per currency.
type MRRNow struct {
	AsOf time.Time
	MRR  Money // Σ subscriptions' MRR, rounded to the minor unit
	ARR  Money // 12 × MRR
	// Subscribers counts, per currency, the customers whose MRR there is
	// above zero (Stripe's "active subscribers"); ActiveSubscribers counts
	// them once across currencies.
	Subscribers       map[string]int
	ActiveSubscribers int
	ARPU              Money // MRR ÷ subscribers, rounded
	// Subscriptions are the active and past_due subscriptions with MRR
	// above zero, largest first.
	Subscriptions []SubscriptionMRR
	// UnpricedItems counts licensed items left out because their price has
	// no unit amount in the data (tiered prices: Stripe lists don't carry
	// the tiers).
	UnpricedItems int
}

// mrrItemsQuery reads the items of live subscriptions of one status whose
// trial is over from report_mrr_items (migration 0010): one key range of a
// narrow table that its triggers keep with what MRR reads of each item and
// its subscription, so no subscription's or item's JSON is read here.
// Prices come from the catalog (storedPrices), read once; an item whose
// price is not in it uses the price its JSON embedded, which the table
// holds.
const mrrItemsQuery = `SELECT subscription, coalesce(customer, ''), status, coalesce(currency, ''),
	coalesce(discount, ''), coalesce(discounts, ''), quantity, coalesce(price, ''),
	unit_amount, coalesce(interval, ''), coalesce(interval_count, 0), metered
	FROM report_mrr_items
	WHERE connection_id = ? AND status = ? AND (trial_end IS NULL OR trial_end <= ?)`

// storedPrice is a price (or older plan) as stored: its typed columns, and
// whether its JSON says it is metered.
type storedPrice struct {
	unit     sql.NullFloat64
	interval string
	count    int64
	metered  bool
}

// pricesQuery and plansQuery read a connection's catalog, deleted prices
// included (a subscription may still bill one). A store has few prices.
const (
	pricesQuery = `SELECT id, unit_amount, coalesce(recurring_interval, ''), coalesce(recurring_interval_count, 1), data
		FROM stripe_prices WHERE connection_id = ?`
	plansQuery = `SELECT id, amount, coalesce(interval, ''), coalesce(interval_count, 1), coalesce(usage_type, '') = 'metered'
		FROM stripe_plans WHERE connection_id = ?`
)

// storedPrices reads the catalog: prices, and plans whose id is no price's.
func (r *Reports) storedPrices(ctx context.Context, connID string) (map[string]storedPrice, error) {
	out := map[string]storedPrice{}
	rows, err := r.db.QueryContext(ctx, plansQuery, connID)
	if err != nil {
		return nil, fmt.Errorf("reading plans: %w", err)
	}
	for rows.Next() {
		var id string
		var p storedPrice
		if err := rows.Scan(&id, &p.unit, &p.interval, &p.count, &p.metered); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading plans: %w", err)
		}
		out[id] = p
	}
	rows.Close()
	if rows, err = r.db.QueryContext(ctx, pricesQuery, connID); err != nil {
		return nil, fmt.Errorf("reading prices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var p storedPrice
		var data []byte
		if err := rows.Scan(&id, &p.unit, &p.interval, &p.count, &data); err != nil {
			return nil, fmt.Errorf("reading prices: %w", err)
		}
		if bytes.Contains(data, metered_) {
			var j struct {
				Recurring struct {
					UsageType string `json:"usage_type"`
				} `json:"recurring"`
			}
			_ = json.Unmarshal(data, &j)
			p.metered = j.Recurring.UsageType == "metered"
		}
		out[id] = p
	}
	return out, rows.Err()
}

// itemPrice is an item's price: the stored one, else embedded, the one
// the item's JSON embedded.
func itemPrice(catalog map[string]storedPrice, priceID string, embedded storedPrice) storedPrice {
	if p, ok := catalog[priceID]; ok {
		return p
	}
	return embedded
}

var metered_ = []byte(`"metered"`)

// MRRNow computes connID's MRR, ARR, active subscribers and ARPU as of now.
func (r *Reports) MRRNow(ctx context.Context, connID string) (MRRNow, error) {
	now := r.now()
	subs, unpriced, err := r.subscriptionMRR(ctx, connID, now, "active", "past_due")
	if err != nil {
		return MRRNow{}, err
	}
	return summarize(now, subs, unpriced), nil
}

// subscriptionMRR is the MRR of each subscription of the given statuses.
func (r *Reports) subscriptionMRR(ctx context.Context, connID string, now time.Time, statuses ...string) ([]SubscriptionMRR, int, error) {
	byID := map[string]*SubscriptionMRR{}
	var order []string
	interval := map[string]float64{} // a subscription's billing period in months, for amount_off coupons
	discounts := map[string][2]string{}
	unpriced := 0
	catalog, err := r.storedPrices(ctx, connID)
	if err != nil {
		return nil, 0, err
	}
	for _, status := range statuses {
		rows, err := r.db.QueryContext(ctx, mrrItemsQuery, connID, status, now.Unix())
		if err != nil {
			return nil, 0, fmt.Errorf("computing MRR: %w", err)
		}
		for rows.Next() {
			var s SubscriptionMRR
			var discount, discountList string
			var qty int64
			var priceID string
			var embedded storedPrice
			if err := rows.Scan(&s.ID, &s.Customer, &s.Status, &s.Currency, &discount, &discountList, &qty, &priceID,
				&embedded.unit, &embedded.interval, &embedded.count, &embedded.metered); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("computing MRR: %w", err)
			}
			got, ok := byID[s.ID]
			if !ok {
				got = &s
				byID[s.ID] = got
				order = append(order, s.ID)
				discounts[s.ID] = [2]string{discount, discountList}
			}
			p := itemPrice(catalog, priceID, embedded)
			unit := p.unit
			months := intervalMonths(p.interval, p.count)
			if p.metered || months == 0 {
				continue
			}
			if !unit.Valid {
				unpriced++
				continue
			}
			if _, ok := interval[s.ID]; !ok {
				interval[s.ID] = months
			}
			got.MRR += unit.Float64 * float64(qty) / months
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("computing MRR: %w", err)
		}
	}
	out := make([]SubscriptionMRR, 0, len(order))
	for _, id := range order {
		s := byID[id]
		for _, c := range foreverCoupons(discounts[id]) {
			s.MRR = c.apply(s.MRR, s.Currency, interval[id])
		}
		if s.MRR > 0 {
			out = append(out, *s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].MRR != out[j].MRR {
			return out[i].MRR > out[j].MRR
		}
		return out[i].ID < out[j].ID
	})
	return out, unpriced, nil
}

// intervalMonths is how many months one billing interval lasts: a month is
// 1, a year 12, a week 12/52 and a day 12/365 (so a weekly price counts
// 52/12 times a month); 0 for an unknown interval.
func intervalMonths(interval string, count int64) float64 {
	if count < 1 {
		count = 1
	}
	var m float64
	switch interval {
	case "month":
		m = 1
	case "year":
		m = 12
	case "week":
		m = 12.0 / 52
	case "day":
		m = 12.0 / 365
	default:
		return 0
	}
	return m * float64(count)
}

// coupon is the part of a Stripe coupon that changes MRR.
type coupon struct {
	Duration   string   `json:"duration"`
	PercentOff *float64 `json:"percent_off"`
	AmountOff  *int64   `json:"amount_off"`
	Currency   string   `json:"currency"`
}

// apply lowers a monthly value by the coupon: percent_off takes its share;
// amount_off, which Stripe takes off each invoice of the subscription's
// period, is normalized to a month by that period (periodMonths) and only
// applies in its own currency. MRR never goes below zero.
func (c coupon) apply(mrr float64, currency string, periodMonths float64) float64 {
	switch {
	case c.PercentOff != nil:
		mrr *= 1 - *c.PercentOff/100
	case c.AmountOff != nil && c.Currency == currency && periodMonths > 0:
		mrr -= float64(*c.AmountOff) / periodMonths
	}
	return math.Max(mrr, 0)
}

// foreverCoupons reads the coupons of a subscription's discounts: the
// "discounts" array when its elements are objects (expanded), else the older
// "discount" object ({"coupon": {…}}) — in API versions with both they
// describe the same discount. A coupon may also sit under "source.coupon"
// (newest API versions). A discount given only as an id has no coupon in the
// data and is left out. Only duration "forever" is kept.
func foreverCoupons(raw [2]string) []coupon {
	type discount struct {
		Coupon *coupon `json:"coupon"`
		Source struct {
			Coupon *coupon `json:"coupon"`
		} `json:"source"`
	}
	read := func(d discount) *coupon {
		if d.Coupon != nil {
			return d.Coupon
		}
		return d.Source.Coupon
	}
	var found []coupon
	var list []json.RawMessage
	if raw[1] != "" && json.Unmarshal([]byte(raw[1]), &list) == nil {
		for _, e := range list {
			var d discount
			if json.Unmarshal(e, &d) == nil && read(d) != nil {
				found = append(found, *read(d))
			}
		}
	}
	if len(found) == 0 && raw[0] != "" {
		var d discount
		if json.Unmarshal([]byte(raw[0]), &d) == nil && read(d) != nil {
			found = append(found, *read(d))
		}
	}
	var out []coupon
	for _, c := range found {
		if c.Duration == "forever" {
			out = append(out, c)
		}
	}
	return out
}

// summarize adds subscriptions up per currency.
func summarize(now time.Time, subs []SubscriptionMRR, unpriced int) MRRNow {
	out := MRRNow{AsOf: now, MRR: Money{}, ARR: Money{}, ARPU: Money{}, Subscribers: map[string]int{},
		Subscriptions: subs, UnpricedItems: unpriced}
	exact := map[string]float64{}
	perCurrency := map[string]map[string]bool{}
	all := map[string]bool{}
	for _, s := range subs {
		exact[s.Currency] += s.MRR
		if perCurrency[s.Currency] == nil {
			perCurrency[s.Currency] = map[string]bool{}
		}
		perCurrency[s.Currency][s.Customer] = true
		all[s.Customer] = true
	}
	for cur, v := range exact {
		out.MRR[cur] = int64(math.Round(v))
		out.ARR[cur] = 12 * out.MRR[cur]
		n := len(perCurrency[cur])
		out.Subscribers[cur] = n
		out.ARPU[cur] = int64(math.Round(v / float64(n)))
	}
	out.ActiveSubscribers = len(all)
	return out
}
