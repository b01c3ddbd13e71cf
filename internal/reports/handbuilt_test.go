package reports

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// The hand-built account: objects written through the warehouse as a sync
// writes them, with answers worked out by hand in the tests.

// handNow is the instant the hand-built tests ask at: 15 December 2026, noon UTC.
var handNow = time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC)

// day2026 is a date in 2026 (or another year through a negative month), midnight UTC.
func day2026(month time.Month, d int) int64 {
	return time.Date(2026, month, d, 0, 0, 0, 0, time.UTC).Unix()
}

// account is a fresh database with one connection and a way to add objects.
type account struct {
	t      *testing.T
	db     *store.DB
	wh     *warehouse.Warehouse
	connID string
}

func newAccount(t *testing.T) *account {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: "Hand-built", AccountID: "acct_hand",
		AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: handNow}
	if err := db.CreateConnection(ctx, conn, nil); err != nil {
		t.Fatal(err)
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	return &account{t: t, db: db, wh: wh, connID: conn.ID}
}

// add writes objects (JSON) of one type; deleted marks them deleted in Stripe.
func (a *account) add(typeName string, deleted bool, objects ...string) {
	a.t.Helper()
	ty, ok := warehouse.TypeByName(typeName)
	if !ok {
		a.t.Fatalf("no type %s", typeName)
	}
	var rows []warehouse.Row
	for _, o := range objects {
		row, err := warehouse.Prepare(ty, []byte(o), 1, deleted)
		if err != nil {
			a.t.Fatalf("%v in %s", err, o)
		}
		rows = append(rows, row)
	}
	if err := a.wh.Apply(context.Background(), a.connID, ty, rows, nil); err != nil {
		a.t.Fatal(err)
	}
}

func (a *account) reports() *Reports {
	return New(a.db.Reader(), func() time.Time { return handNow })
}

// item is a subscription item JSON with its price embedded.
func item(id string, unit int64, currency, interval string, count, qty int64, usage string) string {
	return fmt.Sprintf(`{"id":%q,"object":"subscription_item","created":1,"quantity":%d,
		"price":{"id":"price_%s","object":"price","currency":%q,"unit_amount":%d,"type":"recurring",
		"recurring":{"interval":%q,"interval_count":%d,"usage_type":%q}}}`, id, qty, id, currency, unit, interval, count, usage)
}

// sub is a subscription JSON; extra holds more fields (discounts, trial).
func sub(id, customer, status, currency, extra string, items ...string) string {
	if extra != "" {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"id":%q,"object":"subscription","created":%d,"customer":%q,"status":%q,"currency":%q,
		"items":{"object":"list","data":[%s],"has_more":false}%s}`, id, day2026(1, 1), customer, status, currency, strings.Join(items, ","), extra)
}

const (
	foreverPercent25 = `"discount":{"id":"di_b","object":"discount","coupon":{"id":"co_25","object":"coupon","duration":"forever","percent_off":25}}`
	oncePercent50    = `"discounts":[{"id":"di_c","object":"discount","coupon":{"id":"co_50","object":"coupon","duration":"once","percent_off":50}}]`
	foreverEUR500    = `"discounts":[{"id":"di_e","object":"discount","coupon":{"id":"co_500","object":"coupon","duration":"forever","amount_off":500,"currency":"eur"}}]`
	foreverUSD100    = `"discounts":[{"id":"di_h","object":"discount","coupon":{"id":"co_100","object":"coupon","duration":"forever","amount_off":100,"currency":"usd"}}]`
)

// addSubscriptions writes subscriptions whose MRR now is, by hand:
//
//	usd: sub_a 3 × 1000 monthly = 3000; sub_b 12000 yearly with a forever 25%
//	     coupon = 1000 × 0.75 = 750; sub_g 700 every 2 weeks = 700 × 52/12 / 2
//	     = 1516.67 → 5266.67, rounded 5267. Subscribers cus_a (sub_a, sub_g), cus_b.
//	eur: sub_c 2000 monthly (its metered item and once coupon don't count) = 2000;
//	     sub_e past_due 1500 monthly less a forever 500 EUR coupon = 1000 → 3000.
//	gbp: sub_h 9000 every 3 months = 3000 (its USD coupon doesn't apply).
//	chf: sub_m 2500 monthly, canceled at the end of its period: it counts until then.
//	left out: sub_d trialing, sub_f canceled, sub_i unpaid, sub_j free, sub_k deleted,
//	     sub_l active but still in its trial.
func addSubscriptions(a *account) {
	a.add("subscriptions", false,
		sub("sub_a", "cus_a", "active", "usd", "", item("si_a", 1000, "usd", "month", 1, 3, "licensed")),
		sub("sub_b", "cus_b", "active", "usd", foreverPercent25, item("si_b", 12000, "usd", "year", 1, 1, "licensed")),
		sub("sub_c", "cus_c", "active", "eur", oncePercent50, item("si_c1", 2000, "eur", "month", 1, 1, "licensed"),
			item("si_c2", 5, "eur", "month", 1, 1, "metered")),
		sub("sub_d", "cus_d", "trialing", "usd", fmt.Sprintf(`"trial_end":%d`, day2026(12, 20)), item("si_d", 5000, "usd", "month", 1, 1, "licensed")),
		sub("sub_e", "cus_e", "past_due", "eur", foreverEUR500, item("si_e", 1500, "eur", "month", 1, 1, "licensed")),
		sub("sub_f", "cus_f", "canceled", "usd", "", item("si_f", 9999, "usd", "month", 1, 1, "licensed")),
		sub("sub_g", "cus_a", "active", "usd", "", item("si_g", 700, "usd", "week", 2, 1, "licensed")),
		sub("sub_h", "cus_h", "active", "gbp", foreverUSD100, item("si_h", 9000, "gbp", "month", 3, 1, "licensed")),
		sub("sub_i", "cus_i", "unpaid", "usd", "", item("si_i", 4000, "usd", "month", 1, 1, "licensed")),
		sub("sub_j", "cus_j", "active", "usd", "", item("si_j", 0, "usd", "month", 1, 1, "licensed")),
		sub("sub_m", "cus_m", "active", "chf", `"cancel_at_period_end":true`, item("si_m", 2500, "chf", "month", 1, 1, "licensed")),
		sub("sub_l", "cus_l", "active", "usd", fmt.Sprintf(`"trial_end":%d`, day2026(12, 31)), item("si_l", 800, "usd", "month", 1, 1, "licensed")),
	)
	a.add("subscriptions", true, sub("sub_k", "cus_k", "active", "usd", "", item("si_k", 10000, "usd", "month", 1, 1, "licensed")))
}

func TestMRRNowOnAHandBuiltAccount(t *testing.T) {
	a := newAccount(t)
	addSubscriptions(a)
	got, err := a.reports().MRRNow(context.Background(), a.connID)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("MRR per currency follows Stripe's rules", func(t *testing.T) {
		wantMoney(t, "MRR", got.MRR, Money{"usd": 5267, "eur": 3000, "gbp": 3000, "chf": 2500})
	})
	t.Run("ARR is twelve times MRR", func(t *testing.T) {
		wantMoney(t, "ARR", got.ARR, Money{"usd": 12 * 5267, "eur": 36000, "gbp": 36000, "chf": 30000})
	})
	t.Run("active subscribers are paying customers, counted once", func(t *testing.T) {
		if got.ActiveSubscribers != 6 || got.Subscribers["chf"] != 1 || got.Subscribers["usd"] != 2 || got.Subscribers["eur"] != 2 || got.Subscribers["gbp"] != 1 {
			t.Errorf("subscribers %d %v", got.ActiveSubscribers, got.Subscribers)
		}
	})
	t.Run("ARPU is MRR over subscribers", func(t *testing.T) {
		wantMoney(t, "ARPU", got.ARPU, Money{"usd": 2633, "eur": 1500, "gbp": 3000, "chf": 2500}) // 5266.67 / 2 = 2633.33
	})
	t.Run("each subscription names its id", func(t *testing.T) {
		var ids []string
		for _, s := range got.Subscriptions {
			ids = append(ids, s.ID)
		}
		if strings.Join(ids, " ") != "sub_a sub_h sub_m sub_c sub_g sub_e sub_b" {
			t.Errorf("subscriptions %v", ids)
		}
	})
}

func wantMoney(t *testing.T, what string, got, want Money) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v", what, got, want)
			return
		}
	}
}

// ln is an invoice line JSON billing [start, end); discount is taken off it.
func ln(id, subID, currency string, amount, start, end int64, proration bool, usage string, discount int64) string {
	d := ""
	if discount != 0 {
		d = fmt.Sprintf(`,"discount_amounts":[{"amount":%d,"discount":"di_once"}]`, discount)
	}
	return fmt.Sprintf(`{"id":%q,"object":"line_item","amount":%d,"currency":%q,"subscription":%q,"type":"subscription",
		"period":{"start":%d,"end":%d},"proration":%t,"price":{"id":"price_%s","object":"price","recurring":{"usage_type":%q}}%s}`,
		id, amount, currency, subID, start, end, proration, id, usage, d)
}

// inv is an invoice JSON with its lines embedded.
func inv(id, customer, currency, status string, created int64, lines ...string) string {
	return fmt.Sprintf(`{"id":%q,"object":"invoice","customer":%q,"currency":%q,"status":%q,"created":%d,
		"lines":{"object":"list","data":[%s],"has_more":false}}`, id, customer, currency, status, created, strings.Join(lines, ","))
}

// monthly adds paid invoices of one monthly line each, for the months
// [from, to) of 2026, amount each.
func monthly(a *account, customer, subID, currency string, amount int64, from, to time.Month) {
	for m := from; m < to; m++ {
		id := fmt.Sprintf("%s_%02d", subID, m)
		a.add("invoices", false, inv("in_"+id, customer, currency, "paid", day2026(m, 1),
			ln("il_"+id, subID, currency, amount, day2026(m, 1), day2026(m+1, 1), false, "licensed", 0)))
	}
}

// addHistory writes a year of invoices whose movements are, by hand (USD):
//
//	Feb  m2 new 1000 (12000 a year, 10 Feb 2026 – 10 Feb 2027)
//	Mar  m1 new 1000 (monthly)
//	Apr  m5 new 500 (1000 less a once coupon of 500)
//	May  m5 expansion 500 (the coupon is gone)
//	Jun  m1 expansion 1000: upgraded to 2000 on 16 June; the July invoice's
//	     proration lines for 16 Jun – 1 Jul are −500 (−1000 a month) and +1000
//	     (+2000 a month) → 1000 − 1000 + 2000 = 2000
//	Sep  m1 contraction 1500: downgraded to 500 on 16 September (−1000 and
//	     +250 for 16 Sep – 1 Oct → 2000 − 2000 + 500 = 500)
//
// and (EUR): Jan m3 new 3000; Mar m4 reactivation 2000 (m4 paid in June
// 2025); Apr m3 churn 3000 (canceled at the end of its March period); Jul m3
// reactivation 3000. Left out: a metered line, a void and a draft invoice, a
// trial's zero line.
func addHistory(a *account) {
	monthly(a, "cus_m1", "sub_m1", "usd", 1000, time.March, time.July)
	a.add("invoices", false, inv("in_m1_up", "cus_m1", "usd", "paid", day2026(7, 1),
		ln("il_m1_up_off", "sub_m1", "usd", -500, day2026(6, 16), day2026(7, 1), true, "licensed", 0),
		ln("il_m1_up_on", "sub_m1", "usd", 1000, day2026(6, 16), day2026(7, 1), true, "licensed", 0),
		ln("il_m1_07", "sub_m1", "usd", 2000, day2026(7, 1), day2026(8, 1), false, "licensed", 0)))
	monthly(a, "cus_m1", "sub_m1", "usd", 2000, time.August, time.October)
	a.add("invoices", false, inv("in_m1_down", "cus_m1", "usd", "paid", day2026(10, 1),
		ln("il_m1_down_off", "sub_m1", "usd", -1000, day2026(9, 16), day2026(10, 1), true, "licensed", 0),
		ln("il_m1_down_on", "sub_m1", "usd", 250, day2026(9, 16), day2026(10, 1), true, "licensed", 0),
		ln("il_m1_10", "sub_m1", "usd", 500, day2026(10, 1), day2026(11, 1), false, "licensed", 0)))
	monthly(a, "cus_m1", "sub_m1", "usd", 500, time.November, time.December)
	a.add("invoices", false, inv("in_m1_12", "cus_m1", "usd", "open", day2026(12, 1),
		ln("il_m1_12", "sub_m1", "usd", 500, day2026(12, 1), day2026(13, 1), false, "licensed", 0),
		ln("il_m1_meter", "sub_m1", "usd", 777, day2026(11, 1), day2026(12, 1), false, "metered", 0)))

	a.add("invoices", false, inv("in_m2", "cus_m2", "usd", "paid", day2026(2, 10),
		ln("il_m2", "sub_m2", "usd", 12000, day2026(2, 10), day2026(14, 10), false, "licensed", 0)))

	monthly(a, "cus_m3", "sub_m3", "eur", 3000, time.January, time.April)
	monthly(a, "cus_m3", "sub_m3b", "eur", 3000, time.July, time.December+1)

	a.add("invoices", false, strings.Replace(inv("in_m4_2025", "cus_m4", "eur", "paid", day2026(-6, 1),
		ln("il_m4_2025", "sub_m4", "eur", 2000, day2026(-6, 1), day2026(-5, 1), false, "licensed", 0)),
		`"status"`, `"subscription":"sub_m4","subtotal":2000,"status"`, 1))
	monthly(a, "cus_m4", "sub_m4", "eur", 2000, time.March, time.December+1)

	a.add("invoices", false, inv("in_m5_04", "cus_m5", "usd", "paid", day2026(4, 1),
		ln("il_m5_04", "sub_m5", "usd", 1000, day2026(4, 1), day2026(5, 1), false, "licensed", 500)))
	monthly(a, "cus_m5", "sub_m5", "usd", 1000, time.May, time.December+1)

	a.add("invoices", false,
		inv("in_m6_void", "cus_m6", "usd", "void", day2026(11, 1), ln("il_m6_void", "sub_m6", "usd", 5000, day2026(11, 1), day2026(12, 1), false, "licensed", 0)),
		inv("in_m6_draft", "cus_m6", "usd", "draft", day2026(12, 1), ln("il_m6_draft", "sub_m6", "usd", 5000, day2026(12, 1), day2026(13, 1), false, "licensed", 0)),
		inv("in_m7_trial", "cus_m7", "usd", "paid", day2026(11, 20), ln("il_m7_trial", "sub_m7", "usd", 0, day2026(11, 20), day2026(12, 4), false, "licensed", 0)))
}

func TestMRRByMonthOnAHandBuiltAccount(t *testing.T) {
	a := newAccount(t)
	addHistory(a)
	months, err := a.reports().MRRByMonth(context.Background(), a.connID, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 12 || !months[0].Month.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !months[11].Month.Equal(monthStart(handNow)) {
		t.Fatalf("months from %v to %v", months[0].Month, months[len(months)-1].Month)
	}
	type row struct{ mrr, new, exp, con, churn, react int64 }
	want := map[string][12]row{
		"usd": {{}, {1000, 1000, 0, 0, 0, 0}, {2000, 1000, 0, 0, 0, 0}, {2500, 500, 0, 0, 0, 0}, {3000, 0, 500, 0, 0, 0},
			{4000, 0, 1000, 0, 0, 0}, {4000, 0, 0, 0, 0, 0}, {4000, 0, 0, 0, 0, 0}, {2500, 0, 0, 1500, 0, 0},
			{2500, 0, 0, 0, 0, 0}, {2500, 0, 0, 0, 0, 0}, {2500, 0, 0, 0, 0, 0}},
		"eur": {{3000, 3000, 0, 0, 0, 0}, {3000, 0, 0, 0, 0, 0}, {5000, 0, 0, 0, 0, 2000}, {2000, 0, 0, 0, 3000, 0},
			{2000, 0, 0, 0, 0, 0}, {2000, 0, 0, 0, 0, 0}, {5000, 0, 0, 0, 0, 3000}, {5000, 0, 0, 0, 0, 0},
			{5000, 0, 0, 0, 0, 0}, {5000, 0, 0, 0, 0, 0}, {5000, 0, 0, 0, 0, 0}, {5000, 0, 0, 0, 0, 0}},
	}
	for cur, rows := range want {
		for i, w := range rows {
			m := months[i]
			g := row{m.MRR[cur], m.New[cur], m.Expansion[cur], m.Contraction[cur], m.Churn[cur], m.Reactivation[cur]}
			if g != w {
				t.Errorf("%s %s: got %+v, want %+v", m.Month.Format("2006-01"), cur, g, w)
			}
		}
	}
	t.Run("movements add up to the change in MRR", func(t *testing.T) {
		for i := 1; i < 12; i++ {
			m, p := months[i], months[i-1]
			for cur := range want {
				delta := m.New[cur] + m.Expansion[cur] + m.Reactivation[cur] - m.Contraction[cur] - m.Churn[cur]
				if m.MRR[cur]-p.MRR[cur] != delta {
					t.Errorf("%s %s: MRR moved %d, movements say %d", m.Month.Format("2006-01"), cur, m.MRR[cur]-p.MRR[cur], delta)
				}
			}
		}
	})
	t.Run("churn in April follows Stripe's formulas, and LTV divides by it", func(t *testing.T) {
		c, err := a.reports().ChurnBetween(context.Background(), a.connID, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		// EUR: m3 (3000) and m4 (2000) at the start, m3 gone at the end.
		if c.StartSubscribers["eur"] != 2 || c.ChurnedSubscribers["eur"] != 1 || c.SubscriberRate["eur"] != 0.5 ||
			c.StartMRR["eur"] != 5000 || c.ChurnedMRR["eur"] != 3000 || c.RevenueRate["eur"] != 0.6 {
			t.Errorf("eur churn %+v", c)
		}
		// USD: m1 and m2 at the start, both still there.
		if c.StartSubscribers["usd"] != 2 || c.SubscriberRate["usd"] != 0 || c.RevenueRate["usd"] != 0 {
			t.Errorf("usd churn %+v", c)
		}
		ltv := LTV(Money{"eur": 1500, "usd": 2633}, c)
		wantMoney(t, "LTV (none for usd, whose churn is 0)", ltv, Money{"eur": 3000})
	})
}

func TestMRRNowReadsStoredPricesAndPlans(t *testing.T) {
	a := newAccount(t)
	a.add("prices", false,
		`{"id":"price_t1","object":"price","created":1,"currency":"usd","unit_amount":4000,"type":"recurring","recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"}}`,
		`{"id":"price_t2","object":"price","created":1,"currency":"usd","unit_amount":7,"type":"recurring","recurring":{"interval":"month","interval_count":1,"usage_type":"metered"}}`,
		`{"id":"price_t4","object":"price","created":1,"currency":"usd","billing_scheme":"tiered","type":"recurring","recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"}}`)
	a.add("plans", false, `{"id":"plan_t3","object":"plan","created":1,"currency":"usd","amount":1200,"interval":"year","interval_count":1,"usage_type":"licensed"}`)
	// Items that name their price by id only: the stored price answers.
	a.add("subscriptions", false, sub("sub_t", "cus_t", "active", "usd", "",
		`{"id":"si_t1","object":"subscription_item","created":1,"quantity":2,"price":"price_t1"}`,
		`{"id":"si_t2","object":"subscription_item","created":1,"price":"price_t2"}`,
		`{"id":"si_t3","object":"subscription_item","created":1,"quantity":1,"plan":{"id":"plan_t3","object":"plan"}}`,
		`{"id":"si_t4","object":"subscription_item","created":1,"quantity":1,"price":"price_t4"}`))
	got, err := a.reports().MRRNow(context.Background(), a.connID)
	if err != nil {
		t.Fatal(err)
	}
	// 2 × 4000 + 1200 / 12; the metered price left out; the tiered one unpriced.
	wantMoney(t, "MRR", got.MRR, Money{"usd": 8100})
	if got.UnpricedItems != 1 {
		t.Errorf("%d unpriced items, want 1", got.UnpricedItems)
	}
}
