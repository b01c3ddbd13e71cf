package reports

import (
	"context"
	"testing"
	"time"
)

// The hand-built account's months, worked by hand from buildAccount's
// balance transactions: October 2026 is txn_10 alone; November the figures
// TestMoneyOfAHandBuiltAccountMatchesHandWrittenAnswers works out; December
// txn_8, its first second.
func TestMoneyByMonthOfAHandBuiltAccount(t *testing.T) {
	h, a, b := buildAccount(t)
	r := New(h.db.Reader(), func() time.Time { return time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) })
	months, err := r.MoneyByMonth(context.Background(), []string{a, b}, 4, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		month time.Time
		set   map[string]MonthSettlement
	}{
		{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), map[string]MonthSettlement{}},
		{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), map[string]MonthSettlement{"usd": {Gross: 20000, Fees: 610, Net: 19390}}},
		{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), map[string]MonthSettlement{
			"usd": {Gross: 29900, Refunds: 6400, Disputes: 7000, Fees: 3545, Net: 12955},
			"gbp": {Gross: 3000, Fees: 100, Net: 2900}}},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), map[string]MonthSettlement{"usd": {Gross: 1000, Fees: 59, Net: 941}}},
	}
	if len(months) != len(want) {
		t.Fatalf("%d months, want %d", len(months), len(want))
	}
	for i, w := range want {
		got := months[i]
		if !got.Month.Equal(w.month) {
			t.Errorf("month %d starts %v, want %v", i, got.Month, w.month)
		}
		if len(got.Settlement) != len(w.set) {
			t.Errorf("%s: currencies %v, want %v", w.month.Format("2006-01"), got.Settlement, w.set)
		}
		for c, s := range w.set {
			if got.Settlement[c] != s {
				t.Errorf("%s %s: %+v, want %+v", w.month.Format("2006-01"), c, got.Settlement[c], s)
			}
		}
	}

	t.Run("months are counted in the zone asked for", func(t *testing.T) {
		// In New York November runs from 04:00 UTC on 1 November to 05:00
		// UTC on 1 December, so txn_9 (00:00 UTC on 1 November) is still
		// October there, 1000 more gross and 59 more fees in October, and
		// txn_8 (00:00 UTC on 1 December) is November's: November keeps
		// its 29900 and December has nothing.
		ny := zone(t, "America/New_York")
		months, err := r.MoneyByMonth(context.Background(), []string{a}, 3, ny)
		if err != nil {
			t.Fatal(err)
		}
		if !months[1].Month.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, ny)) {
			t.Fatalf("November starts %v", months[1].Month)
		}
		if got := months[0].Settlement["usd"]; got != (MonthSettlement{Gross: 21000, Fees: 669, Net: 20331}) {
			t.Errorf("October in New York: %+v", got)
		}
		if got := months[1].Settlement["usd"]; got != (MonthSettlement{Gross: 29900, Refunds: 6400, Disputes: 7000, Fees: 3545, Net: 12955}) {
			t.Errorf("November in New York: %+v", got)
		}
		if len(months[2].Settlement) != 0 {
			t.Errorf("December in New York: %+v", months[2].Settlement)
		}
	})
	t.Run("no connections, empty months; no months asked, none given", func(t *testing.T) {
		months, err := r.MoneyByMonth(context.Background(), nil, 2, time.UTC)
		if err != nil || len(months) != 2 || len(months[0].Settlement)+len(months[1].Settlement) != 0 {
			t.Errorf("%+v, %v", months, err)
		}
		if none, err := r.MoneyByMonth(context.Background(), []string{a}, 0, time.UTC); err != nil || len(none) != 0 {
			t.Errorf("%+v, %v", none, err)
		}
	})
}

// On a sandbox account, each month equals plain SQL that adds up the
// balance transactions grouped by their UTC month, written here apart
// from the report's queries.
func TestMoneyByMonthEqualsAnIndependentSumPerMonth(t *testing.T) {
	db, connID := synced(t, 1)
	now := time.Now()
	r := New(db.Reader(), func() time.Time { return now })
	const n = 12
	months, err := r.MoneyByMonth(context.Background(), []string{connID}, n, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Reader().Query(`SELECT strftime('%Y-%m', created, 'unixepoch') AS month, currency,
		sum(CASE WHEN cat = 'charge' THEN amount ELSE 0 END),
		sum(CASE WHEN cat IN ('refund', 'refund_failure') THEN -amount ELSE 0 END),
		sum(CASE WHEN cat IN ('dispute', 'dispute_reversal') THEN -amount ELSE 0 END),
		sum(CASE WHEN cat IN ('charge', 'refund', 'refund_failure', 'dispute', 'dispute_reversal') THEN fee
			WHEN cat = 'fee' THEN fee - amount ELSE 0 END)
		FROM (SELECT created, currency, amount, fee, coalesce(reporting_category, type) AS cat FROM stripe_balance_transactions
			WHERE connection_id = ? AND is_deleted = 0)
		GROUP BY month, currency`, connID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string]map[string]MonthSettlement{}
	for rows.Next() {
		var month, cur string
		var s MonthSettlement
		if err := rows.Scan(&month, &cur, &s.Gross, &s.Refunds, &s.Disputes, &s.Fees); err != nil {
			t.Fatal(err)
		}
		s.Net = s.Gross - s.Refunds - s.Disputes - s.Fees
		if want[month] == nil {
			want[month] = map[string]MonthSettlement{}
		}
		if s != (MonthSettlement{}) {
			want[month][cur] = s
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	first := time.Date(now.UTC().Year(), now.UTC().Month()-(n-1), 1, 0, 0, 0, 0, time.UTC)
	seen := 0
	for i, m := range months {
		key := first.AddDate(0, i, 0).Format("2006-01")
		if m.Month.Format("2006-01") != key {
			t.Fatalf("month %d is %v, want %s", i, m.Month, key)
		}
		for c, s := range want[key] {
			if m.Settlement[c] != s {
				t.Errorf("%s %s: %+v, want %+v", key, c, m.Settlement[c], s)
			}
		}
		for c := range m.Settlement {
			if _, ok := want[key][c]; !ok {
				t.Errorf("%s: %s has figures the SQL doesn't: %+v", key, c, m.Settlement[c])
			}
		}
		seen += len(want[key])
	}
	if seen < n/2 {
		t.Errorf("the sandbox account has figures in only %d month-currencies of the last %d months", seen, n)
	}
}
