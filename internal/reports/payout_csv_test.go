package reports

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// The hand-built payout po_1 (payouts_test.go) as CSV, written out by hand:
// its three transactions by created, the refund's charge's customer and
// description on the refund's row.
func TestWritePayoutCSV(t *testing.T) {
	h, a, _ := buildPayoutsAccount(t)
	d, err := New(h.db.Reader(), time.Now).Payout(context.Background(), a, "po_1")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePayoutCSV(&buf, d, false); err != nil {
		t.Fatal(err)
	}
	want := "payout,balance_transaction,created,type,reporting_category,currency,gross,fee,net,source,customer,description\n" +
		"po_1,txn_1,2026-11-03T10:00:00Z,charge,charge,usd,10000,320,9680,ch_1,cus_1,Order 1\n" +
		"po_1,txn_2,2026-11-04T10:00:00Z,charge,charge,usd,5000,175,4825,ch_2,cus_2,Order 2\n" +
		"po_1,txn_r1,2026-11-05T10:00:00Z,refund,refund,usd,-2000,0,-2000,re_1,cus_1,Order 1\n"
	if buf.String() != want {
		t.Errorf("CSV:\n%s\nwant\n%s", buf.String(), want)
	}
}
