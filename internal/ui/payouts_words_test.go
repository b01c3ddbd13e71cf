package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// fakePayouts answers the Payouts tab with a hand-built account in SEK:
//   - po_ok, 1 255,50 kr to a bank account ending 6789, reconciled: a
//     payment of 1 000,00 kr (fee 29,00), one of 500,00 kr (fee 15,50)
//     and a refund of 200,00 kr: gross 1 300,00, fees 44,50, net
//     971,00 + 484,50 − 200,00 = 1 255,50 kr;
//   - po_off, 300,00 kr, whose one copied transaction nets 191,20 kr: a
//     difference of 108,80 kr;
//   - po_wait, 450,00 kr in transit to a card, instantly: not copied yet.
type fakePayouts struct {
	mu    sync.Mutex
	asked []reports.Period
}

func handPayouts() []reports.PayoutRow {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	return []reports.PayoutRow{
		{ConnectionID: "conn_a", ID: "po_wait", ArrivalDate: day(27), Amount: 45000, Currency: "sek", Status: "in_transit",
			Method: "instant", Type: "card"},
		{ConnectionID: "conn_a", ID: "po_off", ArrivalDate: day(20), Amount: 30000, Currency: "sek", Status: "paid", Automatic: true,
			Method: "standard", Type: "bank_account", LinksSynced: true, Links: 1, LinkedNet: 19120},
		{ConnectionID: "conn_a", ID: "po_ok", ArrivalDate: day(10), Amount: 125550, Currency: "sek", Status: "paid", Automatic: true,
			Method: "standard", Type: "bank_account", BankLast4: "6789", LinksSynced: true, Links: 3, LinkedNet: 125550, Reconciled: true},
	}
}

func (f *fakePayouts) Payouts(_ context.Context, _ []string, p reports.Period) ([]reports.PayoutRow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, p)
	if len(f.asked)%2 == 0 { // the period before: po_ok's twin only
		return handPayouts()[2:], nil
	}
	return handPayouts(), nil
}

func (f *fakePayouts) Payout(_ context.Context, _, id string) (reports.PayoutDetail, error) {
	at := func(d int) time.Time { return time.Date(2026, 11, d, 9, 30, 0, 0, time.UTC) }
	for _, p := range handPayouts() {
		if p.ID != id {
			continue
		}
		d := reports.PayoutDetail{Payout: p, Transactions: []reports.PayoutTransaction{}}
		switch id {
		case "po_ok":
			d.Transactions = []reports.PayoutTransaction{
				{ID: "txn_1", Type: "charge", ReportingCategory: "charge", Gross: 100000, Fee: 2900, Net: 97100, Currency: "sek",
					Created: at(3), Source: "ch_1", Customer: "cus_1", Description: "Order 1001"},
				{ID: "txn_2", Type: "charge", ReportingCategory: "charge", Gross: 50000, Fee: 1550, Net: 48450, Currency: "sek",
					Created: at(4), Source: "ch_2", Customer: "cus_2", Description: "Order 1002"},
				{ID: "txn_3", Type: "refund", ReportingCategory: "refund", Gross: -20000, Net: -20000, Currency: "sek",
					Created: at(5), Source: "re_1", Customer: "cus_1", Description: "Order 1001"},
			}
		case "po_off":
			d.Transactions = []reports.PayoutTransaction{{ID: "txn_4", Type: "charge", Gross: 20000, Fee: 880, Net: 19120,
				Currency: "sek", Source: "ch_4"}}
		}
		return d, nil
	}
	return reports.PayoutDetail{}, domain.E(domain.KindNotFound, domain.ErrNotFound, domain.FactWhat, "payout", domain.FactValue, id)
}

// newPayoutsTestUI opens conn_a's Payouts tab over fakePayouts; more sets
// further services first (nil: none).
func newPayoutsTestUI(t *testing.T, more func(*UI)) (*UI, uiLoop, *payoutsTab) {
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	u.p.Payouts = &fakePayouts{}
	if more != nil {
		more(u)
	}
	loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
	u.Go(routeConnection("conn_a", tabPayouts))
	tab := u.current.(*detailsPage).payouts
	loop.until(t, "the payouts load", func() bool { return tab.loaded })
	return u, loop, tab
}

// The hand-worked account in both languages: the list's words and marks,
// the reconciled payout's sentence and totals, the other's difference.
func TestPayoutsWords(t *testing.T) {
	for _, c := range []struct {
		lang                          i18n.Language
		list                          [][]string
		summary, reconciled, totals   string
		offMark, offDetail, offTotals string
		titles                        map[string]string
	}{
		{i18n.English,
			[][]string{
				{"Nov 27, 2026", "SEK\u00a0450.00", "In transit", "Card, instant", "—", "Transactions not copied yet"},
				{"Nov 20, 2026", "SEK\u00a0300.00", "Paid", "Bank account, standard", "—", "Doesn't reconcile: SEK\u00a0108.80 difference"},
				{"Nov 10, 2026", "SEK\u00a01,255.50", "Paid", "Bank account, standard", "••6789", "Reconciled"},
			},
			"Paid out: SEK\u00a01,555.50 (2 payouts) · the period before: SEK\u00a01,255.50 (1 payout)",
			"Reconciled: its 3 transactions' net adds up to the payout, SEK\u00a01,255.50.",
			"Totals: gross SEK\u00a01,300.00, fees SEK\u00a044.50, net SEK\u00a01,255.50 = the payout's SEK\u00a01,255.50",
			"Doesn't reconcile: SEK\u00a0108.80 difference",
			"Doesn't reconcile: its transactions' net adds up to SEK\u00a0191.20, the payout is SEK\u00a0300.00: a difference of SEK\u00a0108.80.",
			"Totals: gross SEK\u00a0200.00, fees SEK\u00a08.80, net SEK\u00a0191.20; the payout is SEK\u00a0300.00, a difference of SEK\u00a0108.80",
			map[string]string{"po_ok": "Payout po_ok · SEK\u00a01,255.50 · arrives Nov 10, 2026 · Paid · Bank account, standard · bank ••6789",
				"po_off": "Payout po_off · SEK\u00a0300.00 · arrives Nov 20, 2026 · Paid · Bank account, standard"}},
		{i18n.Swedish,
			[][]string{
				{"27 nov. 2026", "450,00\u00a0kr", "På väg", "Kort, direkt", "—", "Transaktionerna är inte kopierade än"},
				{"20 nov. 2026", "300,00\u00a0kr", "Utbetald", "Bankkonto, vanlig", "—", "Stämmer inte: 108,80\u00a0kr skillnad"},
				{"10 nov. 2026", "1\u00a0255,50\u00a0kr", "Utbetald", "Bankkonto, vanlig", "••6789", "Stämmer"},
			},
			"Utbetalt: 1\u00a0555,50\u00a0kr (2 utbetalningar) · perioden innan: 1\u00a0255,50\u00a0kr (1 utbetalning)",
			"Stämmer: nettot av dess 3 transaktioner blir tillsammans utbetalningens 1\u00a0255,50\u00a0kr.",
			"Summa: brutto 1\u00a0300,00\u00a0kr, avgifter 44,50\u00a0kr, netto 1\u00a0255,50\u00a0kr = utbetalningens 1\u00a0255,50\u00a0kr",
			"Stämmer inte: 108,80\u00a0kr skillnad",
			"Stämmer inte: dess transaktioner blir netto 191,20\u00a0kr, utbetalningen är 300,00\u00a0kr: en skillnad på 108,80\u00a0kr.",
			"Summa: brutto 200,00\u00a0kr, avgifter 8,80\u00a0kr, netto 191,20\u00a0kr; utbetalningen är 300,00\u00a0kr, en skillnad på 108,80\u00a0kr",
			map[string]string{"po_ok": "Utbetalning po_ok · 1\u00a0255,50\u00a0kr · kommer fram 10 nov. 2026 · Utbetald · Bankkonto, vanlig · bank ••6789",
				"po_off": "Utbetalning po_off · 300,00\u00a0kr · kommer fram 20 nov. 2026 · Utbetald · Bankkonto, vanlig"}},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			u, loop, _ := newPayoutsTestUI(t, nil)
			useLanguage(t, c.lang)
			u.relabel() // as View › Language does: the page is built again
			tab := u.current.(*detailsPage).payouts
			loop.until(t, "the payouts load", func() bool { return tab.loaded })
			got := listTexts(tab)
			for i := range c.list {
				if strings.Join(got[i], " | ") != strings.Join(c.list[i], " | ") {
					t.Errorf("row %d:\n got %q\nwant %q", i, got[i], c.list[i])
				}
			}
			if tab.summary.Text != c.summary {
				t.Errorf("summary %q, want %q", tab.summary.Text, c.summary)
			}
			for row, want := range map[int][2]string{2: {c.reconciled, c.totals}, 1: {c.offDetail, c.offTotals}} {
				tab.list.table.Select(widget.TableCellID{Row: row, Col: 0})
				loop.until(t, "the payout shows", func() bool { return tab.detail.shown != nil && tab.detail.shown.Payout.ID == tab.rows[row].ID })
				if id := tab.rows[row].ID; tab.detail.title.Text != c.titles[id] {
					t.Errorf("%s's title %q, want %q", id, tab.detail.title.Text, c.titles[id])
				}
				if !strings.HasPrefix(tab.detail.mark.Text, want[0]) || tab.detail.totals.Text != want[1] {
					t.Errorf("%s:\n got %q\n     %q\nwant %q\n     %q", tab.rows[row].ID, tab.detail.mark.Text, tab.detail.totals.Text, want[0], want[1])
				}
			}
			tab.list.table.Select(widget.TableCellID{Row: 0, Col: 0})
			loop.until(t, "the payout in transit shows", func() bool { return tab.detail.shown != nil && tab.detail.shown.Payout.ID == "po_wait" })
			if !tab.detail.export.Disabled() || tab.detail.totals.Text != "" {
				t.Error("a payout whose transactions are not copied offers an export or totals")
			}
		})
	}
}

// Ctrl+1…9 select the first nine tabs, Ctrl+0 the last, and Ctrl+Page
// Down and Up step through every tab, round the ends.
func TestTabShortcuts(t *testing.T) {
	useLanguage(t, i18n.English)
	u, _, _ := newPayoutsTestUI(t, func(u *UI) {
		u.p.Reports, u.p.Money = &fakeReports{}, &fakeMoney{report: keptLastMonth()}
		insights := &fakeInsights{}
		u.p.Subscriptions, u.p.AtRisk = insights, insights
		u.p.Sync = &fakeSync{progress: halfway("conn_a")}
		u.p.Browse = &fakeObjects{}
	})
	d := u.current.(*detailsPage)
	if !slices.Equal(d.tabNames, connectionTabNames()) {
		t.Fatalf("the page has tabs %v, want all of %v", d.tabNames, connectionTabNames())
	}
	press := func(key fyne.KeyName) {
		t.Helper()
		if !u.runShortcut(key, ctrl) {
			t.Fatalf("nothing is bound to Ctrl+%s", key)
		}
	}
	for i, name := range d.tabNames[:9] {
		press(fyne.KeyName(string(rune('1' + i))))
		if got := d.selectedTab(); got != name {
			t.Errorf("Ctrl+%d selected %s, want %s", i+1, got, name)
		}
	}
	press(fyne.Key0)
	if got := d.selectedTab(); got != tabDetails {
		t.Errorf("Ctrl+0 selected %s", got)
	}
	n := len(d.tabNames)
	seen := map[string]bool{}
	for range n {
		before := d.tabs.SelectedIndex()
		press(fyne.KeyPageDown)
		if got := d.tabs.SelectedIndex(); got != (before+1)%n {
			t.Fatalf("Ctrl+Page Down went from tab %d to %d", before, got)
		}
		seen[d.selectedTab()] = true
	}
	if len(seen) != n {
		t.Errorf("Ctrl+Page Down reached %d of %d tabs", len(seen), n)
	}
	press(fyne.KeyPageUp)
	if got := d.selectedTab(); got != d.tabNames[n-2] {
		t.Errorf("Ctrl+Page Up from Details selected %s", got)
	}
	if d.tabNames[2] != tabPayouts {
		t.Errorf("Payouts is not right after Net and fees: %v", d.tabNames)
	}
}
