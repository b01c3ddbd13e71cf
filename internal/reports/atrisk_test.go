package reports

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func chargeJSON(id, status, customer, invoice, currency string, amount, created int64) string {
	opt := ""
	if customer != "" {
		opt += fmt.Sprintf(`,"customer":%q`, customer)
	}
	if invoice != "" {
		opt += fmt.Sprintf(`,"invoice":%q`, invoice)
	}
	return fmt.Sprintf(`{"id":%q,"object":"charge","status":%q,"currency":%q,"amount":%d,"created":%d%s}`,
		id, status, currency, amount, created, opt)
}

func openInvoice(id, status, currency string, remaining, due int64) string {
	d := ""
	if due != 0 {
		d = fmt.Sprintf(`,"due_date":%d`, due)
	}
	return fmt.Sprintf(`{"id":%q,"object":"invoice","customer":"cus_o","currency":%q,"status":%q,"created":%d,"amount_remaining":%d%s}`,
		id, currency, status, day2026(1, 1), remaining, d)
}

func dispute(id, status, currency string, amount, due int64) string {
	d := ""
	if due != 0 {
		d = fmt.Sprintf(`,"evidence_details":{"due_by":%d}`, due)
	}
	return fmt.Sprintf(`{"id":%q,"object":"dispute","charge":"ch_%s","status":%q,"currency":%q,"amount":%d,"created":%d,"reason":"fraudulent"%s}`,
		id, id, status, currency, amount, day2026(11, 1), d)
}

func TestAtRiskOnAHandBuiltAccount(t *testing.T) {
	a := newAccount(t)
	addSubscriptions(a) // sub_e is past_due with 1000 EUR of MRR
	now := handNow.Unix()
	const dayS = 86400
	a.add("charges", false,
		chargeJSON("ch_f1", "failed", "cus_p1", "", "usd", 1000, day2026(12, 1)),      // recovered: cus_p1 paid a day later
		chargeJSON("ch_s1", "succeeded", "cus_p1", "", "usd", 1000, day2026(12, 2)),   //
		chargeJSON("ch_s0", "succeeded", "cus_p2", "", "usd", 2000, day2026(11, 20)),  // before ch_f2: recovers nothing
		chargeJSON("ch_f2", "failed", "cus_p2", "in_p2", "usd", 2000, day2026(12, 3)), // at risk
		chargeJSON("ch_f3", "failed", "", "in_p3", "eur", 3000, day2026(12, 5)),       // recovered through its invoice
		chargeJSON("ch_s3", "succeeded", "", "in_p3", "eur", 3000, day2026(12, 6)),    //
		chargeJSON("ch_f4", "failed", "cus_p4", "", "gbp", 400, day2026(10, 1)),       // before the period
		chargeJSON("ch_f5", "failed", "cus_p5", "", "usd", 500, day2026(12, 10)),      // at risk
		chargeJSON("ch_p5", "pending", "cus_p5", "", "usd", 500, day2026(12, 11)),     // pending recovers nothing
	)
	a.add("charges", true, chargeJSON("ch_f6", "failed", "cus_p6", "", "usd", 9999, day2026(12, 9)))
	a.add("invoices", false,
		openInvoice("in_o1", "open", "usd", 100, now-3600),      // 1 day → 1-30
		openInvoice("in_o2", "open", "usd", 200, now-30*dayS),   // 30 days → 1-30
		openInvoice("in_o3", "open", "usd", 300, now-30*dayS-1), // 31 days → 31-60
		openInvoice("in_o4", "open", "eur", 400, now-75*dayS),   // 61-90
		openInvoice("in_o5", "open", "usd", 500, now-200*dayS),  // over 90
		openInvoice("in_o6", "open", "usd", 600, now+dayS),      // not due yet
		openInvoice("in_o7", "paid", "usd", 0, now-10*dayS),     // paid
		openInvoice("in_o8", "open", "usd", 800, 0),             // no due date
	)
	a.add("disputes", false,
		dispute("dp_1", "needs_response", "usd", 1500, day2026(12, 20)),
		dispute("dp_2", "under_review", "eur", 700, day2026(12, 1)),
		dispute("dp_3", "won", "usd", 999, day2026(12, 2)),
		dispute("dp_4", "lost", "usd", 998, day2026(12, 2)),
		dispute("dp_5", "warning_needs_response", "usd", 100, 0),
	)
	from := handNow.AddDate(0, 0, -30)
	got, err := a.reports().AtRisk(context.Background(), a.connID, from, handNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("failed payments nobody recovered, in the period", func(t *testing.T) {
		var ids []string
		for _, f := range got.Failed {
			ids = append(ids, f.ID)
		}
		if strings.Join(ids, " ") != "ch_f5 ch_f2" {
			t.Errorf("failed %v", ids)
		}
		wantMoney(t, "failed total", got.FailedTotal, Money{"usd": 2500})
	})
	t.Run("past_due subscriptions and their MRR", func(t *testing.T) {
		if len(got.PastDue) != 1 || got.PastDue[0].ID != "sub_e" || got.PastDue[0].MRR != 1000 {
			t.Errorf("past due %+v", got.PastDue)
		}
		wantMoney(t, "past_due MRR", got.PastDueMRR, Money{"eur": 1000})
	})
	t.Run("overdue invoices in age buckets", func(t *testing.T) {
		var ids []string
		for _, o := range got.Overdue {
			ids = append(ids, fmt.Sprintf("%s:%d:%s", o.ID, o.DaysOverdue, o.Bucket))
		}
		if strings.Join(ids, " ") != "in_o5:200:over_90 in_o4:75:61-90 in_o3:31:31-60 in_o2:30:1-30 in_o1:1:1-30" {
			t.Errorf("overdue %v", ids)
		}
		wantMoney(t, "1-30", got.OverdueByBucket["1-30"], Money{"usd": 300})
		wantMoney(t, "31-60", got.OverdueByBucket["31-60"], Money{"usd": 300})
		wantMoney(t, "61-90", got.OverdueByBucket["61-90"], Money{"eur": 400})
		wantMoney(t, "over_90", got.OverdueByBucket["over_90"], Money{"usd": 500})
		wantMoney(t, "overdue", got.OverdueTotal, Money{"usd": 1100, "eur": 400})
	})
	t.Run("open disputes, earliest evidence deadline first", func(t *testing.T) {
		var ids []string
		for _, d := range got.Disputes {
			ids = append(ids, d.ID)
		}
		if strings.Join(ids, " ") != "dp_2 dp_1 dp_5" || !got.Disputes[0].EvidenceDueBy.Equal(time.Unix(day2026(12, 1), 0)) || !got.Disputes[2].EvidenceDueBy.IsZero() {
			t.Errorf("disputes %+v", got.Disputes)
		}
		wantMoney(t, "disputed", got.DisputedTotal, Money{"usd": 1600, "eur": 700})
	})
}
