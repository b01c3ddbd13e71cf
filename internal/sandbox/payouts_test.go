package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// payoutWorld is every payout and balance transaction of one account.
type payoutWorld struct {
	h       *harness
	key     string
	payouts []map[string]any
	txns    map[string]map[string]any
}

func newPayoutWorld(t *testing.T, seed int64, scale int) *payoutWorld {
	h := newHarness(t, Options{Seed: seed, Scale: scale})
	w := &payoutWorld{h: h, key: h.info.Accounts[0].APIKey, txns: map[string]map[string]any{}}
	w.payouts = h.walk(w.key, "/v1/payouts", nil, 100)
	for _, bt := range h.walk(w.key, "/v1/balance_transactions", nil, 100) {
		w.txns[idOf(bt)] = bt
	}
	return w
}

// swept walks GET /v1/balance_transactions?payout=… with the given page size.
func (w *payoutWorld) swept(payout string, limit int) []map[string]any {
	return w.h.walk(w.key, "/v1/balance_transactions", url.Values{"payout": {payout}}, limit)
}

func TestAutomaticPayoutsSweepTheBalance(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		w := newPayoutWorld(t, seed, 20000)
		h := w.h.on(t)
		if len(w.payouts) < 20 {
			t.Fatalf("seed %d: only %d payouts", seed, len(w.payouts))
		}
		linkedTo := map[string]string{} // balance transaction → the payout that swept it
		failed := 0
		var newest int64
		t.Run("every payout's amount is the net of what it swept, to the cent, seed "+itoa(int(seed)), func(t *testing.T) {
			for _, po := range w.payouts {
				id, amount := idOf(po), num(po["amount"])
				newest = max(newest, num(po["created"]))
				if po["automatic"] != true || amount <= 0 || po["currency"] != h.sb.data[h.info.Accounts[0].ID].acct.Currency {
					t.Fatalf("payout %s: automatic %v, amount %d, currency %v", id, po["automatic"], amount, po["currency"])
				}
				var sum int64
				own := 0
				for _, bt := range w.swept(id, 100) {
					if listed := w.txns[idOf(bt)]; listed == nil || num(listed["net"]) != num(bt["net"]) {
						t.Fatalf("payout %s swept %s, which the full list does not hold", id, idOf(bt))
					}
					if bt["type"] == "payout" {
						own++
						if idOf(bt) != po["balance_transaction"] || num(bt["amount"]) != -amount || bt["source"] != id {
							t.Fatalf("payout %s lists the payout transaction %v", id, bt)
						}
						continue
					}
					if num(bt["available_on"]) > num(po["created"]) || bt["status"] != "available" {
						t.Fatalf("payout %s swept %s, available only at %d", id, idOf(bt), num(bt["available_on"]))
					}
					if prev, dup := linkedTo[idOf(bt)]; dup {
						t.Fatalf("%s is swept by both %s and %s", idOf(bt), prev, id)
					}
					linkedTo[idOf(bt)] = id
					sum += num(bt["net"])
				}
				if own != 1 || sum != amount {
					t.Fatalf("payout %s: amount %d, swept nets %d, own transaction listed %d times", id, amount, sum, own)
				}
				links, ok := h.sb.PayoutLinks(h.info.Accounts[0].ID, id)
				if !ok || links.Amount != amount || len(links.Links) == 0 {
					t.Fatalf("truth's links of %s: %+v", id, links)
				}
				for _, l := range links.Links {
					if linkedTo[l] != id {
						t.Fatalf("truth links %s to %s, the list to %q", l, id, linkedTo[l])
					}
				}
				if po["status"] == "failed" {
					failed++
				}
			}
		})
		t.Run("every transaction available before the last payout is swept once, and truth counts the links", func(t *testing.T) {
			kinds := map[string]bool{}
			for id, bt := range w.txns {
				if bt["type"] == "payout" {
					continue
				}
				kinds[bt["type"].(string)+"/"+bt["reporting_category"].(string)] = true
				if _, ok := linkedTo[id]; !ok && num(bt["available_on"]) <= newest {
					t.Fatalf("%s (%s, available %d) is in no payout; the last was made at %d", id, bt["type"], num(bt["available_on"]), newest)
				}
			}
			for _, k := range []string{"charge/charge", "refund/refund", "adjustment/dispute", "adjustment/dispute_reversal",
				"stripe_fee/fee", "payout_failure/payout_reversal"} {
				if !kinds[k] {
					t.Errorf("no balance transaction of type/category %s", k)
				}
			}
			tr := h.truth(h.info.Accounts[0].ID)
			if tr["payout_links"].Live != len(linkedTo) {
				t.Fatalf("truth has %d payout links, the lists %d", tr["payout_links"].Live, len(linkedTo))
			}
			if tr["balance_transactions"].Live != len(w.txns) {
				t.Fatalf("truth has %d balance transactions, the list %d", tr["balance_transactions"].Live, len(w.txns))
			}
		})
		t.Run("a failed payout's funds come back in a later payout", func(t *testing.T) {
			if failed == 0 {
				t.Fatal("no payout failed")
			}
			for _, po := range w.payouts {
				if po["status"] != "failed" {
					if po["failure_balance_transaction"] != nil {
						t.Fatalf("payout %s is %s but has a failure transaction", idOf(po), po["status"])
					}
					continue
				}
				back := w.txns[po["failure_balance_transaction"].(string)]
				if back == nil || back["type"] != "payout_failure" || num(back["amount"]) != num(po["amount"]) ||
					back["source"] != idOf(po) || po["failure_code"] == nil {
					t.Fatalf("failed payout %s: failure transaction %v", idOf(po), back)
				}
				later := linkedTo[idOf(back)]
				if later == "" {
					continue // came back after the last payout: still in the balance
				}
				if p := w.payoutByID(later); num(p["created"]) <= num(po["created"]) {
					t.Fatalf("failed payout %s's funds came back in %s, made before it", idOf(po), later)
				}
			}
		})
	}
}

func (w *payoutWorld) payoutByID(id string) map[string]any {
	for _, p := range w.payouts {
		if idOf(p) == id {
			return p
		}
	}
	return nil
}

func TestPayoutFilter(t *testing.T) {
	w := newPayoutWorld(t, 3, 20000)
	h := w.h.on(t)
	acct := h.info.Accounts[0]
	var busiest map[string]any
	for _, po := range w.payouts {
		if busiest == nil || len(w.swept(idOf(po), 100)) > len(w.swept(idOf(busiest), 100)) {
			busiest = po
		}
	}
	id := idOf(busiest)

	t.Run("pages of any size, forward and back, list the same transactions", func(t *testing.T) {
		all := idsOf(t, "all", w.swept(id, 100))
		if len(all) < 15 {
			t.Fatalf("payout %s swept only %d", id, len(all))
		}
		for _, limit := range []int{1, 7, 10} {
			if got := idsOf(t, "forward", w.swept(id, limit)); !slices.Equal(got, all) {
				t.Fatalf("limit %d: %d transactions, want %d", limit, len(got), len(all))
			}
		}
		back := h.walkBack(w.key, "/v1/balance_transactions", url.Values{"payout": {id}}, all[len(all)-1], 6)
		if got := idsOf(t, "back", back); !slices.Equal(got, all[:len(all)-1]) {
			t.Fatalf("walking back: %d transactions, want %d", len(got), len(all)-1)
		}
	})
	t.Run("other filters narrow it", func(t *testing.T) {
		charges := h.walk(w.key, "/v1/balance_transactions", url.Values{"payout": {id}, "type": {"charge"}}, 100)
		for _, bt := range charges {
			if bt["type"] != "charge" {
				t.Fatalf("type=charge gave %v", bt["type"])
			}
		}
		if len(charges) == 0 {
			t.Fatal("no charges in the busiest payout")
		}
		p := h.page(w.key, "/v1/balance_transactions", url.Values{"payout": {id}, "created[gt]": {itoa(int(num(busiest["created"])))}})
		if len(p.Data) != 0 {
			t.Fatalf("nothing it swept was made after it, but %d are listed", len(p.Data))
		}
	})
	t.Run("an unknown payout is Stripe's 404, a manual one a 400", func(t *testing.T) {
		r := h.get("/v1/balance_transactions?payout=po_1nothere", bearer(w.key))
		if e := r.apiErr(); r.status != http.StatusNotFound || e["code"] != "resource_missing" || e["param"] != "payout" ||
			e["message"] != "No such payout: 'po_1nothere'" {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		other := h.sb.data[h.info.Accounts[1].ID]
		other.ready()
		r = h.get("/v1/balance_transactions?payout="+other.id(famPayout, leadPlain, 0), bearer(w.key))
		if r.status != http.StatusNotFound {
			t.Fatalf("another account's payout: %d %s", r.status, r.raw)
		}
		made := h.post("/_sandbox/mutate", "", url.Values{"account": {acct.ID}, "type": {"payouts"}, "action": {"create"}})
		var out struct{ Changes []Change }
		if err := json.Unmarshal([]byte(made.raw), &out); err != nil || len(out.Changes) != 1 {
			t.Fatalf("mutate: %s", made.raw)
		}
		manual := h.get("/v1/payouts/"+out.Changes[0].ID, bearer(w.key))
		if manual.json["automatic"] != false || manual.str("reconciliation_status") != "not_applicable" {
			t.Fatalf("a payout made by mutation: %s", manual.raw)
		}
		r = h.get("/v1/balance_transactions?payout="+out.Changes[0].ID, bearer(w.key))
		if r.status != http.StatusBadRequest || r.apiErr()["param"] != "payout" {
			t.Fatalf("a manual payout: %d %s", r.status, r.raw)
		}
	})
	t.Run("a payout's destination is a bank account, with its last four digits when expanded", func(t *testing.T) {
		p := h.page(w.key, "/v1/payouts", url.Values{"expand[]": {"data.destination"}, "limit": {"3"}})
		dest, _ := p.Data[0]["destination"].(map[string]any)
		if dest["object"] != "bank_account" || len(dest["last4"].(string)) != 4 || p.Data[0]["type"] != "bank_account" {
			t.Fatalf("expanded destination %v", p.Data[0]["destination"])
		}
		one := h.get("/v1/payouts/"+id+"?expand[]=destination", bearer(w.key))
		if one.json["destination"].(map[string]any)["id"] != busiest["destination"] {
			t.Fatalf("retrieve with expand: %s", one.raw)
		}
	})
}

func TestPayoutScheduleAtScale(t *testing.T) {
	// A daily schedule over a large account, checked inside: every payout's
	// links, found by the list's own streams, add up to its amount.
	sb, err := New(Options{Seed: 7, Scale: 150000})
	if err != nil {
		t.Fatal(err)
	}
	d := sb.data[sb.Info().Accounts[0].ID]
	d.ready()
	if d.pay.period != day || len(d.pay.slots) < 300 {
		t.Fatalf("period %d s, %d payouts", d.pay.period, len(d.pay.slots))
	}
	links := 0
	for x := range d.pay.slots {
		var sum int64
		for _, id := range d.payoutLinks(x) {
			lead, i, ok := d.parseID(famTxn, id)
			if !ok {
				t.Fatalf("link %s", id)
			}
			f := d.txn(lead, i)
			sum += f.amount - f.fee
			links++
		}
		if sum != d.pay.slots[x].amount {
			t.Fatalf("payout %d: amount %d, links %d", x, d.pay.slots[x].amount, sum)
		}
	}
	if links != d.pay.links {
		t.Fatalf("%d links listed, the schedule counted %d", links, d.pay.links)
	}
}

func TestSourceFilterFindsEveryTransactionOfAnObject(t *testing.T) {
	w := newPayoutWorld(t, 4, 20000)
	h := w.h.on(t)
	bySource := map[string][]string{}
	for id, bt := range w.txns {
		if s, ok := bt["source"].(string); ok {
			bySource[s] = append(bySource[s], id)
		}
	}
	checked := map[string]bool{}
	for src, ids := range bySource {
		kind := src[:3]
		if checked[kind] && len(ids) == 1 {
			continue
		}
		got := idsOf(t, src, h.walk(w.key, "/v1/balance_transactions", url.Values{"source": {src}}, 100))
		slices.Sort(got)
		slices.Sort(ids)
		if !slices.Equal(got, ids) {
			t.Fatalf("source=%s: %v, want %v", src, got, ids)
		}
		checked[kind] = true
		if len(ids) > 1 {
			checked[kind+" twice"] = true // a won dispute, a failed payout
		}
	}
	for _, k := range []string{"ch_", "re_", "dp_", "po_", "dp_ twice", "po_ twice"} {
		if !checked[k] {
			t.Errorf("no source %s was checked", k)
		}
	}
}
