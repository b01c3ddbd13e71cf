package reports

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/store"
)

// stored is what the independent computation reads of each object: its
// stored data JSON, never the typed columns.
type stored struct {
	Created       int64  `json:"created"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Status        string `json:"status"`
	Category      string `json:"reporting_category"`
	Type          string `json:"type"`
	PaymentMethod struct {
		Type string `json:"type"`
	} `json:"payment_method_details"`
	FeeDetails []struct {
		Amount int64 `json:"amount"`
	} `json:"fee_details"`
}

// independent adds up one period's figures from the data JSON of every
// live object, in plain Go, for comparison with what the SQL computed.
type independent struct {
	gross, refunds, lost, payments             map[string]int64
	sGross, sRefunds, sDisputes, sDFees, sFees map[string]int64
	allPayments, card, disputes, customers     int64
}

func computeIndependently(t *testing.T, db *store.DB, connID string, p Period) independent {
	t.Helper()
	in := independent{gross: map[string]int64{}, refunds: map[string]int64{}, lost: map[string]int64{}, payments: map[string]int64{},
		sGross: map[string]int64{}, sRefunds: map[string]int64{}, sDisputes: map[string]int64{}, sDFees: map[string]int64{}, sFees: map[string]int64{}}
	each := func(table string, f func(o stored)) {
		rows, err := db.Reader().Query(`SELECT data FROM `+table+` WHERE connection_id = ? AND is_deleted = 0`, connID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			var o stored
			if err := rows.Scan(&data); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(data), &o); err != nil {
				t.Fatal(err)
			}
			if p.Contains(time.Unix(o.Created, 0)) {
				f(o)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each("stripe_charges", func(o stored) {
		if o.Status == "succeeded" {
			in.gross[o.Currency] += o.Amount
			in.payments[o.Currency]++
			in.allPayments++
			if o.PaymentMethod.Type == "card" {
				in.card++
			}
		}
	})
	each("stripe_refunds", func(o stored) {
		if o.Status == "succeeded" {
			in.refunds[o.Currency] += o.Amount
		}
	})
	each("stripe_disputes", func(o stored) {
		if !strings.HasPrefix(o.Status, "warning") {
			in.disputes++
			if o.Status == "lost" {
				in.lost[o.Currency] += o.Amount
			}
		}
	})
	each("stripe_customers", func(stored) { in.customers++ })
	each("stripe_balance_transactions", func(o stored) {
		var fee int64 // from fee_details, not the fee field
		for _, d := range o.FeeDetails {
			fee += d.Amount
		}
		category := o.Category
		if category == "" {
			category = o.Type
		}
		switch category {
		case "charge":
			in.sGross[o.Currency] += o.Amount
			in.sFees[o.Currency] += fee
		case "refund", "refund_failure":
			in.sRefunds[o.Currency] -= o.Amount
			in.sFees[o.Currency] += fee
		case "dispute", "dispute_reversal":
			in.sDisputes[o.Currency] -= o.Amount
			in.sDFees[o.Currency] += fee
			in.sFees[o.Currency] += fee
		case "fee":
			in.sFees[o.Currency] += fee - o.Amount
		}
	})
	return in
}

func TestMoneyEqualsTheStoredObjectsAddedUpIndependently(t *testing.T) {
	sthlm := zone(t, "Europe/Stockholm")
	for _, seed := range []int64{1, 2} {
		db, connID := syncedScale(t, seed, 10000)
		r := New(db.Reader(), nil)
		now := time.Now()
		allTime, err := CustomPeriod(time.Date(2015, 1, 1, 0, 0, 0, 0, sthlm), time.Date(now.Year()+1, 1, 1, 0, 0, 0, 0, sthlm))
		if err != nil {
			t.Fatal(err)
		}
		periods := []Period{allTime}
		for _, k := range []PeriodKind{PeriodLast30Days, PeriodThisMonth, PeriodLastMonth, PeriodThisYear} {
			p, err := PresetPeriod(k, now, sthlm)
			if err != nil {
				t.Fatal(err)
			}
			periods = append(periods, p)
		}
		for _, p := range periods {
			m, err := r.MoneyReport(context.Background(), []string{connID}, p)
			if err != nil {
				t.Fatal(err)
			}
			cur, prev := computeIndependently(t, db, connID, p), computeIndependently(t, db, connID, p.Previous())
			name := func(what string) string { return string(p.Kind) + " of seed " + string(rune('0'+seed)) + ": " + what }
			if p.Kind == PeriodCustom {
				// The whole account: the data must exercise every figure.
				if len(cur.gross) < 2 || len(cur.refunds) == 0 || len(cur.lost) == 0 || cur.disputes == 0 || cur.customers == 0 ||
					len(cur.sFees) == 0 || len(cur.sDFees) == 0 {
					t.Errorf("seed %d: the sandbox account lacks some figure: %+v", seed, cur)
				}
			}
			seen := map[string]bool{}
			for _, c := range m.Currencies {
				seen[c.Currency] = true
				wantAmount(t, name(c.Currency+" gross"), c.Gross, cur.gross[c.Currency], prev.gross[c.Currency])
				wantAmount(t, name(c.Currency+" refunds"), c.Refunds, cur.refunds[c.Currency], prev.refunds[c.Currency])
				wantAmount(t, name(c.Currency+" lost"), c.DisputesLost, cur.lost[c.Currency], prev.lost[c.Currency])
				wantAmount(t, name(c.Currency+" payments"), c.Payments, cur.payments[c.Currency], prev.payments[c.Currency])
				wantRate(t, name(c.Currency+" refund rate"), c.RefundRate, div(cur.refunds[c.Currency], cur.gross[c.Currency]),
					div(prev.refunds[c.Currency], prev.gross[c.Currency]))
				if n := cur.payments[c.Currency]; n > 0 {
					got, want := float64(c.AveragePayment.Value), float64(cur.gross[c.Currency])/float64(n)
					if got-want > 0.5 || want-got > 0.5 {
						t.Errorf("%s: average %v, want %v", name(c.Currency), got, want)
					}
				}
			}
			for _, money := range []map[string]int64{cur.gross, prev.gross, cur.refunds, prev.refunds, cur.lost, prev.lost} {
				for c := range money {
					if !seen[c] {
						t.Errorf("%s: currency %s missing", name(""), c)
					}
				}
			}
			for _, s := range m.Settlement {
				c := s.Currency
				wantAmount(t, name(c+" settled gross"), s.Gross, cur.sGross[c], prev.sGross[c])
				wantAmount(t, name(c+" settled refunds"), s.Refunds, cur.sRefunds[c], prev.sRefunds[c])
				wantAmount(t, name(c+" settled disputes"), s.Disputes, cur.sDisputes[c], prev.sDisputes[c])
				wantAmount(t, name(c+" dispute fees"), s.DisputeFees, cur.sDFees[c], prev.sDFees[c])
				wantAmount(t, name(c+" fees"), s.Fees, cur.sFees[c], prev.sFees[c])
				net := func(x independent) int64 { return x.sGross[c] - x.sRefunds[c] - x.sDisputes[c] - x.sFees[c] }
				wantAmount(t, name(c+" net"), s.Net, net(cur), net(prev))
				wantRate(t, name(c+" fee rate"), s.EffectiveFeeRate, div(cur.sFees[c], cur.sGross[c]), div(prev.sFees[c], prev.sGross[c]))
			}
			if len(m.Settlement) == 0 && len(cur.sGross)+len(prev.sGross) > 0 {
				t.Errorf("%s: no settlement figures", name(""))
			}
			wantAmount(t, name("payments"), m.Payments, cur.allPayments, prev.allPayments)
			wantAmount(t, name("new customers"), m.NewCustomers, cur.customers, prev.customers)
			wantAmount(t, name("disputes"), m.Disputes.Disputes, cur.disputes, prev.disputes)
			wantAmount(t, name("card payments"), m.Disputes.CardPayments, cur.card, prev.card)
			wantRate(t, name("dispute rate"), m.Disputes.Rate, div(cur.disputes, cur.card), div(prev.disputes, prev.card))
		}
	}
}

func div(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	v := float64(a) / float64(b)
	return &v
}
