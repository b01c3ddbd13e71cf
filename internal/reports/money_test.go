package reports

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

type obj = map[string]any

// handBuilt is a small account written through warehouse.Prepare and
// Apply, so the tables and columns are the real ones.
type handBuilt struct {
	db *store.DB
	wh *warehouse.Warehouse
}

func newHandBuilt(t *testing.T) *handBuilt {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	return &handBuilt{db: db, wh: wh}
}

func (h *handBuilt) connection(t *testing.T, name string) string {
	t.Helper()
	c := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: name,
		AccountID: "acct_" + name, AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: time.Now()}
	if err := h.db.CreateConnection(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// put writes objects of one type; an object with "_deleted" is written as
// deleted in Stripe.
func (h *handBuilt) put(t *testing.T, connID, typeName string, objs ...obj) {
	t.Helper()
	typ, ok := warehouse.TypeByName(typeName)
	if !ok {
		t.Fatalf("no type %s", typeName)
	}
	var rows []warehouse.Row
	for _, o := range objs {
		_, deleted := o["_deleted"]
		delete(o, "_deleted")
		o["object"] = typ.Object
		raw, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		r, err := warehouse.Prepare(typ, raw, 1, deleted)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if err := h.wh.Apply(context.Background(), connID, typ, rows, nil); err != nil {
		t.Fatal(err)
	}
}

func at(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

func chargeObj(id, cur string, amount int64, status, method, created string) obj {
	return obj{"id": id, "amount": amount, "currency": cur, "status": status, "created": at(created),
		"payment_method_details": obj{"type": method}}
}

func txn(id, cur, category string, amount, fee int64, created string, feeParts ...int64) obj {
	var details []obj
	for _, p := range feeParts {
		details = append(details, obj{"amount": p, "currency": cur, "type": "stripe_fee"})
	}
	typ := category
	if category == "dispute" || category == "dispute_reversal" {
		typ = "adjustment"
	}
	return obj{"id": id, "amount": amount, "fee": fee, "net": amount - fee, "currency": cur, "type": typ,
		"reporting_category": category, "created": at(created), "fee_details": details}
}

// buildAccount writes the account the hand-written answers below are for:
// November 2026 (UTC) against October, connection A in usd and eur,
// settling in usd; connection B in gbp.
func buildAccount(t *testing.T) (*handBuilt, string, string) {
	h := newHandBuilt(t)
	a, b := h.connection(t, "A"), h.connection(t, "B")
	deleted := chargeObj("ch_7", "usd", 99999, "succeeded", "card", "2026-11-05T10:00:00Z")
	deleted["_deleted"] = true
	h.put(t, a, "charges",
		chargeObj("ch_1", "usd", 10000, "succeeded", "card", "2026-11-03T10:00:00Z"),
		chargeObj("ch_2", "usd", 5000, "succeeded", "card", "2026-11-10T10:00:00Z"),
		chargeObj("ch_3", "eur", 4000, "succeeded", "card", "2026-11-15T10:00:00Z"),
		chargeObj("ch_4", "usd", 3000, "failed", "card", "2026-11-18T10:00:00Z"),
		chargeObj("ch_5", "usd", 2500, "succeeded", "sepa_debit", "2026-11-19T10:00:00Z"),
		chargeObj("ch_6", "usd", 7000, "succeeded", "card", "2026-11-20T10:00:00Z"),
		deleted,
		chargeObj("ch_8", "usd", 1000, "succeeded", "card", "2026-12-01T00:00:00Z"), // the next period's first second
		chargeObj("ch_9", "usd", 1000, "succeeded", "card", "2026-11-01T00:00:00Z"), // this period's first second
		chargeObj("ch_10", "usd", 20000, "succeeded", "card", "2026-10-10T10:00:00Z"),
	)
	h.put(t, a, "refunds",
		obj{"id": "re_1", "amount": 2000, "currency": "usd", "status": "succeeded", "charge": "ch_2", "created": at("2026-11-12T10:00:00Z")}, // partial
		obj{"id": "re_2", "amount": 4000, "currency": "eur", "status": "succeeded", "charge": "ch_3", "created": at("2026-11-16T10:00:00Z")}, // full
		obj{"id": "re_3", "amount": 500, "currency": "usd", "status": "failed", "charge": "ch_1", "created": at("2026-11-21T10:00:00Z")},
	)
	h.put(t, a, "disputes",
		obj{"id": "dp_1", "amount": 7000, "currency": "usd", "status": "lost", "charge": "ch_6", "created": at("2026-11-25T10:00:00Z")},
		obj{"id": "dp_2", "amount": 10000, "currency": "usd", "status": "won", "charge": "ch_1", "created": at("2026-11-26T10:00:00Z")},
		obj{"id": "dp_3", "amount": 5000, "currency": "usd", "status": "warning_closed", "charge": "ch_2", "created": at("2026-11-27T10:00:00Z")}, // an inquiry
	)
	h.put(t, a, "balance_transactions",
		txn("txn_1", "usd", "charge", 10000, 320, "2026-11-03T10:00:00Z", 290, 30),
		txn("txn_2", "usd", "charge", 5000, 175, "2026-11-10T10:00:00Z", 175),
		txn("txn_3", "usd", "charge", 4400, 158, "2026-11-15T10:00:00Z", 158), // eur 40.00 settled as usd 44.00
		txn("txn_5", "usd", "charge", 2500, 100, "2026-11-19T10:00:00Z", 100),
		txn("txn_6", "usd", "charge", 7000, 233, "2026-11-20T10:00:00Z", 233),
		txn("txn_9", "usd", "charge", 1000, 59, "2026-11-01T00:00:00Z", 59),
		txn("txn_r1", "usd", "refund", -2000, 0, "2026-11-12T10:00:00Z"),
		txn("txn_r2", "usd", "refund", -4400, 0, "2026-11-16T10:00:00Z"),
		txn("txn_d1", "usd", "dispute", -7000, 1500, "2026-11-25T10:00:00Z", 1500),
		txn("txn_d2", "usd", "dispute", -10000, 1500, "2026-11-26T10:00:00Z", 1500),
		txn("txn_d3", "usd", "dispute_reversal", 10000, -1500, "2026-11-28T10:00:00Z", -1500),
		txn("txn_f1", "usd", "fee", -1000, 0, "2026-11-30T10:00:00Z"),
		txn("txn_p1", "usd", "payout", -20000, 0, "2026-11-29T10:00:00Z"),
		txn("txn_8", "usd", "charge", 1000, 59, "2026-12-01T00:00:00Z", 59),
		txn("txn_10", "usd", "charge", 20000, 610, "2026-10-10T10:00:00Z", 610),
	)
	delCus := obj{"id": "cus_del", "created": at("2026-11-03T10:00:00Z"), "_deleted": true}
	h.put(t, a, "customers",
		obj{"id": "cus_1", "created": at("2026-11-02T10:00:00Z")},
		obj{"id": "cus_2", "created": at("2026-11-09T10:00:00Z")},
		obj{"id": "cus_3", "created": at("2026-10-15T10:00:00Z")},
		delCus,
	)
	h.put(t, b, "charges", chargeObj("ch_b1", "gbp", 3000, "succeeded", "card", "2026-11-05T10:00:00Z"))
	h.put(t, b, "balance_transactions", txn("txn_b1", "gbp", "charge", 3000, 100, "2026-11-05T10:00:00Z", 100))
	return h, a, b
}

func TestMoneyOfAHandBuiltAccountMatchesHandWrittenAnswers(t *testing.T) {
	h, a, b := buildAccount(t)
	r := New(h.db.Reader(), nil)
	nov, err := PresetPeriod(PeriodLastMonth, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.MoneyReport(context.Background(), []string{a}, nov)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Previous.From.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("previous period %v", m.Previous)
	}

	t.Run("per presentment currency", func(t *testing.T) {
		if len(m.Currencies) != 2 || m.Currencies[0].Currency != "eur" || m.Currencies[1].Currency != "usd" {
			t.Fatalf("currencies %+v", m.Currencies)
		}
		eur, usd := m.Currencies[0], m.Currencies[1]
		// usd: ch_1 + ch_2 + ch_5 + ch_6 + ch_9 (not the failed ch_4, the deleted ch_7, ch_8 of December).
		wantAmount(t, "usd gross", usd.Gross, 25500, 20000)
		wantAmount(t, "usd payments", usd.Payments, 5, 1)
		wantAmount(t, "usd average", usd.AveragePayment, 5100, 20000)
		wantAmount(t, "usd refunds (partial; the failed one left out)", usd.Refunds, 2000, 0)
		wantAmount(t, "usd disputes lost", usd.DisputesLost, 7000, 0)
		wantRate(t, "usd refund rate", usd.RefundRate, ptr(2000.0/25500), ptr(0))
		wantAmount(t, "eur gross", eur.Gross, 4000, 0)
		wantAmount(t, "eur refunds (full)", eur.Refunds, 4000, 0)
		wantRate(t, "eur refund rate", eur.RefundRate, ptr(1), nil)
		if eur.Gross.ChangePct != nil {
			t.Error("a change from 0 has no percentage")
		}
	})
	t.Run("in the settlement currency", func(t *testing.T) {
		if len(m.Settlement) != 1 || m.Settlement[0].Currency != "usd" {
			t.Fatalf("settlement %+v", m.Settlement)
		}
		s := m.Settlement[0]
		wantAmount(t, "gross", s.Gross, 29900, 20000)
		wantAmount(t, "refunds", s.Refunds, 6400, 0)
		wantAmount(t, "disputes (lost 70.00; 100.00 withdrawn and reinstated)", s.Disputes, 7000, 0)
		wantAmount(t, "dispute fees (one kept, one returned)", s.DisputeFees, 1500, 0)
		wantAmount(t, "fees", s.Fees, 1045+1500+1000, 610)
		wantAmount(t, "net", s.Net, 12955, 19390)
		wantRate(t, "effective fee rate", s.EffectiveFeeRate, ptr(3545.0/29900), ptr(610.0/20000))
	})
	t.Run("counts over every currency and the dispute rate", func(t *testing.T) {
		wantAmount(t, "payments", m.Payments, 6, 1)
		wantAmount(t, "new customers", m.NewCustomers, 2, 1)
		wantAmount(t, "disputes (the inquiry left out)", m.Disputes.Disputes, 2, 0)
		wantAmount(t, "card payments", m.Disputes.CardPayments, 5, 1)
		wantRate(t, "dispute rate", m.Disputes.Rate, ptr(0.4), ptr(0))
		if m.Disputes.Level != DisputeLevelExcessive {
			t.Errorf("level %s", m.Disputes.Level)
		}
	})
	t.Run("all connections add up", func(t *testing.T) {
		all, err := r.MoneyReport(context.Background(), []string{a, b}, nov)
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Currencies) != 3 || all.Currencies[1].Currency != "gbp" || len(all.Settlement) != 2 {
			t.Fatalf("%+v", all)
		}
		wantAmount(t, "gbp gross", all.Currencies[1].Gross, 3000, 0)
		wantAmount(t, "gbp net", all.Settlement[0].Net, 2900, 0)
		wantAmount(t, "payments", all.Payments, 7, 1)
	})
	t.Run("no connections, no figures", func(t *testing.T) {
		none, err := r.MoneyReport(context.Background(), nil, nov)
		if err != nil || len(none.Currencies) != 0 || none.Disputes.Level != DisputeLevelNone {
			t.Errorf("%+v, %v", none, err)
		}
	})
}

func TestDisputeLevels(t *testing.T) {
	for _, c := range []struct {
		rate *float64
		want DisputeLevel
	}{{nil, DisputeLevelNone}, {ptr(0), DisputeLevelOK}, {ptr(0.0064), DisputeLevelOK}, {ptr(0.0065), DisputeLevelNear},
		{ptr(0.009), DisputeLevelOver}, {ptr(0.0149), DisputeLevelOver}, {ptr(0.015), DisputeLevelExcessive}} {
		if got := LevelOf(c.rate); got != c.want {
			t.Errorf("LevelOf(%v) = %s, want %s", c.rate, got, c.want)
		}
	}
}

func TestAmountsAndRatesCompare(t *testing.T) {
	a := NewAmount(150, 100)
	if a.Change != 50 || *a.ChangePct != 0.5 {
		t.Errorf("%+v", a)
	}
	if l := NewAmount(-50, -100); *l.ChangePct != 0.5 {
		t.Errorf("a loss halved is a rise of 50 %%: %v", *l.ChangePct)
	}
	if average(7, 2) != 4 || average(-7, 2) != -4 || average(5, 3) != 2 || average(0, 0) != 0 {
		t.Error("average rounds half away from zero")
	}
	r := NewRate(1, 4, 1, 2)
	if *r.Value != 0.25 || *r.Change != -0.25 || *r.ChangePct != -0.5 {
		t.Errorf("%+v", r)
	}
}

func ptr(v float64) *float64 { return &v }

func wantAmount(t *testing.T, name string, got Amount, value, previous int64) {
	t.Helper()
	if got.Value != value || got.Previous != previous || got.Change != value-previous {
		t.Errorf("%s: got %d (previous %d, change %d), want %d (previous %d)", name, got.Value, got.Previous, got.Change, value, previous)
	}
}

func wantRate(t *testing.T, name string, got Rate, value, previous *float64) {
	t.Helper()
	same := func(a, b *float64) bool {
		return a == nil && b == nil || a != nil && b != nil && math.Abs(*a-*b) < 1e-12
	}
	if !same(got.Value, value) || !same(got.Previous, previous) {
		t.Errorf("%s: got %v / %v, want %v / %v", name, deref(got.Value), deref(got.Previous), deref(value), deref(previous))
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
