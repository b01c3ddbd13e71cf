package reports

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestMoneyPeriodsOffTheHourEqualTheObjectsAddedUp checks the split of a
// period into whole UTC hours (read from the rollups) and the minutes at
// its edges (read from the rows) in zones whose midnight is not on a UTC
// hour: 30 and 45 minutes off, on either side of UTC. Each figure is
// compared with the stored objects' data JSON added up in Go.
func TestMoneyPeriodsOffTheHourEqualTheObjectsAddedUp(t *testing.T) {
	db, connID := syncedScale(t, 3, 10000)
	r := New(db.Reader(), nil)
	now := time.Now()
	checked := 0
	for _, name := range []string{"Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Australia/Eucla", "UTC"} {
		loc := zone(t, name)
		for _, k := range []PeriodKind{PeriodToday, PeriodLast7Days, PeriodLast90Days, PeriodLastMonth, PeriodThisYear} {
			p, err := PresetPeriod(k, now, loc)
			if err != nil {
				t.Fatal(err)
			}
			m, err := r.MoneyReport(context.Background(), []string{connID}, p)
			if err != nil {
				t.Fatal(err)
			}
			cur, prev := computeIndependently(t, db, connID, p), computeIndependently(t, db, connID, p.Previous())
			what := func(s string) string { return fmt.Sprintf("%s in %s: %s", k, name, s) }
			for _, c := range m.Currencies {
				wantAmount(t, what(c.Currency+" gross"), c.Gross, cur.gross[c.Currency], prev.gross[c.Currency])
				wantAmount(t, what(c.Currency+" refunds"), c.Refunds, cur.refunds[c.Currency], prev.refunds[c.Currency])
				wantAmount(t, what(c.Currency+" lost"), c.DisputesLost, cur.lost[c.Currency], prev.lost[c.Currency])
				wantAmount(t, what(c.Currency+" payments"), c.Payments, cur.payments[c.Currency], prev.payments[c.Currency])
			}
			if len(m.Currencies) < len(cur.gross) {
				t.Errorf("%s: %d currencies, want at least %d", what(""), len(m.Currencies), len(cur.gross))
			}
			for _, s := range m.Settlement {
				c := s.Currency
				wantAmount(t, what(c+" settled gross"), s.Gross, cur.sGross[c], prev.sGross[c])
				wantAmount(t, what(c+" fees"), s.Fees, cur.sFees[c], prev.sFees[c])
				wantAmount(t, what(c+" dispute fees"), s.DisputeFees, cur.sDFees[c], prev.sDFees[c])
				net := func(x independent) int64 { return x.sGross[c] - x.sRefunds[c] - x.sDisputes[c] - x.sFees[c] }
				wantAmount(t, what(c+" net"), s.Net, net(cur), net(prev))
			}
			wantAmount(t, what("payments"), m.Payments, cur.allPayments, prev.allPayments)
			wantAmount(t, what("new customers"), m.NewCustomers, cur.customers, prev.customers)
			wantAmount(t, what("disputes"), m.Disputes.Disputes, cur.disputes, prev.disputes)
			wantAmount(t, what("card payments"), m.Disputes.CardPayments, cur.card, prev.card)
			if cur.allPayments > 0 {
				checked++
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d periods had payments: the account does not exercise the edges", checked)
	}
}

func TestSpansCoverThePeriodOnce(t *testing.T) {
	for _, c := range []struct {
		from, to int64
		want     []span
	}{
		{7200, 18000, []span{{7200, 18000, true}}},
		{5400, 18000, []span{{5400, 7200, false}, {7200, 18000, true}}},
		{7200, 17100, []span{{7200, 14400, true}, {14400, 17100, false}}},
		{5400, 17100, []span{{5400, 7200, false}, {7200, 14400, true}, {14400, 17100, false}}},
		{5400, 6000, []span{{5400, 6000, false}}},
		{5400, 9000, []span{{5400, 9000, false}}}, // no whole hour inside
	} {
		if got := spans(c.from, c.to); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("spans(%d, %d) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
