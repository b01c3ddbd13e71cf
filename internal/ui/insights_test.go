package ui

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// fakeInsights answers the Recurring revenue and At risk tabs with
// hand-built figures and records the at-risk periods asked for.
type fakeInsights struct {
	mu    sync.Mutex
	risks [][2]time.Time
	// copying is the coverage of the figures with a period (zero:
	// complete).
	copying *reports.Completeness
}

// coverage is what f says of its figures' coverage.
func (f *fakeInsights) coverage() reports.Completeness {
	if f.copying != nil {
		return *f.copying
	}
	return reports.Completeness{Complete: true, PreviousComplete: true}
}

// The hand-worked account: 2 subscribers in SEK paying 299 kr and 1 000 kr
// a month (MRR 1 299 kr, ARR 15 588 kr, ARPU 649,50 kr); last month one of
// 4 subscribers left (25 %) taking 10 % of MRR, so the lifetime value is
// 649,50 ÷ 0.25 = 2 598 kr.
func (*fakeInsights) MRRNow(context.Context, string) (reports.MRRNow, error) {
	return reports.MRRNow{AsOf: fixedNow, MRR: reports.Money{"sek": 129900}, ARR: reports.Money{"sek": 1558800},
		Subscribers: map[string]int{"sek": 2}, ActiveSubscribers: 2, ARPU: reports.Money{"sek": 64950}}, nil
}

func (*fakeInsights) MRRByMonth(_ context.Context, _ string, n int) ([]reports.MonthMRR, error) {
	return []reports.MonthMRR{
		{Month: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), MRR: reports.Money{"sek": 100000}, New: reports.Money{"sek": 100000}},
		{Month: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), MRR: reports.Money{"sek": 129900}, New: reports.Money{"sek": 29900}},
	}, nil
}

func (f *fakeInsights) ChurnBetween(_ context.Context, _ string, from, to time.Time) (reports.Churn, error) {
	return reports.Churn{From: from, To: to, SubscriberRate: map[string]float64{"sek": 0.25}, RevenueRate: map[string]float64{"sek": 0.10},
		Coverage: f.coverage()}, nil
}

func (f *fakeInsights) AtRisk(_ context.Context, _ string, from, to time.Time) (reports.AtRisk, error) {
	f.mu.Lock()
	f.risks = append(f.risks, [2]time.Time{from, to})
	f.mu.Unlock()
	return reports.AtRisk{AsOf: fixedNow, From: from, To: to,
		Failed:      []reports.FailedPayment{{ID: "ch_failed1", Customer: "cus_1", Currency: "sek", FailureCode: "card_declined", Amount: 49900, Created: fixedNow.Add(-48 * time.Hour)}},
		FailedTotal: reports.Money{"sek": 49900},
		PastDue:     []reports.PastDue{{ID: "sub_late1", Customer: "cus_2", Currency: "sek", MRR: 29900}},
		PastDueMRR:  reports.Money{"sek": 29900},
		Overdue: []reports.OverdueInvoice{{ID: "in_old1", Customer: "cus_3", Currency: "sek", AmountRemaining: 120000,
			DueDate: fixedNow.AddDate(0, 0, -45), DaysOverdue: 45, Bucket: "31-60"}},
		OverdueByBucket: map[string]reports.Money{"1-30": {}, "31-60": {"sek": 120000}, "61-90": {}, "over_90": {}},
		OverdueTotal:    reports.Money{"sek": 120000},
		Disputes:        []reports.OpenDispute{{ID: "dp_1", Charge: "ch_disputed1", Currency: "sek", Status: "needs_response", Amount: 25000, EvidenceDueBy: fixedNow.AddDate(0, 0, 5)}},
		DisputedTotal:   reports.Money{"sek": 25000},
		FailedCoverage:  f.coverage(),
	}, nil
}

// fakeObjects is a BrowseService that records the objects asked for.
type fakeObjects struct {
	mu    sync.Mutex
	asked []string
}

func (f *fakeObjects) Open(context.Context, browse.Query) (RowPager, error) { return nil, nil }
func (f *fakeObjects) Export(context.Context, browse.Query, io.Writer) (int, error) {
	return 0, nil
}
func (f *fakeObjects) Object(_ context.Context, view, _, id string) ([]browse.Field, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, view+"/"+id)
	return []browse.Field{{Path: "id", Value: id}}, nil
}

func newInsightsTestUI(t *testing.T, tab string) (*UI, uiLoop, *detailsPage, *fakeInsights, *fakeObjects) {
	src := &fakeSource{rows: threeConnections()}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	fi, fo := &fakeInsights{}, &fakeObjects{}
	u.p.Subscriptions, u.p.AtRisk = fi, fi
	loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
	u.Go(routeConnection("conn_a", tab))
	d := u.current.(*detailsPage)
	d.sh.(*UI).p.Browse = fo
	return u, loop, d, fi, fo
}

func TestTheRecurringRevenueTab(t *testing.T) {
	for _, c := range []struct {
		lang i18n.Language
		want []string
	}{
		{i18n.English, []string{"MRR (monthly recurring revenue)", "SEK\u00a01,299.00", "SEK\u00a015,588.00", "Active subscribers", "2",
			"SEK\u00a0649.50", "25.0% of subscribers, 10.0% of MRR (Oct 2026)", "SEK\u00a02,598.00", "Nov 2026", "SEK\u00a0299.00"}},
		{i18n.Swedish, []string{"MRR (månatliga återkommande intäkter)", "1\u00a0299,00\u00a0kr", "15\u00a0588,00\u00a0kr", "Aktiva prenumeranter",
			"649,50\u00a0kr", "25,0\u00a0% av prenumeranterna, 10,0\u00a0% av MRR (okt. 2026)", "2\u00a0598,00\u00a0kr", "nov. 2026"}},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			u, loop, _, _, _ := newInsightsTestUI(t, tabSubs)
			useLanguage(t, c.lang)
			u.relabel()
			d := u.current.(*detailsPage)
			loop.until(t, "the figures show", func() bool { return d.subs.shown != nil })
			shown := shownTexts(d.subs.root)
			for _, s := range c.want {
				if !strings.Contains(shown, s) {
					t.Errorf("the tab does not show %q", s)
				}
			}
		})
	}
}

func TestTheAtRiskTab(t *testing.T) {
	useLanguage(t, i18n.English)
	_, loop, d, fi, fo := newInsightsTestUI(t, tabRisk)
	loop.until(t, "the figures show", func() bool { return d.risk.shown != nil })
	fi.mu.Lock()
	asked := fi.risks[0]
	fi.mu.Unlock()
	if want := time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC); !asked[0].Equal(want) || !asked[1].Equal(want.AddDate(0, 0, 30)) {
		t.Errorf("failed payments asked for %v, want the last 30 days from %v", asked, want)
	}
	shown := shownTexts(d.risk.root)
	for _, s := range []string{"Last 30 days", "Failed payments nothing recovered: SEK\u00a0499.00", "Card declined",
		"Past-due subscriptions and the MRR they carry: SEK\u00a0299.00", "Open invoices past their due date: SEK\u00a01,200.00",
		"31–60 days overdue\nSEK\u00a01,200.00", "45", "Open disputes: SEK\u00a0250.00", "Needs response"} {
		if !strings.Contains(shown, s) {
			t.Errorf("the tab does not show %q", s)
		}
	}
	// Each id opens its object: the failed payment, the subscription, the
	// invoice and the disputed payment.
	for _, id := range []string{"ch_failed1", "sub_late1", "in_old1", "ch_disputed1"} {
		b := findButton(d.risk.root, id)
		if b == nil {
			t.Fatalf("no button for %s", id)
		}
		test.Tap(b)
	}
	loop.until(t, "the four objects are read", func() bool {
		fo.mu.Lock()
		defer fo.mu.Unlock()
		return len(fo.asked) == 4
	})
	slices.Sort(fo.asked)
	if got := strings.Join(fo.asked, " "); got != "invoices/in_old1 payments/ch_disputed1 payments/ch_failed1 subscriptions/sub_late1" {
		t.Errorf("opened %s", got)
	}
}

// findButton is the first visible button under o that reads text.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if bs := visibleButtons(o, text); len(bs) > 0 {
		return bs[0]
	}
	return nil
}
