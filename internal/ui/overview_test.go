package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// fakeReports answers with fixed figures and counts the overviews asked for.
type fakeReports struct {
	mu    sync.Mutex
	asked int
}

func (f *fakeReports) Overview(context.Context, string) (reports.Overview, error) {
	f.mu.Lock()
	f.asked++
	f.mu.Unlock()
	return reports.Overview{
		GrossThisMonth: reports.Money{"eur": 167265, "usd": 1600}, GrossLastMonth: reports.Money{"eur": 222671},
		RefundsThisMonth: reports.Money{"eur": 6025}, FailedThisMonth: reports.Money{"usd": 15420}, FailedCount: 3,
		OpenInvoices: reports.Money{"eur": 127452},
	}, nil
}

func (f *fakeReports) times() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked
}

func (*fakeReports) RevenueByMonth(_ context.Context, _ string, n int) ([]reports.MonthRevenue, error) {
	out := make([]reports.MonthRevenue, n)
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		out[i] = reports.MonthRevenue{Month: start.AddDate(0, i, 0), Gross: reports.Money{"eur": int64(i+1) * 10000}}
	}
	return out, nil
}

func TestConnectionOverview(t *testing.T) {
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	useLanguage(t, i18n.English)
	fr := &fakeReports{}
	u.p.Reports = fr
	u.openConnection(src.rows[0], "")
	d := u.current.(*detailsPage)
	loop.until(t, "the figures load", func() bool { return d.overview.cards[cardOpenInvoices].Text != "…" })
	markup := test.RenderObjectToMarkup(d.root)
	for _, want := range []string{"Gross volume this month", "€1,672.65", "$16.00", "€2,226.71",
		"€60.25", "3 failed", "$154.20", "€1,274.52", "Revenue by month (EUR, last 12 months)", "Gross volume"} {
		if !strings.Contains(markup, want) {
			t.Errorf("the overview does not show %q", want)
		}
	}
	// The chart's last bar, November, is the twelfth month's €1,200.00.
	if got := strings.Join(d.overview.graph.tipLines(11), " | "); got != "Nov 2026 | Gross volume: €1,200.00" {
		t.Errorf("the chart's November reads %q", got)
	}
	if d.overview.cards[cardOverdueInvoices].Text != "—" {
		t.Errorf("no overdue invoices should read as a dash, not %q", d.overview.cards[cardOverdueInvoices].Text)
	}

	// When the sync catches up, the figures are read again.
	running := halfway("conn_a")
	u.applyProgress(running)
	caughtUp := running
	caughtUp.Stage = syncer.StageFollowing
	u.applyProgress(caughtUp)
	loop.until(t, "the overview reloads", func() bool { return fr.times() == 2 })
}

func TestConnectionOverviewInSwedish(t *testing.T) {
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	useLanguage(t, i18n.Swedish)
	u.p.Reports = &fakeReports{}
	u.openConnection(src.rows[0], "")
	d := u.current.(*detailsPage)
	loop.until(t, "the figures load", func() bool { return d.overview.cards[cardOpenInvoices].Text != "…" })

	shown := strings.Join(texts(d.overview.view), "\n")
	for _, want := range []string{
		"Bruttovolym den här månaden", "Bruttovolym förra månaden", "Återbetalningar den här månaden",
		"Misslyckade betalningar den här månaden", "Öppna fakturor", "Förfallna fakturor",
		"1\u00a0672,65\u00a0€", "16,00\u00a0US$", "3 misslyckade", "154,20\u00a0US$",
		"Intäkter per månad (EUR, de senaste 12 månaderna)", "Bruttovolym",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("the Swedish overview does not show %q:\n%s", want, shown)
		}
	}
	if got := strings.Join(d.overview.graph.tipLines(11), " | "); got != "nov. 2026 | Bruttovolym: 1\u00a0200,00\u00a0€" {
		t.Errorf("the chart's last bar reads %q", got)
	}
	// The chart runs from December 2025 to November 2026, named in Swedish
	// on its axis (the first month and January with their year).
	var months []string
	for _, tk := range monthTicks(d.overview.graph.data.Months) {
		months = append(months, tk.Label)
	}
	for _, want := range []string{"dec. 2025", "jan. 2026", "maj", "juni", "nov."} {
		if !slices.Contains(months, want) {
			t.Errorf("the chart has no month %q: %q", want, months)
		}
	}
	for _, s := range texts(d.overview.view) {
		for _, english := range []string{"Gross", "Refunds", "failed", "Revenue", "invoices", "May", "Dec", "€1", "US$1"} {
			if strings.Contains(s, english) {
				t.Errorf("English %q in the Swedish overview: %q", english, s)
			}
		}
	}
}

// texts are the strings o shows: its labels' and cards' text and its
// canvas texts, in tree order.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
			return
		case *widget.Card:
			out = append(out, w.Title, w.Subtitle)
			walk(w.Content)
			return
		case *widget.Check:
			out = append(out, w.Text)
			return
		case *widget.Button:
			out = append(out, w.Text)
			return
		case *canvas.Text:
			out = append(out, w.Text)
			return
		case *container.Scroll:
			walk(w.Content)
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// The figures on a real database (testkit's charges, all made on 31
// December 2025 and the first second of 2026) are what plain SQL over the
// same table says, written by the locale.
func TestConnectionOverviewOnARealDatabase(t *testing.T) {
	db, connID := testkit.ChargesDB(t, dataTestCharges)
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	c := domain.Connection{ID: connID, Provider: domain.ProviderStripe, Name: "Lantern Light Candles",
		AccountID: "acct_1Lantern", Status: domain.StatusConnected, ConnectedAt: fixedNow}
	src := &fakeSource{rows: []domain.Connection{c}}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	useLanguage(t, i18n.English)
	u.p.Reports = reports.New(db.Reader(), func() time.Time { return now })
	u.openConnection(c, "")
	d := u.current.(*detailsPage)
	loop.until(t, "the figures load", func() bool { return d.overview.cards[cardOpenInvoices].Text != "…" })

	// December's succeeded charges per currency, by plain SQL.
	rows, err := db.Reader().QueryContext(context.Background(), `SELECT currency, sum(amount) FROM stripe_charges
		WHERE connection_id = ? AND is_deleted = 0 AND status = 'succeeded' AND created >= ? AND created < ?
		GROUP BY currency`, connID, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	loc := localefmt.New(i18n.FormatLocale())
	december := map[string]int64{}
	for rows.Next() {
		var cur string
		var sum int64
		if err := rows.Scan(&cur, &sum); err != nil {
			t.Fatal(err)
		}
		december[cur] = sum
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(december) < 2 {
		t.Fatalf("the database has December charges in %d currencies; the test wants several", len(december))
	}
	lastMonth := strings.Split(d.overview.cards[cardGrossLastMonth].Text, "\n")
	if len(lastMonth) != len(december) {
		t.Errorf("last month's card has %d lines for %d currencies: %q", len(lastMonth), len(december), lastMonth)
	}
	top := ""
	for cur, sum := range december {
		if want := loc.Money(sum, cur); !slices.Contains(lastMonth, want) {
			t.Errorf("last month's card does not show %s %d as %q: %q", cur, sum, want, lastMonth)
		}
		if top == "" || sum > december[top] {
			top = cur
		}
	}
	if d.overview.title.Text != "Revenue by month ("+strings.ToUpper(top)+", last 12 months)" {
		t.Errorf("the chart's title is %q; the top currency is %s", d.overview.title.Text, top)
	}
	// The chart's months run from February 2025 to January 2026: December
	// is its eleventh, under the pointer it reads the month and its sum.
	tip := d.overview.graph.tipLines(10)
	if want := []string{loc.MonthYear(time.Date(2025, 12, 15, 12, 0, 0, 0, time.UTC)), "Gross volume: " + loc.Money(december[top], top)}; !slices.Equal(tip, want) {
		t.Errorf("the chart's December reads %q, want %q", tip, want)
	}
}

func TestOverviewWithoutPayments(t *testing.T) {
	test.NewTempApp(t)
	months := make([]reports.MonthRevenue, chartMonths)
	for _, c := range []struct {
		lang  i18n.Language
		title string
	}{
		{i18n.English, "Revenue by month: no payments in the last 12 months yet."},
		{i18n.Swedish, "Intäkter per månad: inga betalningar de senaste 12 månaderna än."},
	} {
		useLanguage(t, c.lang)
		p := newOverviewPanel()
		p.show(reports.Overview{}, months)
		if p.title.Text != c.title {
			t.Errorf("%s: %q, want %q", c.lang, p.title.Text, c.title)
		}
		if got := p.cards[cardGrossThisMonth].Text; got != "—" {
			t.Errorf("%s: an empty card reads %q", c.lang, got)
		}
		if len(p.chart.Objects) != 0 {
			t.Errorf("%s: a chart without payments", c.lang)
		}
	}
}
