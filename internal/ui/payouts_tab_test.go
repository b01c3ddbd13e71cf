package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/cli"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// payoutsAccount is a sandbox account synced into a real database in dir,
// with every paid or failed automatic payout's transactions linked, as of
// fixedNow (the sandbox's clock and the sync's).
type payoutsAccount struct {
	dir  string
	db   *store.DB
	wh   *warehouse.Warehouse
	conn domain.Connection
	sb   *sandbox.Server
	acct string
}

// fixedKey is the key source of a connection made with a restricted key.
type fixedKey string

func (k fixedKey) Key(context.Context, string) (string, error) { return string(k), nil }

func syncedPayouts(t *testing.T) *payoutsAccount {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return fixedNow }
	sb, err := sandbox.New(sandbox.Options{Seed: 1, Accounts: 1, Scale: 20000, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	acct := sb.Info().Accounts[0]
	a := &payoutsAccount{dir: t.TempDir(), sb: sb, acct: acct.ID}
	if a.db, err = store.Open(ctx, store.Options{Dir: a.dir}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.db.Close() })
	a.conn = domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: acct.Name, AccountID: acct.ID,
		AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: fixedNow}
	if err := a.db.CreateConnection(ctx, a.conn, nil); err != nil {
		t.Fatal(err)
	}
	if a.wh, err = warehouse.New(warehouse.Options{DB: a.db}); err != nil {
		t.Fatal(err)
	}
	eng, err := syncer.New(syncer.Params{Store: a.db, Warehouse: a.wh, Keys: fixedKey(acct.APIKey), APIBase: base,
		LockDir: a.dir, Limits: syncer.Limits{Off: true}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// A Follow sync links the older payouts between its polls; it stops
	// once every paid or failed automatic payout has its links.
	follow, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- eng.Sync(follow, a.conn.ID, syncer.Options{Follow: true, PollEvery: 20 * time.Millisecond})
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for a.unlinked(t) != 0 || a.count(t, `SELECT count(*) FROM stripe_payouts WHERE connection_id = ?`) == 0 {
		select {
		case err := <-done:
			stop()
			t.Fatalf("the sync ended early: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatal("two minutes of following did not link every payout")
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return a
}

// unlinked counts the paid or failed automatic payouts without links yet.
func (a *payoutsAccount) unlinked(t *testing.T) int {
	return a.count(t, `SELECT count(*) FROM stripe_payouts p WHERE p.connection_id = ? AND p.automatic = 1
		AND p.status IN ('paid', 'failed') AND p.is_deleted = 0
		AND NOT EXISTS (SELECT 1 FROM sync_payout_links m WHERE m.connection_id = p.connection_id AND m.payout = p.id)`)
}

// count runs a plain SQL count over the connection.
func (a *payoutsAccount) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := a.db.Reader().QueryRow(q, append([]any{a.conn.ID}, args...)...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sqlPayout is a payout as plain SQL reads it from stripe_payouts.
type sqlPayout struct {
	id, currency, status string
	amount, arrival      int64
}

// sqlPayouts are the payouts arriving in p, read with plain SQL, newest
// arrival first (then id, newest first), as the list orders them.
func (a *payoutsAccount) sqlPayouts(t *testing.T, p reports.Period) []sqlPayout {
	t.Helper()
	rows, err := a.db.Reader().Query(`SELECT id, currency, status, amount, arrival_date FROM stripe_payouts
		WHERE connection_id = ? AND is_deleted = 0 AND arrival_date >= ? AND arrival_date < ?
		ORDER BY arrival_date DESC, id DESC`, a.conn.ID, p.From.Unix(), p.To.Unix())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sqlPayout
	for rows.Next() {
		var s sqlPayout
		if err := rows.Scan(&s.id, &s.currency, &s.status, &s.amount, &s.arrival); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// openPayouts opens the account's Payouts tab on the window's test
// driver, the reports and objects read from the real database.
func (a *payoutsAccount) openPayouts(t *testing.T) (*UI, uiLoop, *payoutsTab) {
	t.Helper()
	src := &fakeSource{rows: []domain.Connection{a.conn}}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	r := reports.New(a.db.Reader(), func() time.Time { return fixedNow })
	u.p.Payouts = r
	u.p.Browse = NewBrowseService(browse.New(a.db.Reader()))
	loop.until(t, "rows load", func() bool { return len(u.rows) == 1 })
	u.Go(routeConnection(a.conn.ID, tabPayouts))
	d := u.current.(*detailsPage)
	if d.selectedTab() != tabPayouts {
		t.Fatalf("the page opened on %s", d.selectedTab())
	}
	loop.until(t, "the payouts load", func() bool { return d.payouts.loaded })
	return u, loop, d.payouts
}

// listTexts are the list's cells as the table shows them.
func listTexts(tab *payoutsTab) [][]string {
	out := make([][]string, len(tab.rows))
	for i, p := range tab.rows {
		for c := range payoutColumns {
			out[i] = append(out[i], payoutCell(p, c).text)
		}
	}
	return out
}

func TestThePayoutsTab(t *testing.T) {
	useLanguage(t, i18n.English)
	a := syncedPayouts(t)
	r := reports.New(a.db.Reader(), func() time.Time { return fixedNow })
	ctx := context.Background()
	f := localefmt.New("en-US")
	utc := localefmt.New("en-US", localefmt.InZone(time.UTC))
	last30, _ := reports.PresetPeriod(reports.PeriodLast30Days, fixedNow, fixedNow.Location())

	u, loop, tab := a.openPayouts(t)

	t.Run("opens on the last 30 days: the list is the payouts report's, and plain SQL's", func(t *testing.T) {
		want, err := r.Payouts(ctx, []string{a.conn.ID}, last30)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tab.rows, want) {
			t.Fatalf("the list holds %d payouts, the report %d:\n%v\n%v", len(tab.rows), len(want), tab.rows, want)
		}
		byHand := a.sqlPayouts(t, last30)
		if len(byHand) < 3 {
			t.Fatalf("%d payouts in the last 30 days: the test proves little", len(byHand))
		}
		if len(byHand) != len(tab.rows) {
			t.Fatalf("plain SQL finds %d payouts, the list shows %d", len(byHand), len(tab.rows))
		}
		cells := listTexts(tab)
		for i, s := range byHand {
			row := cells[i]
			if row[payoutColArrival] != utc.Date(time.Unix(s.arrival, 0)) || row[payoutColAmount] != f.Money(s.amount, s.currency) {
				t.Errorf("row %d shows %q; SQL says %s arriving %s, %d %s", i, row, s.id, time.Unix(s.arrival, 0).UTC(), s.amount, s.currency)
			}
			if tab.rows[i].ID != s.id {
				t.Errorf("row %d is %s, SQL's is %s", i, tab.rows[i].ID, s.id)
			}
		}
		if !strings.Contains(tab.zone.Text, "Arriving Oct 28, 2026 – Nov 26, 2026, days in UTC") {
			t.Errorf("the period line reads %q", tab.zone.Text)
		}
		// Paid out: the paid payouts' amounts, by SQL, this period and the
		// one before.
		for _, c := range []struct {
			p    reports.Period
			name string
		}{{last30, "this period"}, {last30.Previous(), "the period before"}} {
			var total int64
			var n int
			cur := ""
			for _, s := range a.sqlPayouts(t, c.p) {
				if s.status == "paid" {
					total, n, cur = total+s.amount, n+1, s.currency
				}
			}
			if n == 0 {
				t.Fatalf("no paid payout in %s", c.name)
			}
			if want := f.Money(total, cur) + " (" + i18n.N("payouts.count", n) + ")"; !strings.Contains(tab.summary.Text, want) {
				t.Errorf("the summary %q does not say %s paid out %q", tab.summary.Text, c.name, want)
			}
		}
	})

	// The newest paid payout with transactions: every transaction is the
	// sandbox's own truth, and they add up to the payout.
	pick := slices.IndexFunc(tab.rows, func(p reports.PayoutRow) bool { return p.Status == "paid" && p.Links > 1 })
	if pick < 0 {
		t.Fatal("no paid payout with transactions in the last 30 days")
	}
	payout := tab.rows[pick]
	selectPayout := func(t *testing.T, row int) *reports.PayoutDetail {
		t.Helper()
		tab.list.table.Select(widget.TableCellID{Row: row, Col: payoutColAmount})
		loop.until(t, "its transactions show", func() bool {
			return tab.detail.shown != nil && tab.detail.shown.Payout.ID == tab.rows[row].ID
		})
		return tab.detail.shown
	}

	t.Run("a payout's transactions add up to its amount, and are the ones Stripe paid out", func(t *testing.T) {
		d := selectPayout(t, pick)
		truth, ok := a.sb.PayoutLinks(a.acct, payout.ID)
		if !ok {
			t.Fatalf("the sandbox knows no payout %s", payout.ID)
		}
		var ids []string
		var net int64
		for _, tx := range d.Transactions {
			ids, net = append(ids, tx.ID), net+tx.Net
			if tx.Net != tx.Gross-tx.Fee {
				t.Errorf("%s: net %d ≠ gross %d − fee %d", tx.ID, tx.Net, tx.Gross, tx.Fee)
			}
		}
		slices.Sort(ids)
		if !slices.Equal(ids, slices.Sorted(slices.Values(truth.Links))) {
			t.Errorf("shows transactions %v, the sandbox paid out %v", ids, truth.Links)
		}
		var amount int64
		if err := a.db.Reader().QueryRow(`SELECT amount FROM stripe_payouts WHERE connection_id = ? AND id = ?`, a.conn.ID, payout.ID).Scan(&amount); err != nil {
			t.Fatal(err)
		}
		if net != amount || truth.Amount != amount {
			t.Fatalf("the transactions' net adds up to %d; the payout is %d (the sandbox: %d)", net, amount, truth.Amount)
		}
		if tab.detail.rowCount() != len(truth.Links) {
			t.Errorf("the table has %d rows for %d transactions", tab.detail.rowCount(), len(truth.Links))
		}
		if want := "net " + f.Money(amount, payout.Currency) + " = the payout's " + f.Money(amount, payout.Currency); !strings.Contains(tab.detail.totals.Text, want) {
			t.Errorf("the totals read %q, want %q", tab.detail.totals.Text, want)
		}
		if got := payoutCell(payout, payoutColMark); got.text != "Reconciled" || got.icon != theme.ConfirmIcon() {
			t.Errorf("the mark is %q", got.text)
		}
		if !strings.HasPrefix(tab.detail.mark.Text, "Reconciled: its ") || tab.detail.export.Disabled() {
			t.Errorf("the detail says %q (export disabled: %v)", tab.detail.mark.Text, tab.detail.export.Disabled())
		}
		cells := make([]string, len(txnColumns))
		for c := range txnColumns {
			cells[c] = txnCell(d.Transactions[0], c).text
		}
		tx := d.Transactions[0]
		if cells[txnColGross] != f.Money(tx.Gross, tx.Currency) || cells[txnColFee] != f.Money(tx.Fee, tx.Currency) ||
			cells[txnColNet] != f.Money(tx.Net, tx.Currency) || cells[txnColCreated] != f.DateTime(tx.Created) {
			t.Errorf("the first transaction's cells %q for %+v", cells, tx)
		}
	})

	t.Run("a transaction's row opens its balance transaction", func(t *testing.T) {
		d := tab.detail.shown
		tab.detail.table.table.Select(widget.TableCellID{Row: 0, Col: txnColNet})
		loop.until(t, "the object opens", func() bool { return u.win.Canvas().Overlays().Top() != nil })
		markup := test.RenderToMarkup(u.win.Canvas())
		if !strings.Contains(markup, "Balance transaction "+d.Transactions[0].ID) {
			t.Error("the dialog does not name the balance transaction")
		}
		closeDialogs(u)
	})

	t.Run("the reconciliation CSV is the command's, byte for byte, and only its owner reads it", func(t *testing.T) {
		d := *tab.detail.shown
		var out, errOut bytes.Buffer
		code := cli.Run(ctx, []string{"--data-dir", a.dir, "report", "payout", payout.ID, "--connection", a.conn.ID, "--csv"},
			cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Zone: time.UTC,
				Now: func() time.Time { return fixedNow }})
		if code != 0 {
			t.Fatalf("report payout: exit %d: %s", code, errOut.String())
		}
		if n := strings.Count(out.String(), "\n"); n != len(d.Transactions)+1 {
			t.Fatalf("the command's CSV has %d lines for %d transactions", n, len(d.Transactions))
		}
		dir := t.TempDir()
		old := filepath.Join(dir, "old.csv")
		if err := os.WriteFile(old, []byte("something longer than nothing, left from before\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{filepath.Join(dir, "new.csv"), old} {
			w, err := storage.Writer(storage.NewFileURI(path)) // what the file dialog hands back
			if err != nil {
				t.Fatal(err)
			}
			tab.detail.exportTo(w, filepath.Base(path), d)
			loop.until(t, "the export ends", func() bool { return !tab.detail.export.Disabled() })
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, out.Bytes()) {
				t.Errorf("%s:\n%s\nthe command's:\n%s", filepath.Base(path), got, out.Bytes())
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v (%v), want 0600", filepath.Base(path), fi.Mode().Perm(), err)
			}
			if !slices.ContainsFunc(u.banner.text.Segments, func(s widget.RichTextSegment) bool {
				return s.Textual() == filepath.Base(path)
			}) {
				t.Errorf("the banner does not name %s", filepath.Base(path))
			}
		}
	})

	t.Run("the period picker changes the list, keeping the chosen payout while it is in it", func(t *testing.T) {
		tab.period.SetSelected("This year")
		year, _ := reports.PresetPeriod(reports.PeriodThisYear, fixedNow, fixedNow.Location())
		want, err := r.Payouts(ctx, []string{a.conn.ID}, year)
		if err != nil {
			t.Fatal(err)
		}
		loop.until(t, "the year's payouts show", func() bool { return len(tab.rows) == len(want) })
		if len(want) <= len(a.sqlPayouts(t, last30)) || !slices.Equal(tab.rows, want) || len(a.sqlPayouts(t, year)) != len(want) {
			t.Errorf("this year: the list holds %d payouts, the report %d, SQL %d", len(tab.rows), len(want), len(a.sqlPayouts(t, year)))
		}
		loop.until(t, "the chosen payout is read again", func() bool {
			return tab.detail.shown != nil && tab.detail.shown.Payout.ID == payout.ID
		})
		tab.period.SetSelected("Last month") // October: the payout arrives in November
		october, _ := reports.PresetPeriod(reports.PeriodLastMonth, fixedNow, fixedNow.Location())
		loop.until(t, "October's payouts show", func() bool { return len(tab.rows) == len(a.sqlPayouts(t, october)) })
		if slices.ContainsFunc(tab.rows, func(p reports.PayoutRow) bool { return p.ID == payout.ID }) {
			t.Fatalf("%s arrives in October", payout.ID)
		}
		if tab.detail.shown != nil || !tab.detail.export.Disabled() || tab.chosen != "" {
			t.Error("the payout chosen before stays on show in a period without it")
		}
		tab.period.SetSelected("Last 30 days")
		loop.until(t, "the last 30 days show again", func() bool { return len(tab.rows) == len(a.sqlPayouts(t, last30)) })
	})

	t.Run("a payout made not to reconcile is marked, in words and with an icon, with the difference", func(t *testing.T) {
		// Its links lose one transaction, as a copy that missed it would.
		d, err := r.Payout(ctx, a.conn.ID, payout.ID)
		if err != nil {
			t.Fatal(err)
		}
		dropped := d.Transactions[len(d.Transactions)-1]
		var keep []warehouse.PayoutLink
		for _, tx := range d.Transactions[:len(d.Transactions)-1] {
			keep = append(keep, warehouse.PayoutLink{BalanceTransaction: tx.ID, Type: tx.Type, Amount: tx.Gross, Fee: tx.Fee,
				Net: tx.Net, Currency: tx.Currency, Source: tx.Source})
		}
		if err := a.wh.ApplyPayoutLinks(ctx, a.conn.ID, payout.ID, keep); err != nil {
			t.Fatal(err)
		}
		tab.load()
		loop.until(t, "the list is read again", func() bool {
			i := slices.IndexFunc(tab.rows, func(p reports.PayoutRow) bool { return p.ID == payout.ID })
			return i >= 0 && !tab.rows[i].Reconciled
		})
		row := slices.IndexFunc(tab.rows, func(p reports.PayoutRow) bool { return p.ID == payout.ID })
		diff := f.Money(dropped.Net, payout.Currency) // the payout − what is left = the dropped net
		mark := payoutCell(tab.rows[row], payoutColMark)
		if mark.text != "Doesn't reconcile: "+diff+" difference" || mark.icon != theme.WarningIcon() {
			t.Errorf("the mark reads %q", mark.text)
		}
		shown := selectPayout(t, row)
		if len(shown.Transactions) != len(d.Transactions)-1 {
			t.Errorf("%d transactions shown", len(shown.Transactions))
		}
		if !strings.Contains(tab.detail.mark.Text, "a difference of "+diff) || tab.detail.markIcon.Resource != theme.WarningIcon() {
			t.Errorf("the detail says %q", tab.detail.mark.Text)
		}
		if !strings.HasSuffix(tab.detail.totals.Text, "the payout is "+f.Money(payout.Amount, payout.Currency)+", a difference of "+diff) {
			t.Errorf("the totals read %q", tab.detail.totals.Text)
		}
		// Every other payout of the account still reconciles to the cent.
		all, _ := reports.CustomPeriod(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), fixedNow.AddDate(1, 0, 0))
		rows, err := r.Payouts(ctx, []string{a.conn.ID}, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range rows {
			if p.LinksSynced && p.Reconciled == (p.ID == payout.ID) {
				t.Errorf("payout %s (%s): reconciled %v", p.ID, p.Status, p.Reconciled)
			}
		}
	})
}
