package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

type testKey string

func (k testKey) Key(context.Context, string) (string, error) { return string(k), nil }

// coverageLine is the text of the "still copying" line at the top of a
// tab's figures, "" when there is none.
func coverageLine(body []fyne.CanvasObject) string {
	if len(body) == 0 {
		return ""
	}
	if l, ok := body[0].(*widget.Label); ok && l.Importance == widget.WarningImportance {
		return l.Text
	}
	return ""
}

// A first sync of a real sandbox account, held part way (its objects of
// the last 75 days or so copied, older ones waiting), over a real
// database and the real reports: the Net and fees tab shows this year's
// figures with "Still copying — figures include data from DATE on", DATE
// the reports' own answer; as the sync finishes the tab reads them again
// and the line goes.
func TestTheStillCopyingLine(t *testing.T) {
	useLanguage(t, i18n.English)
	ctx := context.Background()
	srv, err := sandbox.New(sandbox.Options{Seed: 5, Accounts: 1, Scale: 4000})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	acct := srv.Info().Accounts[0]
	dir := t.TempDir()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	rows := threeConnections()
	rows[0].ID, rows[0].AccountID, rows[0].AuthMethod = domain.NewConnectionID(), acct.ID, domain.AuthAPIKey
	if err := db.CreateConnection(ctx, rows[0], nil); err != nil {
		t.Fatal(err)
	}
	connID := rows[0].ID
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	held := &testkit.HoldOlder{Cutoff: time.Now().AddDate(0, 0, -75).Unix()}
	snapshots := make(chan syncer.Progress, 10000)
	eng, err := syncer.New(syncer.Params{Store: db, Warehouse: wh, Keys: testKey(acct.APIKey), APIBase: base, LockDir: dir,
		Limits: syncer.Limits{Off: true}, HTTPClient: &http.Client{Transport: held}, PerType: 1, Concurrency: 40,
		Progress: func(p syncer.Progress) {
			select { // as the app's hub does: never hold the sync up
			case snapshots <- p:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Sync(ctx, connID, syncer.Options{}) }()

	src := &fakeSource{rows: rows}
	u, loop := newTestUI(t, src, &fakeConnector{source: src})
	r := reports.New(db.Reader(), time.Now)
	u.p.Money = r
	loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
	thisYear, _ := reports.PresetPeriod(reports.PeriodThisYear, fixedNow, fixedNow.Location())

	// Wait until the copy stands still below the cutoff.
	var want reports.Completeness
	last, still := "", time.Now()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the copy never stood still (%s)", last)
		}
		m, err := r.MoneyReport(ctx, []string{connID}, thisYear)
		if err != nil {
			t.Fatal(err)
		}
		want = m.Coverage
		if key := want.From.String() + strings.Join(want.Copying, ","); key != last {
			last, still = key, time.Now()
		} else if held.Held() > 0 && !want.From.IsZero() && time.Since(still) > 500*time.Millisecond {
			break
		}
	}
	if !want.Incomplete() {
		t.Fatalf("this year while copying: %+v", want)
	}

	u.Go(routeConnection(connID, tabMoney))
	d := u.current.(*detailsPage)
	loop.until(t, "last month's figures", func() bool { return d.money.shown != nil })
	d.money.period.SetSelected(i18n.T("money.period.this_year"))
	loop.until(t, "this year's figures", func() bool {
		return d.money.shown != nil && d.money.shown.Period.Kind == reports.PeriodThisYear
	})
	wantLine := "Still copying — figures include data from " + formatter().DateTime(want.From) + " on"
	if got := coverageLine(d.money.body.Objects); got != wantLine {
		t.Fatalf("the tab's first line is %q, want %q", got, wantLine)
	}

	// The sync finishes; its snapshots reach the window as the hub's do.
	held.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(snapshots)
	for p := range snapshots {
		u.applyProgress(p)
	}
	loop.until(t, "the line goes", func() bool {
		return d.money.shown != nil && !d.money.shown.Coverage.Incomplete() && coverageLine(d.money.body.Objects) == ""
	})
	if strings.Contains(shownTexts(d.money.root), "Still copying") {
		t.Error("the tab still says it is copying")
	}
}

func TestCopyingFiguresAreReadAgainAtAPace(t *testing.T) {
	snap := func(n int64) syncer.Progress {
		return syncer.Progress{ConnectionID: "c", Stage: syncer.StageRunning, Types: []syncer.TypeProgress{{Synced: n}, {Synced: 1}}}
	}
	var c copyRefresh
	if !c.due(snap(100)) {
		t.Error("the first snapshot with objects stored is not due")
	}
	if c.due(snap(200)) {
		t.Errorf("due again within %s", copyingRefreshEvery)
	}
	c.last = time.Now().Add(-copyingRefreshEvery)
	if c.due(snap(199)) == false {
		t.Error("not due after the pause with more objects stored")
	}
	c.last = time.Now().Add(-copyingRefreshEvery)
	if c.due(snap(199)) {
		t.Error("due with nothing more stored")
	}
	if !c.caughtUp(syncer.Progress{ConnectionID: "c", Stage: syncer.StageDone}) || c.caughtUp(syncer.Progress{ConnectionID: "c", Stage: syncer.StageFollowing}) {
		t.Error("caughtUp is not once per catching up")
	}
}
