package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
	"github.com/ledgerline/ledgerline/internal/warehouse"
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

	// Issue 12: the window's export file was created 0644, and an
	// overwritten one kept its mode.
	t.Run("Export CSV… to a local file leaves it readable by its owner only, new or overwritten", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no Unix modes")
		}
		_, loop, d, _ := newDataTestUI(t)
		tab := d.dataTab("payments")
		loop.until(t, "the rows", func() bool { return tab.total > 0 })
		path := filepath.Join(t.TempDir(), "payments.csv")
		if err := os.WriteFile(path, []byte("someone else's old export"), 0o644); err != nil {
			t.Fatal(err)
		}
		_ = os.Chmod(path, 0o644)
		for _, existing := range []bool{true, false} {
			if !existing {
				_ = os.Remove(path)
			}
			w, err := storage.Writer(storage.NewFileURI(path)) // what the save dialog hands over
			if err != nil {
				t.Fatal(err)
			}
			out, err := exportFile(w)
			if err != nil {
				t.Fatal(err)
			}
			tab.exportTo(out, "payments.csv")
			loop.until(t, "the export", func() bool { return !tab.export.Disabled() })
			fi, err := os.Stat(path)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("existing %v: mode %v, %v; want 0600", existing, fi.Mode().Perm(), err)
			}
			data, _ := os.ReadFile(path)
			if recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll(); err != nil || len(recs)-1 != tab.total {
				t.Fatalf("existing %v: %d rows (%v), want %d", existing, len(recs)-1, err, tab.total)
			}
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

// swedishShopCreated is when the Swedish shop's big payment was made:
// 7 December 2026 at noon UTC, the 7th in every zone from -11 to +11.
var swedishShopCreated = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// swedishShopDB is a real database in t.TempDir() with one connection and
// two charges: 1 234,50 kr that succeeded (the newest) and $12.99 that
// failed a day earlier.
func swedishShopDB(t *testing.T) (*store.DB, domain.Connection) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	c := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: "Ljusboden",
		AccountID: "acct_1Ljusboden", AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: fixedNow}
	if err := db.CreateConnection(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	charges, _ := warehouse.TypeByName("charges")
	var rows []warehouse.Row
	for _, ch := range []map[string]any{
		{"id": "ch_3Sek000000000001", "object": "charge", "created": swedishShopCreated.Unix(), "amount": 123450,
			"amount_refunded": 0, "currency": "sek", "status": "succeeded", "livemode": false, "customer": "cus_Ljus0001",
			"description": "Ljusstakar", "payment_method_details": map[string]any{"type": "card"}},
		{"id": "ch_3Usd000000000002", "object": "charge", "created": swedishShopCreated.Add(-24 * time.Hour).Unix(), "amount": 1299,
			"amount_refunded": 0, "currency": "usd", "status": "failed", "failure_code": "card_declined", "livemode": false,
			"payment_method_details": map[string]any{"type": "card"}},
	} {
		raw, _ := json.Marshal(ch)
		r, err := warehouse.Prepare(charges, raw, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if err := wh.Apply(ctx, c.ID, charges, rows, nil); err != nil {
		t.Fatal(err)
	}
	return db, c
}

func TestDataTabsInSwedish(t *testing.T) {
	t.Run("the Payments tab speaks Swedish and writes money and dates the Swedish way", func(t *testing.T) {
		// Given a shop with a payment of 1 234,50 kr, and the window in Swedish.
		db, c := swedishShopDB(t)
		src := &fakeSource{rows: []domain.Connection{c}}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		u.p.Browse = NewBrowseService(browse.New(db.Reader()))
		if err := i18n.Use(i18n.Swedish); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = i18n.Use(i18n.English) })
		if i18n.FormatLocale() != "sv-SE" {
			t.Fatalf("Swedish writes numbers for %s", i18n.FormatLocale())
		}

		// When the owner opens the shop's Payments tab.
		u.openConnection(c, "payments")
		d := u.current.(*detailsPage)
		tab := d.dataTab("payments")
		loop.until(t, "the payments counted and read", func() bool { return tab.total >= 0 && tab.rows.loaded() > 0 })

		// Then the tab, its controls, headers, cells and count are Swedish.
		if got := d.tabs.Selected().Text; got != "Betalningar" {
			t.Errorf("tab %q", got)
		}
		if tab.search.PlaceHolder != "Sök på ID, kund eller beskrivning" {
			t.Errorf("search hint %q", tab.search.PlaceHolder)
		}
		if got := strings.Join(tab.status.Options, ","); got != "Alla statusar,Genomförd,Väntande,Misslyckad" {
			t.Errorf("status filter %s", got)
		}
		if tab.period.Selected != "Hela tiden" || !strings.Contains(strings.Join(tab.period.Options, ","), "Senaste 7 dagarna") {
			t.Errorf("period filter %q of %v", tab.period.Selected, tab.period.Options)
		}
		if tab.export.Text != "Exportera CSV…" {
			t.Errorf("export button %q", tab.export.Text)
		}
		if tab.count.Text != "2 betalningar" {
			t.Errorf("count %q", tab.count.Text)
		}
		var headers []string
		for col := range tab.view.Columns {
			h := newSortHeader()
			tab.updateHeader(widget.TableCellID{Row: -1, Col: col}, h)
			headers = append(headers, h.label.Text)
		}
		if got := strings.Join(headers, ","); got != "Datum,Belopp,Status,Kund,Beskrivning,Betalsätt,Felorsak,Återbetalt" {
			t.Errorf("headers %s", got)
		}
		amount := newSortHeader()
		tab.updateHeader(widget.TableCellID{Row: -1, Col: 1}, amount)
		if got := amount.AccessibilityLabel(); got != "Belopp. Klicka för att sortera efter den här kolumnen." {
			t.Errorf("the Amount header reads %q", got)
		}
		// Row 0 is the newest: the krona payment. CLDR's sv-SE puts a
		// no-break space (U+00A0) in the digits' grouping and before "kr".
		if got := cellAt(tab, 0, 1); got != "1\u00a0234,50\u00a0kr" {
			t.Errorf("amount %q (% x), want 1 234,50 kr", got, got)
		}
		if got := cellAt(tab, 1, 1); got != "12,99\u00a0US$" {
			t.Errorf("dollar amount %q", got)
		}
		if got := cellAt(tab, 0, 2); got != "Genomförd" {
			t.Errorf("status %q", got)
		}
		if got := cellAt(tab, 1, 2); got != "Misslyckad" {
			t.Errorf("status %q", got)
		}
		if got := cellAt(tab, 1, 5) + " / " + cellAt(tab, 1, 6); got != "Kort / Kortet nekades" {
			t.Errorf("method / failure %q", got)
		}
		date := cellAt(tab, 0, 0)
		if want := localefmt.New("sv-SE").DateTime(swedishShopCreated); date != want || !strings.HasPrefix(date, "7 dec. 2026 ") {
			t.Errorf("date %q, want %q (7 dec. 2026 and the local time)", date, want)
		}

		// And a filter with no match says so in Swedish.
		tab.status.SetSelected("Väntande")
		loop.until(t, "pending payments", func() bool { return tab.total >= 0 && tab.q.Status == "pending" })
		if !tab.empty.Visible() || tab.empty.Text != "Inga betalningar matchar de här filtren." {
			t.Errorf("empty table says %q", tab.empty.Text)
		}
		tab.status.SetSelectedIndex(0)
		loop.until(t, "all payments again", func() bool { return tab.total == 2 && tab.rows.loaded() > 0 })

		// The row's dialog and the export's message are Swedish too.
		tab.table.Select(widget.TableCellID{Row: 0, Col: 1})
		loop.until(t, "the fields", func() bool { return tab.details != nil })
		markup := test.RenderToMarkup(u.win.Canvas())
		for _, want := range []string{"Betalning ch_3Sek000000000001", "Kopiera ID", "Kopiera alla fält", "Stäng"} {
			if !strings.Contains(markup, want) {
				t.Errorf("the row's dialog does not show %q", want)
			}
		}
		tab.details.dialog.Hide()
		out := &closingBuffer{}
		tab.exportTo(out, "betalningar.csv")
		loop.until(t, "the export", func() bool { return !tab.export.Disabled() })
		if msg := u.banner.Text(); msg != "2 betalningar har exporterats till betalningar.csv." {
			t.Errorf("message %q", msg)
		}
		// The CSV's headers stay the stable English keys analysts' scripts read.
		if head, _, _ := strings.Cut(out.String(), "\n"); head != "id,created,amount,status,customer,description,payment_method_type,failure_code,amount_refunded,currency" {
			t.Errorf("CSV header %q", head)
		}
	})

	t.Run("a count of one is singular, and large counts are grouped", func(t *testing.T) {
		if err := i18n.Use(i18n.Swedish); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = i18n.Use(i18n.English) })
		tab := &dataTab{view: browse.Views()[0], f: formatter()}
		for n, want := range map[int]string{1: "1 betalning", 1234: "1\u00a0234 betalningar"} {
			tab.total = n
			if got := tab.countText(); got != want {
				t.Errorf("%d: %q, want %q", n, got, want)
			}
		}
		_ = i18n.Use(i18n.English)
		tab.f = formatter()
		for n, want := range map[int]string{1: "1 payment", 1234: "1,234 payments"} {
			tab.total = n
			if got := tab.countText(); got != want {
				t.Errorf("%d: %q, want %q", n, got, want)
			}
		}
	})
}

func TestDataTabWords(t *testing.T) {
	t.Run("every view's words, columns and statuses are in the catalog in every language", func(t *testing.T) {
		// Stripe's collection methods show through the Status kind too.
		statuses := []string{"charge_automatically", "send_invoice"}
		var keys []string
		for _, v := range browse.Views() {
			statuses = append(statuses, v.Statuses...)
			for _, name := range []string{"search_hint", "count", "empty", "no_match", "open_error", "read_error",
				"exported", "too_many_to_sort", "details_title"} {
				keys = append(keys, "data."+v.Name+"."+name)
			}
			for _, c := range v.Columns {
				keys = append(keys, "data."+v.Name+".column."+c.Key)
			}
		}
		for _, s := range statuses {
			keys = append(keys, "data.status."+s)
		}
		for _, p := range periods {
			keys = append(keys, "data.period."+p.key)
		}
		// The codes the generated charges use (testkit.ChargesDB).
		keys = append(keys, "data.method.card", "data.failure.card_declined")
		for _, l := range i18n.Languages() {
			msgs, err := i18n.Messages(l)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				if _, ok := msgs[k]; !ok {
					t.Errorf("%s: no %q", l, k)
				}
			}
		}
	})

	t.Run("a sort over too many rows is said in the view's words, naming the column", func(t *testing.T) {
		u, _, d, _ := newDataTestUI(t)
		tab := d.dataTab("payments")
		tab.showError("open_error", fmt.Errorf("opening: %w", &browse.SortLimitError{View: "payments", Column: "amount", Limit: 100_000}))
		want := "More than " + formatter().Number(100_000) + " payments match, too many to sort by “Amount”. Choose a shorter period or a status first."
		if msg := u.banner.Text(); msg != want {
			t.Errorf("message %q, want %q", msg, want)
		}
	})

	t.Run("an export that fails names the file and says why", func(t *testing.T) {
		u, loop, d, _ := newDataTestUI(t)
		tab := d.dataTab("payments")
		tab.exportTo(failingFile{}, "full-disk.csv")
		loop.until(t, "the export", func() bool { return !tab.export.Disabled() })
		// The reason is errorText's sentence for the write's error.
		msg := u.banner.Text()
		if reason, ok := strings.CutPrefix(msg, "The export to full-disk.csv stopped: "); !ok || strings.TrimSpace(reason) == "" {
			t.Errorf("message %q", msg)
		}
		if !slices.ContainsFunc(u.banner.text.Segments, func(s widget.RichTextSegment) bool {
			ts, ok := s.(*widget.TextSegment)
			return ok && ts.Text == "full-disk.csv" && ts.Style.TextStyle.Bold
		}) {
			t.Error("the file's name is not in bold")
		}
	})
}

// failingFile is an export destination whose every write fails.
type failingFile struct{}

func (failingFile) Write([]byte) (int, error) { return 0, errors.New("the disk is full") }
func (failingFile) Close() error              { return nil }

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
