package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/syncer"
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
	fr := &fakeReports{}
	u.p.Reports = fr
	u.openConnection(src.rows[0], "")
	d := u.current.(*detailsPage)
	loop.until(t, "the figures load", func() bool { return d.overview.cards["Open invoices"].Text != "…" })
	markup := test.RenderObjectToMarkup(d.root)
	for _, want := range []string{"Gross volume this month", "€1,672.65", "$16.00", "€2,226.71",
		"€60.25", "3 failed", "$154.20", "€1,274.52", "Revenue by month (EUR, last 12 months)", "Nov", "€1,200.00"} {
		if !strings.Contains(markup, want) {
			t.Errorf("the overview does not show %q", want)
		}
	}
	if d.overview.cards["Overdue invoices"].Text != "—" {
		t.Errorf("no overdue invoices should read as a dash, not %q", d.overview.cards["Overdue invoices"].Text)
	}

	// When the sync catches up, the figures are read again.
	running := halfway("conn_a")
	u.applyProgress(running)
	caughtUp := running
	caughtUp.Stage = syncer.StageFollowing
	u.applyProgress(caughtUp)
	loop.until(t, "the overview reloads", func() bool { return fr.times() == 2 })
}
