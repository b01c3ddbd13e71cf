package ui

import (
	"context"
	"errors"
	"github.com/ledgerline/ledgerline/internal/backups"
	"html"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// pseudoLocale is the format locale the walk uses, so numbers, amounts and
// dates come out as Swedish ones do while every word is marked.
const pseudoLocale = "sv-SE"

// usePseudo switches u to the pseudo-locale: every catalog message marked
// ⟦…⟧. The window is built again in it, as a language switch does.
func usePseudo(t *testing.T, u *UI) {
	t.Helper()
	msgs, err := i18n.PseudoMessages()
	if err != nil {
		t.Fatal(err)
	}
	if err := i18n.UseMessages(msgs, pseudoLocale); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = i18n.Use(i18n.English) })
	u.relabel()
}

// keyName matches a shortcut's keys, "Ctrl+N", as keyboards label them.
var keyName = regexp.MustCompile(`^(Ctrl|Cmd|Alt)\+`)

// textInMarkup finds the texts a markup rendering shows.
var textInMarkup = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)

// wordsWalk collects, across every page and dialog the walk visits, the
// texts that carry words without the pseudo-locale's marks.
type wordsWalk struct {
	t    *testing.T
	data map[string]bool // what the data shows: names, ids, the brand names
	bad  map[string][]string
}

func newWordsWalk(t *testing.T, data ...string) *wordsWalk {
	w := &wordsWalk{t: t, data: map[string]bool{}, bad: map[string][]string{}}
	// Brand names, and each language's name in itself on purpose.
	for _, s := range append([]string{"Stripe", "PayPal", "Shopify", "English", "Svenska"}, data...) {
		w.data[s] = true
	}
	// Month names are the locale's own (localefmt's CLDR data).
	f := formatter()
	for m := time.January; m <= time.December; m++ {
		w.data[f.MonthShort(time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC))] = true
	}
	return w
}

// check flags a text that has letters but neither the marks, a digit
// (amounts, dates, counts and ids are formatted data) nor a data value.
func (w *wordsWalk) check(where, text string) {
	text = strings.TrimSpace(text)
	if text == "" || i18n.IsPseudo(text) || w.data[text] || keyName.MatchString(text) {
		return
	}
	letters, digits := false, false
	for _, r := range text {
		letters = letters || unicode.IsLetter(r)
		digits = digits || unicode.IsDigit(r)
	}
	if letters && !digits {
		w.bad[text] = append(w.bad[text], where)
	}
}

// screen checks everything the window shows now, dialogs included.
func (w *wordsWalk) screen(where string, u *UI) {
	for _, m := range textInMarkup.FindAllStringSubmatch(test.RenderToMarkup(u.win.Canvas()), -1) {
		w.check(where, html.UnescapeString(m[1]))
	}
	w.check(where+" (title)", u.win.Title())
}

// menu checks every label of the main menu.
func (w *wordsWalk) menu(u *UI) {
	var walk func(m *fyne.Menu)
	walk = func(m *fyne.Menu) {
		w.check("menu", m.Label)
		for _, i := range m.Items {
			if !i.IsSeparator {
				w.check("menu", i.Label)
			}
			if i.ChildMenu != nil {
				walk(i.ChildMenu)
			}
		}
	}
	for _, m := range u.menu.main.Items {
		walk(m)
	}
}

func (w *wordsWalk) report() {
	w.t.Helper()
	var texts []string
	for s := range w.bad {
		texts = append(texts, s)
	}
	sort.Strings(texts)
	for _, s := range texts {
		w.t.Errorf("%q bypasses the catalog (seen on %s)", s, strings.Join(w.bad[s], ", "))
	}
}

// closeDialogs hides every dialog on show.
func closeDialogs(u *UI) {
	for u.win.Canvas().Overlays().Top() != nil {
		u.win.Canvas().Overlays().Remove(u.win.Canvas().Overlays().Top())
	}
}

// The window walked in a pseudo-locale whose every message is marked ⟦…⟧:
// every page, tab and dialog a person can reach, the menu, notifications and
// the messages at the top. A text with words but without the marks was
// written outside the catalog.
func TestEveryWordComesFromTheCatalog(t *testing.T) {
	db, connID := testkit.ChargesDB(t, 300)
	rows := threeConnections()
	rows[0].ID = connID
	src := &fakeSource{rows: rows}
	conn := &fakeConnector{source: src, noBroker: false, newConn: rows[0]}
	u, loop := newTestUI(t, src, conn)
	u.p.Browse = NewBrowseService(browse.New(db.Reader()))
	u.p.Reports = &fakeReports{}
	// Figures still being copied: from a date on (money), and none yet
	// (the other tabs), so both "still copying" lines are walked.
	copying := keptLastMonth()
	copying.Coverage = reports.Completeness{Complete: true, From: fixedNow.AddDate(0, -1, 0), Copying: []string{"charges"}}
	u.p.Money = &fakeMoney{report: copying}
	insights := &fakeInsights{copying: &reports.Completeness{Copying: []string{"invoices"}}}
	u.p.Subscriptions, u.p.AtRisk = insights, insights
	u.p.Payouts = &fakePayouts{}
	u.p.Sync = &fakeSync{progress: halfway(connID)}
	u.p.Database = db
	u.p.Backups = &recordedBackups{DB: db}
	var notes []string
	u.p.Notify = func(title, body string) { notes = append(notes, title, body) }
	loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
	usePseudo(t, u)

	data := []string{}
	for _, c := range rows {
		data = append(data, c.Name, c.AccountID, c.ShortAccountID())
	}
	data = append(data, "SEK")     // an ISO currency code, as the money tab's currency column shows it
	data = append(data, "copy.db") // a file name the owner chose
	w := newWordsWalk(t, data...)
	w.menu(u)
	w.screen("Connections", u)

	u.Go(routeAllStores)
	loop.until(t, "All stores' figures load", func() bool { return u.current.(*allStoresPage).money.shown != nil })
	loop.until(t, "All stores' months load", func() bool { return u.current.(*allStoresPage).money.months.shown != nil })
	pointAtCharts(t, u.current.(*allStoresPage).money.months.charts)
	w.screen("All stores", u)
	u.Go(routeAddSource)
	w.screen("Add a Data Source", u)
	u.Go(routeStripe)
	w.screen("Stripe", u)
	// A sign-in waiting for the browser, with the link to copy.
	const link = "http://127.0.0.1:8787/oauth/authorize?client_id=ledgerline-desktop"
	w.data[link] = true // an address, not words
	conn.connect = func(ctx context.Context) (domain.Connection, error) {
		<-ctx.Done()
		return domain.Connection{}, domain.ErrCanceled
	}
	test.Tap(u.stripePage().connect)
	u.SignInLink(link)
	loop.until(t, "the sign-in link shows", func() bool { return u.stripePage().link.box.Visible() })
	w.screen("Stripe, waiting, with the link", u)
	test.Tap(u.stripePage().link.copy)
	w.screen("Stripe, the link copied", u)
	test.Tap(u.stripePage().cancel)
	loop.until(t, "the sign-in ends", func() bool { return u.signIn.stop == nil })
	conn.connect = nil
	// A re-authentication waiting for the browser, with the link in the message.
	conn.reauthWait = make(chan struct{})
	u.Reauthenticate(rows[1])
	u.SignInLink(link)
	loop.until(t, "the re-authentication's link shows", func() bool { return strings.Contains(u.banner.text.String(), "⟦") && u.reauthRunning })
	w.screen("re-authenticating, with the link", u)
	close(conn.reauthWait)
	loop.until(t, "the re-authentication ends", func() bool { return !u.reauthRunning })
	conn.reauthWait = nil
	u.Go(routeStripe)
	test.Tap(u.stripePage().useKey)
	w.screen("the API key dialog", u)
	key := u.stripePage().keyDialog
	key.entry.SetText("pk_test_wrong")
	key.start()
	loop.until(t, "the key is refused", func() bool { return key.problem.Visible() })
	w.screen("the API key dialog with a refused key", u)
	key.close()

	u.ShowError(errBrokerDown)
	w.screen("an error message", u)
	u.Connected(rows[0], "")
	w.screen("Connection successful!", u)
	u.CheckDatabase(true, nil)
	w.screen("the database check after a crash", u)
	checking := u.banner.Text()
	loop.until(t, "the check ends", func() bool { return u.banner.Text() != checking })
	w.screen("the database is sound", u)
	u.backUpTo(filepath.Join(t.TempDir(), "copy.db"))
	w.screen("a backup running", u)
	backingUp := u.banner.Text()
	loop.until(t, "the backup ends", func() bool { return u.banner.Text() != backingUp })
	w.screen("a backup made", u)
	u.AutomaticBackupDone(backups.Result{}, errBrokerDown)
	w.screen("an automatic backup failed", u)
	u.showAutomaticBackups()
	w.screen("Automatic Backups…", u)
	u.backupDialog.Hide()

	for _, name := range connectionTabNames() {
		u.Go(routeConnection(connID, name))
		d := u.current.(*detailsPage)
		if d.selectedTab() != name {
			continue
		}
		if t := d.shownDataTab(); t != nil {
			loop.until(w.t, name+" counts", func() bool { return t.total >= 0 })
		}
		if name == tabOverview {
			loop.until(w.t, "the figures load", func() bool { return d.overview.title.Text != "" })
			pointAtCharts(t, []*chart{d.overview.graph})
		}
		if name == tabMoney {
			loop.until(w.t, "the money figures load", func() bool { return d.money.shown != nil })
			loop.until(w.t, "gross and net by month load", func() bool { return d.money.months.shown != nil })
			pointAtCharts(t, d.money.months.charts)
			d.money.explain()
			w.screen("the formulas", u)
			closeDialogs(u)
		}
		if name == tabPayouts {
			tab := d.payouts
			loop.until(w.t, "the payouts load", func() bool { return tab.loaded })
			w.screen("the payouts tab before a payout is chosen", u)
			for row := range tab.rows { // reconciled, not, not copied yet
				tab.list.table.Select(widget.TableCellID{Row: row, Col: 0})
				loop.until(w.t, "the payout shows", func() bool {
					return tab.detail.shown != nil && tab.detail.shown.Payout.ID == tab.rows[row].ID
				})
				w.screen("payout "+tab.rows[row].ID, u)
			}
			explainDialog(u, "payouts.how_markdown")
			w.screen("the payouts' formulas", u)
			closeDialogs(u)
		}
		if name == tabSubs {
			loop.until(w.t, "recurring revenue loads", func() bool { return d.subs.shown != nil })
			pointAtCharts(t, d.subs.charts)
		}
		if name == tabRisk {
			loop.until(w.t, "the money at risk loads", func() bool { return d.risk.shown != nil })
		}
		if name == tabSync {
			loop.until(w.t, "the sync panel fills", func() bool { return d.sync.loaded })
		}
		w.screen("the "+name+" tab", u)
		if t := d.shownDataTab(); t != nil && t.total > 0 {
			loop.until(w.t, "the first rows load", func() bool { return t.rows.loaded() > 0 })
			t.table.Select(widget.TableCellID{Row: 0, Col: 0})
			loop.until(w.t, "the row's fields open", func() bool { return t.details != nil })
			for _, f := range t.details.fields { // the object's own data, as Stripe sent it
				w.data[f.Value], w.data[f.Path] = true, true // Stripe's field names, shown as they are
			}
			w.screen("a row of "+name, u)
			closeDialogs(u)
		}
	}
	d := u.current.(*detailsPage)
	d.confirmDisconnect()
	w.screen("the Disconnect dialog", u)
	closeDialogs(u)
	d.offerRetry(errBrokerDown, false)
	w.screen("the Disconnect failed dialog", u)
	closeDialogs(u)
	for _, reason := range []domain.Kind{domain.KindDisconnectedUnconfirmed, domain.KindDisconnectedKey} {
		conn.setDisconnect(reason, nil)
		d.runDisconnect(false)
		loop.until(t, "back on Connections", func() bool { return u.current.Route() == routeConnections })
		w.screen("disconnected ("+string(reason)+")", u)
		u.Go(routeConnection(connID, tabOverview))
		d = u.current.(*detailsPage)
	}
	u.showShortcuts()
	w.screen("the shortcuts dialog", u)
	closeDialogs(u)
	u.showAbout()
	w.screen("the About dialog", u)
	closeDialogs(u)

	// Notifications: a sync that stops, one that finishes, a connection
	// that comes to need re-authentication.
	u.applyProgress(halfway(connID))
	u.applyProgress(finished(connID))
	u.applyProgress(failedSync(connID))
	for _, n := range notes {
		w.check("a notification", n)
	}
	if len(notes) == 0 {
		t.Error("the walk saw no notification")
	}

	// The page the browser shows when a sign-in comes back.
	for _, k := range authflow.PageKinds() {
		page := SignInPage(k)
		w.check("the browser's "+string(k)+" page", page.Title)
		w.check("the browser's "+string(k)+" page", page.Message)
	}

	// The start-up error page.
	a := test.NewTempApp(t)
	broken := New(Params{App: a, StartupError: domain.E(domain.KindDBDamaged, errors.New("malformed"), domain.FactPath, "/home/x/ledgerline.db"),
		RunOnUI: loop.post})
	defer broken.Window().Close()
	usePseudo(t, broken)
	w.screen("the start-up error", broken)
	w.report()
}

// pointAtCharts puts the pointer over the middle of each chart's months,
// so the box with the month's values is on show for the walk; a chart
// that shows no box fails the test.
func pointAtCharts(t *testing.T, charts []*chart) {
	t.Helper()
	if len(charts) == 0 {
		t.Error("no chart to point at")
	}
	for _, c := range charts {
		a := c.dataArea()
		c.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(float32(a[0]+a[2])/2, float32(a[1]+a[3])/2)}})
		if !c.tipBox.Visible() {
			t.Errorf("pointing at a chart of %d months shows no values", len(c.data.Months))
		}
	}
}

// finished is a sync caught up after halfway.
func finished(connID string) syncer.Progress {
	p := halfway(connID)
	p.Stage, p.Running = syncer.StageFollowing, true
	for i := range p.Types {
		p.Types[i].Phase, p.Types[i].Synced = syncer.PhaseReady, p.Types[i].Estimated
	}
	return p
}

// failedSync is a sync that stopped.
func failedSync(connID string) syncer.Progress {
	p := halfway(connID)
	p.Stage, p.Running, p.Err = syncer.StageFailed, false, "stripe_unavailable"
	p.Failure = domain.E(domain.KindStripeDown, nil, domain.FactHTTPStatus, "503")
	return p
}
