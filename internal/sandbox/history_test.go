package sandbox

import (
	"testing"
	"time"
)

// The billing history, read from the API as a client would, counted here
// without the reports package: every kind of MRR movement happens in the
// last twelve months, sent invoices are overdue in every age bucket, and
// failed payments are both recovered and not.
func TestBillingHistory(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) // the harness's clock
	shapes := map[string]int{}                          // Stripe shapes seen, all accounts together
	for _, c := range []struct {
		seed  int64
		scale int
	}{{1, 4000}, {2, 4000}, {1, 5000}, {2, 20000}} {
		h := newHarness(t, Options{Seed: c.seed, Scale: c.scale, Accounts: 1})
		key := h.info.Accounts[0].APIKey
		end := now.UTC().Truncate(time.Hour).Unix() - 900 // the data's end (newDataset)
		invoices := h.walk(key, "/v1/invoices", nil, 100)
		charges := h.walk(key, "/v1/charges", nil, 100)

		mv := movements(invoices, monthEnds(now, end))
		for _, m := range []string{"new", "expansion", "contraction", "churn", "reactivation"} {
			if mv[m] == 0 {
				t.Errorf("seed %d, scale %d: no %s in the last twelve months (%v)", c.seed, c.scale, m, mv)
			}
		}

		buckets := map[string]int{}
		sent := map[string]int{}
		for _, inv := range invoices {
			if inv["collection_method"] != "send_invoice" {
				continue
			}
			sent[inv["status"].(string)]++
			if due := num(inv["due_date"]); inv["status"] == "open" && due < end {
				buckets[ageBucket((end-due+day-1)/day)]++
			}
		}
		for _, b := range []string{"1-30", "31-60", "61-90", "over_90"} {
			if buckets[b] == 0 {
				t.Errorf("seed %d, scale %d: no open sent invoice %s days past due (%v)", c.seed, c.scale, b, buckets)
			}
		}
		if sent["paid"] == 0 || sent["void"]+sent["uncollectible"] == 0 {
			t.Errorf("seed %d, scale %d: sent invoices by status %v", c.seed, c.scale, sent)
		}

		// A failed charge of an invoice is recovered when the invoice was
		// paid by a later charge.
		status := map[string]string{}
		for _, inv := range invoices {
			status[idOf(inv)] = inv["status"].(string)
		}
		recovered, lost := 0, 0
		for _, ch := range charges {
			if inv, _ := ch["invoice"].(string); inv != "" && ch["status"] == "failed" {
				if status[inv] == "paid" {
					recovered++
				} else {
					lost++
				}
			}
		}
		if recovered == 0 || lost == 0 {
			t.Errorf("seed %d, scale %d: failed invoice payments: %d recovered, %d not", c.seed, c.scale, recovered, lost)
		}
		t.Logf("seed %d, scale %d: %d invoices; movements %v; overdue %v; sent %v; failed payments %d recovered, %d not",
			c.seed, c.scale, len(invoices), mv, buckets, sent, recovered, lost)
		countShapes(shapes, invoices, h.walk(key, "/v1/subscriptions", map[string][]string{"status": {"all"}}, 100))
	}
	for _, s := range []string{"trial $0 invoice", "unused time", "remaining time", "forever discount", "once discount",
		"cancel_at_period_end", "canceled at once", "canceled at period end", "payment_failed", "past_due", "trialing", "yearly"} {
		if shapes[s] == 0 {
			t.Errorf("no %s in any account (%v)", s, shapes)
		}
	}
	t.Logf("shapes %v", shapes)
}

// countShapes counts the Stripe shapes the history should show.
func countShapes(out map[string]int, invoices, subs []map[string]any) {
	for _, inv := range invoices {
		if inv["billing_reason"] == "subscription_create" && num(inv["total"]) == 0 && inv["status"] == "paid" {
			out["trial $0 invoice"]++
		}
		if dis, ok := inv["discount"].(map[string]any); ok && num(inv["total"]) < num(inv["subtotal"]) {
			out[dis["coupon"].(map[string]any)["duration"].(string)+" discount"]++
		}
		for _, l := range inv["lines"].(map[string]any)["data"].([]any) {
			if line := l.(map[string]any); line["proration"] == true {
				if num(line["amount"]) < 0 {
					out["unused time"]++
				} else {
					out["remaining time"]++
				}
			}
		}
	}
	for _, s := range subs {
		out[s["status"].(string)]++
		if s["cancel_at_period_end"] == true && s["canceled_at"] != nil && s["status"] != "canceled" {
			out["cancel_at_period_end"]++
		}
		if s["status"] == "canceled" {
			switch {
			case s["cancellation_details"].(map[string]any)["reason"] == "payment_failed":
				out["payment_failed"]++
			case num(s["canceled_at"]) == num(s["ended_at"]):
				out["canceled at once"]++
			default:
				out["canceled at period end"]++
			}
		}
		if s["items"].(map[string]any)["data"].([]any)[0].(map[string]any)["price"].(map[string]any)["recurring"].(map[string]any)["interval"] == "year" {
			out["yearly"]++
		}
	}
}

// monthEnds are the last instants of the twelve months before the current
// one and of the one before them, then the data's end.
func monthEnds(now time.Time, end int64) []int64 {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []int64
	for i := 12; i >= 1; i-- {
		out = append(out, first.AddDate(0, -i, 0).Unix()-1)
	}
	return append(out, first.Unix()-1, end)
}

// movements counts, per kind, the customers whose MRR moved between
// consecutive instants. A customer's MRR at an instant is what the
// subscription lines (not prorations) of its paid and open invoices whose
// period holds the instant bill, after discounts, per month of the price's
// interval; a customer who had a subscription line before and comes back
// after having no MRR is a reactivation.
func movements(invoices []map[string]any, at []int64) map[string]int {
	first := map[string]int64{} // when each customer's first subscription line began
	mrr := make([]map[string]int64, len(at))
	for i := range mrr {
		mrr[i] = map[string]int64{}
	}
	for _, inv := range invoices {
		if s := inv["status"]; s != "paid" && s != "open" {
			continue
		}
		for _, l := range inv["lines"].(map[string]any)["data"].([]any) {
			line := l.(map[string]any)
			if line["type"] != "subscription" || num(line["amount"]) == 0 {
				continue
			}
			v := num(line["amount"])
			for _, d := range line["discount_amounts"].([]any) {
				v -= num(d.(map[string]any)["amount"])
			}
			if line["price"].(map[string]any)["recurring"].(map[string]any)["interval"] == "year" {
				v /= 12
			}
			p := line["period"].(map[string]any)
			c := inv["customer"].(string)
			if s, ok := first[c]; !ok || num(p["start"]) < s {
				first[c] = num(p["start"])
			}
			for i, t := range at {
				if num(p["start"]) <= t && t < num(p["end"]) {
					mrr[i][inv["customer"].(string)] += v
				}
			}
		}
	}
	out := map[string]int{}
	for i := 1; i < len(at); i++ {
		for c, v := range mrr[i] {
			switch was := mrr[i-1][c]; {
			case was == 0 && first[c] > at[i-1]:
				out["new"]++
			case was == 0:
				out["reactivation"]++
			case v > was:
				out["expansion"]++
			case v < was:
				out["contraction"]++
			}
		}
		for c := range mrr[i-1] {
			if mrr[i][c] == 0 {
				out["churn"]++
			}
		}
	}
	return out
}

func ageBucket(days int64) string {
	switch {
	case days <= 30:
		return "1-30"
	case days <= 60:
		return "31-60"
	case days <= 90:
		return "61-90"
	}
	return "over_90"
}
