package warehouse

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestPayoutLinks(t *testing.T) {
	ctx := context.Background()
	page := [][]byte{
		[]byte(`{"id":"txn_3","object":"balance_transaction","type":"payout","amount":-1850,"fee":0,"net":-1850,"currency":"usd","source":"po_1"}`),
		[]byte(`{"id":"txn_2","type":"charge","amount":2000,"fee":88,"net":1912,"currency":"usd","source":{"id":"ch_1","object":"charge"}}`),
		[]byte(`{"id":"txn_1","type":"stripe_fee","amount":-62,"fee":0,"net":-62,"currency":"usd","source":null}`),
	}

	t.Run("a page leaves out the payout's own transaction and reads expanded sources", func(t *testing.T) {
		links, last, err := ParsePayoutLinks("po_1", page)
		if err != nil {
			t.Fatal(err)
		}
		if last != "txn_1" || len(links) != 2 {
			t.Fatalf("last %q, %d links: %+v", last, len(links), links)
		}
		want := PayoutLink{BalanceTransaction: "txn_2", Type: "charge", Amount: 2000, Fee: 88, Net: 1912, Currency: "usd", Source: "ch_1"}
		if links[0] != want || links[1].Source != "" || links[0].Net+links[1].Net != 1850 {
			t.Fatalf("links %+v", links)
		}
		if _, _, err := ParsePayoutLinks("po_1", [][]byte{[]byte(`{"type":"charge"}`)}); err == nil {
			t.Fatal("a transaction without an id was read")
		}
	})

	t.Run("links and their marker are written together, replaced when written again", func(t *testing.T) {
		e := newEnv(t)
		payouts := mustType(t, "payouts")
		e.apply(t, payouts,
			mustPrepare(t, payouts, obj{"id": "po_1", "object": "payout", "created": 100, "automatic": true, "status": "paid", "amount": 1850}, 1, false),
			mustPrepare(t, payouts, obj{"id": "po_2", "object": "payout", "created": 200, "automatic": true, "status": "in_transit", "amount": 10}, 1, false),
			mustPrepare(t, payouts, obj{"id": "po_3", "object": "payout", "created": 300, "automatic": false, "status": "paid", "amount": 10}, 1, false),
			mustPrepare(t, payouts, obj{"id": "po_4", "object": "payout", "created": 400, "automatic": true, "status": "failed", "amount": 10}, 1, false))
		pending, err := e.w.PayoutsWithoutLinks(ctx, e.connID, 0, 0, 0)
		if err != nil || !slices.Equal(pending, []string{"po_4", "po_1"}) {
			t.Fatalf("pending %v, %v", pending, err)
		}
		if recent, _ := e.w.PayoutsWithoutLinks(ctx, e.connID, 150, 0, 0); !slices.Equal(recent, []string{"po_4"}) {
			t.Fatalf("created from 150: %v", recent)
		}
		if older, _ := e.w.PayoutsWithoutLinks(ctx, e.connID, 0, 400, 1); !slices.Equal(older, []string{"po_1"}) {
			t.Fatalf("created before 400, one: %v", older)
		}
		links, _, _ := ParsePayoutLinks("po_1", page)
		for range 2 {
			if err := e.w.ApplyPayoutLinks(ctx, e.connID, "po_1", links); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := e.w.PayoutLinkCount(ctx, e.connID); err != nil || n != 2 {
			t.Fatalf("%d links stored, %v", n, err)
		}
		if err := e.w.ApplyPayoutLinks(ctx, e.connID, "po_1", links[:1]); err != nil {
			t.Fatal(err)
		}
		if n, _ := e.w.PayoutLinkCount(ctx, e.connID); n != 1 {
			t.Fatalf("%d links after writing one", n)
		}
		pending, _ = e.w.PayoutsWithoutLinks(ctx, e.connID, 0, 0, 0)
		if !slices.Equal(pending, []string{"po_4"}) {
			t.Fatalf("pending %v", pending)
		}
		// A payout with nothing swept is done too.
		if err := e.w.ApplyPayoutLinks(ctx, e.connID, "po_4", nil); err != nil {
			t.Fatal(err)
		}
		if pending, _ = e.w.PayoutsWithoutLinks(ctx, e.connID, 0, 0, 0); len(pending) != 0 {
			t.Fatalf("pending %v", pending)
		}
		if err := e.w.ApplyPayoutLinks(ctx, "conn_nope", "po_1", links); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("unknown connection: %v", err)
		}
	})

	t.Run("a stored transaction is linked by its id only, the view shows the list's values either way", func(t *testing.T) {
		e := newEnv(t)
		links, _, _ := ParsePayoutLinks("po_1", page)
		// txn_2 is stored as the list gives it; txn_1 is not stored.
		bts := mustType(t, "balance_transactions")
		e.apply(t, bts, mustPrepare(t, bts, obj{"id": "txn_2", "object": "balance_transaction", "created": 50, "type": "charge",
			"amount": 2000, "fee": 88, "net": 1912, "currency": "usd", "source": "ch_1", "reporting_category": "charge"}, 1, false))
		if err := e.w.ApplyPayoutLinks(ctx, e.connID, "po_1", links); err != nil {
			t.Fatal(err)
		}
		copied := map[string]bool{}
		rows, err := e.db.Reader().Query(`SELECT balance_transaction, amount IS NOT NULL FROM payout_link_items`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			var c bool
			rows.Scan(&id, &c)
			copied[id] = c
		}
		rows.Close()
		if len(copied) != 2 || copied["txn_2"] || !copied["txn_1"] {
			t.Errorf("copies: %v, want txn_1's only", copied)
		}
		var got []PayoutLink
		rows, err = e.db.Reader().Query(`SELECT balance_transaction, type, amount, fee, net, currency, coalesce(source, '')
			FROM stripe_payout_links WHERE connection_id = ? AND payout = 'po_1' ORDER BY balance_transaction DESC`, e.connID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l PayoutLink
			if err := rows.Scan(&l.BalanceTransaction, &l.Type, &l.Amount, &l.Fee, &l.Net, &l.Currency, &l.Source); err != nil {
				t.Fatal(err)
			}
			got = append(got, l)
		}
		rows.Close()
		if !slices.Equal(got, links) {
			t.Errorf("the view shows\n%+v\nwant\n%+v", got, links)
		}
		var n, net int64
		if err := e.db.Reader().QueryRow(`SELECT links, net FROM sync_payout_links WHERE payout = 'po_1'`).Scan(&n, &net); err != nil ||
			n != 2 || net != 1850 {
			t.Errorf("marker: %d links, net %d (%v), want 2 and 1850", n, net, err)
		}
		// Deleting the connection deletes markers and links.
		if err := e.db.DeleteConnection(ctx, e.connID); err != nil {
			t.Fatal(err)
		}
		if err := e.db.Reader().QueryRow(`SELECT count(*) FROM payout_link_items`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d links left after deleting the connection (%v)", n, err)
		}
	})
}
