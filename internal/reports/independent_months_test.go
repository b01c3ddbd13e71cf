package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"testing"
	"time"
)

// independentMonthEnds reads the invoices' JSON (their embedded lines, not
// the line table) and returns, per month end, the MRR per currency: the
// monthly value of every paid or open subscription line whose period holds
// the instant, summed per customer, customers above zero kept.
func independentMonthEnds(t *testing.T, db *sql.DB, connID string, instants []int64) []Money {
	type jline struct {
		Amount          float64 `json:"amount"`
		Currency        string  `json:"currency"`
		Subscription    string  `json:"subscription"`
		DiscountAmounts []struct {
			Amount float64 `json:"amount"`
		} `json:"discount_amounts"`
		Period struct{ Start, End int64 }
		Price  struct {
			Recurring struct {
				UsageType string `json:"usage_type"`
			} `json:"recurring"`
		} `json:"price"`
	}
	type jinv struct {
		Customer, Status string
		Lines            struct{ Data []jline } `json:"lines"`
	}
	// months counts calendar months from start one by one, each month's end
	// on the start's day (or the month's last day when it has fewer), as
	// Stripe's billing anchors do.
	months := func(start, end int64) float64 {
		s, e := time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
		y, m, d := s.Date()
		at := func(n int) time.Time {
			last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			return time.Date(y, m+time.Month(n), min(d, last), s.Hour(), s.Minute(), s.Second(), 0, time.UTC)
		}
		n := 0
		for !at(n + 1).After(e) {
			n++
		}
		if at(n).Equal(e) {
			return float64(n)
		}
		return float64(n) + e.Sub(at(n)).Seconds()/at(n+1).Sub(at(n)).Seconds()
	}
	out := make([]map[key]float64, len(instants))
	for i := range out {
		out[i] = map[key]float64{}
	}
	eachJSON(t, db, "stripe_invoices", connID, func(b []byte) {
		var in jinv
		if err := json.Unmarshal(b, &in); err != nil {
			t.Fatal(err)
		}
		if in.Status != "paid" && in.Status != "open" {
			return
		}
		for _, l := range in.Lines.Data {
			if l.Subscription == "" || l.Price.Recurring.UsageType == "metered" || l.Period.End <= l.Period.Start {
				continue
			}
			v := l.Amount
			for _, d := range l.DiscountAmounts {
				v -= d.Amount
			}
			v /= months(l.Period.Start, l.Period.End)
			for i, at := range instants {
				if l.Period.Start <= at && at < l.Period.End {
					out[i][key{in.Customer, l.Currency}] += v
				}
			}
		}
	})
	res := make([]Money, len(instants))
	for i, m := range out {
		sum := map[string]float64{}
		for k, v := range m {
			if v > 1e-9 {
				sum[k.currency] += v
			}
		}
		res[i] = Money{}
		for c, v := range sum {
			res[i][c] = int64(math.Round(v))
		}
	}
	return res
}

func TestMRRByMonthEqualsAnIndependentReadingOfTheInvoicesJSON(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		db, connID := synced(t, seed)
		now := time.Now()
		got, err := New(db.Reader(), func() time.Time { return now }).MRRByMonth(context.Background(), connID, 12)
		if err != nil {
			t.Fatal(err)
		}
		var instants []int64
		for i, m := range got {
			end := m.Month.AddDate(0, 1, 0).Unix() - 1
			if i == len(got)-1 {
				end = now.Unix()
			}
			instants = append(instants, end)
		}
		want := independentMonthEnds(t, db.Reader(), connID, instants)
		nonzero := 0
		for i, m := range got {
			wantMoney(t, "MRR at the end of "+m.Month.Format("2006-01"), m.MRR, want[i])
			nonzero += len(want[i])
			if i == 0 {
				continue
			}
			// The movements explain the change, up to each figure's rounding.
			for cur, v := range m.MRR {
				delta := m.New[cur] + m.Expansion[cur] + m.Reactivation[cur] - m.Contraction[cur] - m.Churn[cur]
				if d := v - got[i-1].MRR[cur] - delta; d < -3 || d > 3 {
					t.Errorf("seed %d, %s %s: MRR moved %d, movements say %d", seed, m.Month.Format("2006-01"), cur, v-got[i-1].MRR[cur], delta)
				}
			}
		}
		if nonzero < 6 {
			t.Errorf("seed %d: MRR in only %d month-currencies: the sandbox account proves little", seed, nonzero)
		}
		t.Logf("seed %d: last month %+v", seed, got[len(got)-1])
	}
}
