package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// dataTestCharges is the size of the real database the data-tab tests
// read: several pages of rows.
const dataTestCharges = 1200

// newDataTestUI opens a connection's page over a real database of charges
// (testkit.ChargesDB) read through internal/browse.
func newDataTestUI(t *testing.T) (*UI, uiLoop, *detailsPage, string) {
	t.Helper()
	db, connID := testkit.ChargesDB(t, dataTestCharges)
	c := domain.Connection{ID: connID, Provider: domain.ProviderStripe, Name: "Lantern Light Candles",
		AccountID: "acct_1Lantern", Status: domain.StatusConnected, ConnectedAt: fixedNow}
	src := &fakeSource{rows: []domain.Connection{c}}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	u.p.Browse = NewBrowseService(browse.New(db.Reader()))
	loop.until(t, "rows load", func() bool { return len(u.rows) == 1 })
	u.connectionsPage().table.table.Select(widget.TableCellID{Row: 0, Col: 0})
	d, ok := u.current.(*detailsPage)
	if !ok {
		t.Fatalf("selecting the connection opened %T", u.current)
	}
	return u, loop, d, connID
}

// sqlCount counts with plain SQL what a tab should show.
func sqlCount(t *testing.T, connID, query string, args ...any) int {
	t.Helper()
	db, _ := testkit.ChargesDB(t, dataTestCharges)
	var n int
	if err := db.Reader().QueryRowContext(context.Background(), query, append([]any{connID}, args...)...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDataTabs(t *testing.T) {
	t.Run("a connection's page has a tab per kind of data and each one opens", func(t *testing.T) {
		_, loop, d, _ := newDataTestUI(t)
		var titles []string
		for _, ti := range d.tabs.Items {
			titles = append(titles, ti.Text)
		}
		if got := strings.Join(titles, ","); got != "Payments,Invoices,Customers,Subscriptions,Details" {
			t.Fatalf("tabs %s", got)
		}
		for _, v := range browse.Views() {
			if !d.selectTab(v.Name) {
				t.Fatalf("no %s tab", v.Name)
			}
			tab := d.dataTab(v.Name)
			loop.until(t, v.Name+" counts", func() bool { return tab.total >= 0 })
			if v.Name != "payments" && tab.total != 0 {
				t.Errorf("%s: %d rows in a database of charges only", v.Name, tab.total)
			}
			if v.Name != "payments" && !tab.empty.Visible() {
				t.Errorf("%s: an empty table says nothing", v.Name)
			}
		}
		d.selectTab(tabDetails)
		if !strings.Contains(test.RenderObjectToMarkup(d.root), "acct_1Lantern") {
			t.Error("the Details tab does not show the account")
		}
	})

	t.Run("Payments shows every charge newest first, and reads rows near the end", func(t *testing.T) {
		_, loop, d, connID := newDataTestUI(t)
		tab := d.dataTab("payments")
		loop.until(t, "payments count", func() bool { return tab.total >= 0 })
		want := sqlCount(t, connID, `SELECT count(*) FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0`)
		if tab.total != want || tab.count.Text != formatter().Number(int64(want))+" payments" {
			t.Fatalf("count %d %q, want %d", tab.total, tab.count.Text, want)
		}
		loop.until(t, "the first screen", func() bool { return cellAt(tab, 0, 0) != "…" })
		tab.table.ScrollToBottom()
		last := tab.total - 1
		loop.until(t, "the last rows", func() bool {
			_, ok := tab.rows.row(last)
			return ok
		})
		var lastID string
		db, _ := testkit.ChargesDB(t, dataTestCharges)
		if err := db.Reader().QueryRow(`SELECT id FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0
			ORDER BY created ASC, id ASC LIMIT 1`, connID).Scan(&lastID); err != nil {
			t.Fatal(err)
		}
		if r, _ := tab.rows.row(last); r.ID != lastID {
			t.Errorf("last row %s, want the oldest charge %s", r.ID, lastID)
		}
	})

	t.Run("the status filter, a search and a sort narrow and order the rows", func(t *testing.T) {
		_, loop, d, connID := newDataTestUI(t)
		tab := d.dataTab("payments")
		loop.until(t, "payments count", func() bool { return tab.total >= 0 })

		tab.status.SetSelected("Failed")
		loop.until(t, "failed payments count", func() bool { return tab.total >= 0 && tab.q.Status == "failed" })
		if want := sqlCount(t, connID, `SELECT count(*) FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0 AND status = 'failed'`); tab.total != want || want == 0 {
			t.Errorf("failed payments: %d, want %d", tab.total, want)
		}
		tab.status.SetSelectedIndex(0)
		loop.until(t, "all statuses again", func() bool { return tab.total >= 0 && tab.q.Status == "" })

		loop.until(t, "the first screen", func() bool { return tab.rows.loaded() > 0 })
		first, _ := tab.rows.row(0)
		test.Type(tab.search, first.ID)
		tab.applySearch() // as Enter does, without waiting for the pause
		loop.until(t, "the search", func() bool { return tab.total >= 0 && tab.q.Search == first.ID })
		if tab.total != 1 {
			t.Errorf("searching for %s finds %d payments", first.ID, tab.total)
		}
		tab.search.SetText("")
		tab.applySearch()
		loop.until(t, "the search cleared", func() bool { return tab.total >= 0 && tab.q.Search == "" })

		tab.sortBy("created") // oldest first now
		loop.until(t, "oldest first", func() bool { return tab.q.Asc && tab.rows.loaded() > 0 })
		oldest, _ := tab.rows.row(0)
		var wantID string
		db, _ := testkit.ChargesDB(t, dataTestCharges)
		_ = db.Reader().QueryRow(`SELECT id FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0 ORDER BY created, id LIMIT 1`, connID).Scan(&wantID)
		if oldest.ID != wantID {
			t.Errorf("oldest first starts with %s, want %s", oldest.ID, wantID)
		}
	})

	t.Run("a date range and a sort by amount", func(t *testing.T) {
		u, loop, d, connID := newDataTestUI(t)
		tab := d.dataTab("payments")
		loop.until(t, "payments count", func() bool { return tab.total >= 0 })
		// The generated charges end on 2026-01-01 00:00 UTC.
		u.p.Now = func() time.Time { return time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC) }
		tab.period.SetSelected("Last 7 days")
		loop.until(t, "the last 7 days", func() bool { return tab.total >= 0 && !tab.q.From.IsZero() })
		from, to := periodAt(periodIndex("last_7_days")).span(u.Now())
		want := sqlCount(t, connID, `SELECT count(*) FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0 AND created >= ? AND created < ?`,
			from.Unix(), to.Unix())
		if tab.total != want || want == 0 {
			t.Errorf("last 7 days: %d payments, want %d", tab.total, want)
		}

		tab.sortBy("amount")
		loop.until(t, "largest first", func() bool { return tab.q.SortBy == "amount" && tab.rows.loaded() > 0 })
		var maxAmount int64
		db, _ := testkit.ChargesDB(t, dataTestCharges)
		_ = db.Reader().QueryRow(`SELECT max(amount) FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0 AND created >= ? AND created < ?`,
			connID, from.Unix(), to.Unix()).Scan(&maxAmount)
		if r, _ := tab.rows.row(0); r.Values[1] != maxAmount {
			t.Errorf("sorted by amount, the first row has %v, want %d", r.Values[1], maxAmount)
		}
		header := newSortHeader()
		tab.updateHeader(widget.TableCellID{Row: -1, Col: 1}, header)
		if header.arrow.Resource == nil {
			t.Error("the Amount header shows no arrow")
		}
		if got := header.AccessibilityLabel(); got != "Amount, sorted in descending order. Click to sort in ascending order." {
			t.Errorf("the Amount header reads %q to a screen reader", got)
		}
	})

	t.Run("a click on a row shows the object's fields", func(t *testing.T) {
		u, loop, d, _ := newDataTestUI(t)
		tab := d.dataTab("payments")
		loop.until(t, "the first screen", func() bool { return tab.rows.loaded() > 0 })
		first, _ := tab.rows.row(0)
		tab.table.Select(widget.TableCellID{Row: 0, Col: 1})
		loop.until(t, "the fields", func() bool { return tab.details != nil })
		markup := test.RenderToMarkup(u.win.Canvas())
		for _, want := range []string{"Payment " + first.ID, "amount", "billing_details.address.city", "Copy ID"} {
			if !strings.Contains(markup, want) {
				t.Errorf("the row's dialog does not show %q", want)
			}
		}
	})

	t.Run("Export CSV… opens a save dialog with a file name", func(t *testing.T) {
		u, _, d, _ := newDataTestUI(t)
		tab := d.dataTab("payments")
		test.Tap(tab.export)
		markup := test.RenderToMarkup(u.win.Canvas())
		if !strings.Contains(markup, "payments-2026-11-26.csv") {
			t.Error("the save dialog does not offer payments-2026-11-26.csv")
		}
	})

	t.Run("Export CSV writes the rows on show and says so", func(t *testing.T) {
		u, loop, d, _ := newDataTestUI(t)
		tab := d.dataTab("payments")
		tab.status.SetSelected("Succeeded")
		loop.until(t, "succeeded payments", func() bool { return tab.total >= 0 && tab.q.Status == "succeeded" })
		out := &closingBuffer{}
		tab.exportTo(out, "payments.csv")
		// The button comes back on the UI goroutine after the export has
		// closed the file: from then on reading out is safe.
		loop.until(t, "the export", func() bool { return !tab.export.Disabled() })
		if !out.closed {
			t.Error("the export did not close the file")
		}
		recs, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs)-1 != tab.total {
			t.Errorf("exported %d rows, the tab shows %d", len(recs)-1, tab.total)
		}
		if msg := u.banner.Text(); msg != "Exported "+formatter().Number(int64(tab.total))+" payments to payments.csv." {
			t.Errorf("message %q", msg)
		}
	})
}

// closingBuffer is an export destination that records being closed.
type closingBuffer struct {
	bytes.Buffer
	closed bool
}

func (b *closingBuffer) Close() error { b.closed = true; return nil }

func cellAt(tab *dataTab, row, col int) string {
	l := tab.newCell().(*widget.Label)
	tab.updateCell(widget.TableCellID{Row: row, Col: col}, l)
	return l.Text
}
