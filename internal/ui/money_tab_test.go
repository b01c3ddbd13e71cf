package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// fakeMoney answers with a hand-built report and records the periods asked.
type fakeMoney struct {
	mu     sync.Mutex
	asked  []reports.Period
	ids    [][]string // the connections of each ask
	report reports.MoneyReport
	// monthIDs are the connections of each MoneyByMonth ask.
	monthIDs [][]string
}

func (f *fakeMoney) MoneyReport(_ context.Context, ids []string, p reports.Period) (reports.MoneyReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, p)
	f.ids = append(f.ids, ids)
	m := f.report
	m.Period, m.Previous = p, p.Previous()
	return m, nil
}

// MoneyByMonth answers n months ending with fixedNow's (November 2026) in
// loc, the hand-worked ones in SEK: September 1 000,00 kr gross and 970,00
// kr net, and October 1 234,50 kr and 1 094,39 kr (keptLastMonth's
// previous and last month), November so far 50,00 kr and 48,00 kr.
func (f *fakeMoney) MoneyByMonth(_ context.Context, ids []string, n int, loc *time.Location) ([]reports.MonthMoney, error) {
	f.mu.Lock()
	f.monthIDs = append(f.monthIDs, ids)
	f.mu.Unlock()
	figures := map[time.Month]reports.MonthSettlement{
		time.September: {Gross: 100000, Fees: 3000, Net: 97000},
		time.October:   {Gross: 123450, Refunds: 10000, Fees: 4011, Net: 109439},
		time.November:  {Gross: 5000, Fees: 200, Net: 4800},
	}
	out := make([]reports.MonthMoney, n)
	for i := range out {
		m := time.Date(2026, time.November-time.Month(n-1-i), 1, 0, 0, 0, 0, loc)
		out[i] = reports.MonthMoney{Month: m, Settlement: map[string]reports.MonthSettlement{}}
		if s, ok := figures[m.Month()]; ok && m.Year() == 2026 {
			out[i].Settlement["sek"] = s
		}
	}
	return out, nil
}

func (f *fakeMoney) periods() []reports.Period {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]reports.Period(nil), f.asked...)
}

// keptLastMonth is a hand-worked month in SEK: 1 234,50 kr gross against
// 1 000,00 kr before (+234,50 kr, +23.45 %, shown +23.4 %), 100 kr
// refunded, 40,11 kr of fees, so 1 094,39 kr kept against 970 kr (+124,39
// kr, +12.8 %); the fee rate 40,11 ÷ 1 234,50 = 3.249 % (3.25 %) against
// 3.00 % (+0.25 points); 2 disputes on 200 card payments = 1 % against 0 %
// (+1.00 point), over Visa's 0.9 % level.
func keptLastMonth() reports.MoneyReport {
	return reports.MoneyReport{
		Settlement: []reports.SettlementFigures{{Currency: "sek",
			Gross: reports.NewAmount(123450, 100000), Refunds: reports.NewAmount(10000, 0),
			Disputes: reports.NewAmount(0, 0), Fees: reports.NewAmount(4011, 3000), Net: reports.NewAmount(109439, 97000),
			EffectiveFeeRate: reports.NewRate(4011, 123450, 3000, 100000)}},
		Currencies: []reports.CurrencyFigures{{Currency: "sek", Gross: reports.NewAmount(123450, 100000),
			Refunds: reports.NewAmount(10000, 0), Payments: reports.NewAmount(200, 180), AveragePayment: reports.NewAmount(617, 556)}},
		Payments: reports.NewAmount(200, 180), NewCustomers: reports.NewAmount(12, 12),
		Disputes: reports.DisputeFigures{Disputes: reports.NewAmount(2, 0), CardPayments: reports.NewAmount(200, 180),
			Rate: reports.NewRate(2, 200, 0, 180), Level: reports.DisputeLevelOver},
	}
}

func newMoneyTestUI(t *testing.T) (*UI, uiLoop, *detailsPage, *fakeMoney) {
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	fm := &fakeMoney{report: keptLastMonth()}
	u.p.Money = fm
	loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
	u.Go(routeConnection("conn_a", tabMoney))
	d := u.current.(*detailsPage)
	loop.until(t, "the figures show", func() bool { return d.money.shown != nil })
	return u, loop, d, fm
}

func TestTheNetAndFeesTab(t *testing.T) {
	t.Run("opens on last month, in the computer's days, and shows what was kept with its change", func(t *testing.T) {
		useLanguage(t, i18n.English)
		_, loop, d, fm := newMoneyTestUI(t)
		asked := fm.periods()
		want := reports.Period{Kind: reports.PeriodLastMonth, From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
		if len(asked) != 1 || asked[0] != want {
			t.Fatalf("asked for %+v, want last month %+v", asked, want)
		}
		shown := shownTexts(d.money.root)
		for _, s := range []string{"Last month", "Oct 1, 2026 – Oct 31, 2026, days in UTC",
			"Net volume (what the store kept)", "SEK\u00a01,094.39\n+SEK\u00a0124.39 (+12.8%) vs the period before",
			"SEK\u00a01,234.50\n+SEK\u00a0234.50 (+23.4%) vs the period before", "SEK\u00a0100.00\n+SEK\u00a0100.00 vs the period before",
			"SEK\u00a040.11\n+SEK\u00a010.11 (+33.7%) vs the period before", "3.25%\n+0.25 percentage points vs the period before",
			"1.00%\n+1.00 percentage points vs the period before\nWarning: at or above Visa's monitoring level (0.9 %).",
			"200\n+20 (+11.1%) vs the period before"} {
			if !strings.Contains(shown, s) {
				t.Errorf("the tab does not show %q", s)
			}
		}
		if strings.Contains(shown, "isn't over yet") {
			t.Error("last month is over, but the tab says it isn't")
		}
		// Gross against net by month: twelve months to November, in the
		// computer's zone (UTC here); October is the month the cards show,
		// and reads the same under the pointer.
		loop.until(t, "the months show", func() bool { return d.money.months.shown != nil })
		if len(d.money.months.charts) != 1 {
			t.Fatalf("%d charts of gross and net, want one (SEK)", len(d.money.months.charts))
		}
		g := d.money.months.charts[0]
		if len(g.data.Months) != 12 || !g.data.Months[0].Equal(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("the chart's months %v", g.data.Months)
		}
		if got := strings.Join(g.tipLines(10), " | "); got != "Oct 2026 | Gross volume: SEK\u00a01,234.50 | Net volume: SEK\u00a01,094.39" {
			t.Errorf("October reads %q", got)
		}
		for _, s := range []string{"Gross and net volume by month (settled in SEK, last 12 months)",
			"The last month is the current one: its figures still grow. Months are calendar months in UTC."} {
			if !strings.Contains(shownTexts(d.money.root), s) {
				t.Errorf("the tab does not show %q", s)
			}
		}
		// Another period reads other figures, not the months again.
		d.money.period.SetSelected("This month")
		loop.until(t, "the second answer", func() bool { return len(fm.periods()) == 2 && d.money.shown.Period.Kind == reports.PeriodThisMonth })
		fm.mu.Lock()
		defer fm.mu.Unlock()
		if len(fm.monthIDs) != 1 {
			t.Errorf("the months were read %d times", len(fm.monthIDs))
		}
	})

	t.Run("another period is asked for, and one not over yet says so", func(t *testing.T) {
		useLanguage(t, i18n.English)
		_, loop, d, fm := newMoneyTestUI(t)
		d.money.period.SetSelected("This month")
		loop.until(t, "the second answer", func() bool {
			return len(fm.periods()) == 2 && strings.Contains(shownTexts(d.money.root), "over yet")
		})
		if got := fm.periods()[1]; got.Kind != reports.PeriodThisMonth || !got.From.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("asked for %+v", got)
		}
	})

	t.Run("in Swedish, Swedish words and Swedish amounts", func(t *testing.T) {
		u, loop, _, _ := newMoneyTestUI(t)
		useLanguage(t, i18n.Swedish)
		u.relabel() // as View › Language does
		sv := u.current.(*detailsPage)
		loop.until(t, "the Swedish figures show", func() bool { return sv.money.shown != nil })
		shown := shownTexts(sv.money.root)
		for _, s := range []string{"Förra månaden", "Nettovolym (det butiken behöll)",
			"1\u00a0094,39\u00a0kr\n+124,39\u00a0kr (+12,8\u00a0%) jämfört med perioden innan",
			"Varning: på eller över Visas övervakningsnivå (0,9 %)."} {
			if !strings.Contains(shown, s) {
				t.Errorf("the Swedish tab does not show %q", s)
			}
		}
	})
}

// shownTexts is every label's, card title's and choice's text under o, one
// a line (wrapping aside: a label's whole text).
func shownTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Select:
			b.WriteString(w.Selected + "\n")
		case *widget.Card:
			b.WriteString(w.Title + "\n" + w.Subtitle + "\n")
			if w.Content != nil {
				walk(w.Content)
			}
		case *container.Scroll:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

func TestAllStores(t *testing.T) {
	useLanguage(t, i18n.English)
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	fm := &fakeMoney{report: keptLastMonth()}
	u.p.Money = fm
	loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
	u.Go(routeConnections)
	loop.until(t, "the Connections page lists them", func() bool { return len(u.connectionsPage().table.rows) == 3 })
	test.Tap(u.connectionsPage().allStores)
	p, ok := u.current.(*allStoresPage)
	if !ok {
		t.Fatalf("All stores opened %s", u.current.Route())
	}
	asked := func() [][]string {
		fm.mu.Lock()
		defer fm.mu.Unlock()
		return append([][]string(nil), fm.ids...)
	}
	loop.until(t, "every store's money is asked for", func() bool { return p.money.shown != nil })
	if got := asked(); len(got) == 0 || strings.Join(got[len(got)-1], ",") != "conn_a,conn_b,conn_c" {
		t.Fatalf("asked for %v", got)
	}
	p.store.SetSelected("Pop-up shop")
	loop.until(t, "one store's money is asked for", func() bool {
		got := asked()
		return strings.Join(got[len(got)-1], ",") == "conn_c"
	})
	if !strings.Contains(shownTexts(p.root), "Net volume (what the store kept)") {
		t.Error("All stores shows no net volume")
	}
	// Gross against net by month follows the filter: every store's months,
	// then the one store's.
	loop.until(t, "the one store's months show", func() bool {
		fm.mu.Lock()
		defer fm.mu.Unlock()
		n := len(fm.monthIDs)
		return n >= 2 && strings.Join(fm.monthIDs[n-1], ",") == "conn_c" && p.money.months.shown != nil
	})
	fm.mu.Lock()
	first := strings.Join(fm.monthIDs[0], ",")
	fm.mu.Unlock()
	if first != "conn_a,conn_b,conn_c" || len(p.money.months.charts) != 1 {
		t.Errorf("the months were first asked for %s; %d charts", first, len(p.money.months.charts))
	}
}

func TestTheTimeZoneIsNamed(t *testing.T) {
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	newYork, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		loc  *time.Location
		at   time.Time
		want string
	}{
		{stockholm, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), "Europe/Stockholm (CET, UTC+01:00)"},
		{stockholm, time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), "Europe/Stockholm (CEST, UTC+02:00)"},
		{newYork, time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), "America/New_York (EDT, UTC−04:00)"},
		{time.FixedZone("IST", 5*3600+1800), time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), "IST (UTC+05:30)"},
		{time.UTC, time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), "UTC"},
	}
	for _, c := range cases {
		if got := zoneName(c.loc, c.at); got != c.want {
			t.Errorf("zoneName(%s, %s) = %q, want %q", c.loc, c.at, got, c.want)
		}
	}
}
