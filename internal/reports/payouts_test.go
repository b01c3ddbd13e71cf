package reports

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

func payoutObj(id string, amount int64, status, created, arrival string, destination any) obj {
	return obj{"id": id, "amount": amount, "currency": "usd", "status": status, "automatic": true,
		"method": "standard", "type": "bank_account", "created": at(created), "arrival_date": at(arrival),
		"destination": destination}
}

func link(bt obj, source string) warehouse.PayoutLink {
	return warehouse.PayoutLink{BalanceTransaction: bt["id"].(string), Type: bt["type"].(string),
		Amount: bt["amount"].(int64), Fee: bt["fee"].(int64), Net: bt["net"].(int64), Currency: "usd", Source: source}
}

// BuildPayoutsAccount writes the account the hand-written payout answers
// are for, November 2026 (UTC): connection A with po_1, whose links add up
// to it; po_2, one of whose two transactions is missing from its links, so
// it doesn't reconcile; po_3, failed, whose links are not synced; payouts
// arriving just outside November, and a deleted one. Connection B has one
// payout in November.
func buildPayoutsAccount(t *testing.T) (h *handBuilt, a, b string) {
	h = newHandBuilt(t)
	a, b = h.connection(t, "A"), h.connection(t, "B")
	ch1 := chargeObj("ch_1", "usd", 10000, "succeeded", "card", "2026-11-03T10:00:00Z")
	ch1["customer"], ch1["description"] = "cus_1", "Order 1"
	ch2 := chargeObj("ch_2", "usd", 5000, "succeeded", "card", "2026-11-04T10:00:00Z")
	ch2["customer"], ch2["description"] = "cus_2", "Order 2"
	h.put(t, a, "charges", ch1, ch2, chargeObj("ch_3", "usd", 2000, "succeeded", "card", "2026-11-14T10:00:00Z"),
		chargeObj("ch_4", "usd", 1120, "succeeded", "card", "2026-11-15T10:00:00Z"))
	h.put(t, a, "refunds", obj{"id": "re_1", "amount": 2000, "currency": "usd", "status": "succeeded",
		"charge": "ch_1", "created": at("2026-11-05T10:00:00Z")})
	txn1 := txn("txn_1", "usd", "charge", 10000, 320, "2026-11-03T10:00:00Z", 320)
	txn2 := txn("txn_2", "usd", "charge", 5000, 175, "2026-11-04T10:00:00Z", 175)
	txnR1 := txn("txn_r1", "usd", "refund", -2000, 0, "2026-11-05T10:00:00Z")
	txn3 := txn("txn_3", "usd", "charge", 2000, 88, "2026-11-14T10:00:00Z", 88)
	txn4 := txn("txn_4", "usd", "charge", 1120, 32, "2026-11-15T10:00:00Z", 32)
	txn1["source"], txn2["source"], txnR1["source"], txn3["source"], txn4["source"] = "ch_1", "ch_2", "re_1", "ch_3", "ch_4"
	h.put(t, a, "balance_transactions", txn1, txn2, txnR1, txn3, txn4)
	deleted := payoutObj("po_9", 100, "paid", "2026-11-10T00:00:00Z", "2026-11-12T00:00:00Z", "ba_1")
	deleted["_deleted"] = true
	h.put(t, a, "payouts",
		payoutObj("po_0", 4000, "paid", "2026-10-27T00:00:00Z", "2026-10-31T00:00:00Z", "ba_1"), // October
		payoutObj("po_1", 12505, "paid", "2026-11-08T00:00:00Z", "2026-11-10T00:00:00Z",
			obj{"id": "ba_1", "object": "bank_account", "last4": "6789"}),
		payoutObj("po_2", 3000, "paid", "2026-11-18T00:00:00Z", "2026-11-20T00:00:00Z", "ba_1"),
		payoutObj("po_3", 1500, "failed", "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z",
			obj{"id": "card_1", "object": "card", "last4": "4242"}), // a card: no bank last4
		payoutObj("po_4", 900, "in_transit", "2026-11-29T00:00:00Z", "2026-12-01T00:00:00Z", "ba_1"), // December's first second
		deleted,
	)
	ctx := context.Background()
	if err := h.wh.ApplyPayoutLinks(ctx, a, "po_1", []warehouse.PayoutLink{link(txnR1, "re_1"), link(txn1, "ch_1"), link(txn2, "ch_2")}); err != nil {
		t.Fatal(err)
	}
	if err := h.wh.ApplyPayoutLinks(ctx, a, "po_2", []warehouse.PayoutLink{link(txn3, "ch_3")}); err != nil { // txn_4 missing
		t.Fatal(err)
	}
	h.put(t, b, "payouts", payoutObj("po_b1", 700, "paid", "2026-11-14T00:00:00Z", "2026-11-16T00:00:00Z", "ba_2"))
	return h, a, b
}

func november(t *testing.T) Period {
	p, err := CustomPeriod(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func day26(d string) time.Time { return time.Unix(at(d+"T00:00:00Z"), 0).UTC() }

func TestPayoutsHandBuilt(t *testing.T) {
	h, a, b := buildPayoutsAccount(t)
	r := New(h.db.Reader(), time.Now)
	got, err := r.Payouts(context.Background(), []string{a, b}, november(t))
	if err != nil {
		t.Fatal(err)
	}
	po := func(conn, id string, arrival string, amount int64, status, last4 string, synced bool, links, net int64, ok bool) PayoutRow {
		return PayoutRow{ConnectionID: conn, ID: id, ArrivalDate: day26(arrival), Amount: amount, Currency: "usd",
			Status: status, Automatic: true, Method: "standard", Type: "bank_account", BankLast4: last4,
			LinksSynced: synced, Links: links, LinkedNet: net, Reconciled: ok}
	}
	want := []PayoutRow{
		po(a, "po_3", "2026-11-25", 1500, "failed", "", false, 0, 0, false),
		po(a, "po_2", "2026-11-20", 3000, "paid", "", true, 1, 1912, false), // 1912 of 3000: txn_4's 1088 missing
		po(b, "po_b1", "2026-11-16", 700, "paid", "", false, 0, 0, false),
		po(a, "po_1", "2026-11-10", 12505, "paid", "6789", true, 3, 12505, true), // 9680 + 4825 − 2000
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Payouts:\n got %+v\nwant %+v", got, want)
	}

	d, err := r.Payout(context.Background(), a, "po_1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Payout != want[3] {
		t.Errorf("Payout po_1: %+v, want %+v", d.Payout, want[3])
	}
	tx := func(id, typ string, gross, fee, net int64, created, source, cus, desc string) PayoutTransaction {
		return PayoutTransaction{ID: id, Type: typ, ReportingCategory: typ, Gross: gross, Fee: fee, Net: net,
			Currency: "usd", Created: time.Unix(at(created), 0).UTC(), Source: source, Customer: cus, Description: desc}
	}
	wantTx := []PayoutTransaction{
		tx("txn_1", "charge", 10000, 320, 9680, "2026-11-03T10:00:00Z", "ch_1", "cus_1", "Order 1"),
		tx("txn_2", "charge", 5000, 175, 4825, "2026-11-04T10:00:00Z", "ch_2", "cus_2", "Order 2"),
		tx("txn_r1", "refund", -2000, 0, -2000, "2026-11-05T10:00:00Z", "re_1", "cus_1", "Order 1"), // the refund's charge's
	}
	if !reflect.DeepEqual(d.Transactions, wantTx) {
		t.Errorf("Payout po_1's transactions:\n got %+v\nwant %+v", d.Transactions, wantTx)
	}
	d, err = r.Payout(context.Background(), a, "po_3")
	if err != nil || len(d.Transactions) != 0 || d.Payout.LinksSynced {
		t.Errorf("Payout po_3: %+v, %v", d, err)
	}
	for _, c := range []struct{ conn, id string }{{a, "po_nope"}, {a, "po_9"}, {b, "po_1"}} {
		_, err = r.Payout(context.Background(), c.conn, c.id)
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindNotFound || de.Facts[domain.FactValue] != c.id ||
			de.Facts[domain.FactWhat] != "payout" || !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Payout %s: %v, want KindNotFound with the id", c.id, err)
		}
	}
}

// TestPayoutQueriesUseIndexes checks with EXPLAIN QUERY PLAN that the
// payouts list reads stripe_payouts over its created index, and that no
// query scans a table whole.
func TestPayoutQueriesUseIndexes(t *testing.T) {
	h := newHandBuilt(t)
	for name, c := range map[string]struct {
		q    string
		args []any
		want string
	}{
		"payouts": {qPayouts, []any{"conn_a", 1, 0, 1}, "INDEX stripe_payouts_by_created (connection_id=? AND created<?)"},
		"payout":  {qPayoutByID, []any{"conn_a", "po_1"}, "SEARCH p USING INDEX sqlite_autoindex_stripe_payouts_1 (connection_id=? AND id=?)"},
		"links":   {qPayoutLinks, []any{"conn_a", "po_1"}, "SEARCH l USING PRIMARY KEY (marker=?)"},
	} {
		rows, err := h.db.Reader().Query("EXPLAIN QUERY PLAN "+c.q, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan strings.Builder
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&plan, detail)
		}
		rows.Close()
		p := plan.String()
		if !strings.Contains(p, c.want) || strings.Contains(p, "SCAN ") {
			t.Errorf("%s:\n%s", name, p)
		}
	}
}
