package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// fakeSync answers Progress with a canned snapshot and records actions.
type fakeSync struct {
	mu       sync.Mutex
	progress syncer.Progress
	updates  []string
	enabled  map[string]bool
	deleted  []string
}

func (f *fakeSync) Progress(context.Context, string) (syncer.Progress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.progress, nil
}
func (f *fakeSync) SetEnabled(_ context.Context, _, typ string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.enabled == nil {
		f.enabled = map[string]bool{}
	}
	f.enabled[typ] = on
	return nil
}
func (f *fakeSync) DeleteData(_ context.Context, _, typ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleted = append(f.deleted, typ)
	return nil
}
func (f *fakeSync) UpdateNow(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, id)
}

func halfway(connID string) syncer.Progress {
	return syncer.Progress{ConnectionID: connID, Stage: syncer.StageListing, Running: true, Types: []syncer.TypeProgress{
		{Type: "charges", Enabled: true, Phase: syncer.PhaseBackfill, Synced: 420, Estimated: 1000},
		{Type: "customers", Enabled: true, Phase: syncer.PhaseBackfill, Synced: 100, Estimated: 200},
	}}
}

func TestSyncInTheWindow(t *testing.T) {
	t.Run("the table says how far a running sync is", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		useLanguage(t, i18n.English)
		u.p.Sync = &fakeSync{}
		loop.until(t, "rows load", func() bool { return len(u.rows) == 3 })
		u.ApplyProgress(halfway("conn_a"))
		loop.until(t, "the progress shows", func() bool {
			return strings.Contains(test.RenderObjectToMarkup(u.connectionsPage().table.table), "Syncing 43%")
		})
	})

	t.Run("a connection's page shows each type's progress and Update now restarts its sync", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		fs := &fakeSync{progress: halfway("conn_a")}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		useLanguage(t, i18n.English)
		u.p.Sync = fs
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		loop.until(t, "the panel fills", func() bool { return d.sync.loaded })
		markup := test.RenderObjectToMarkup(d.root)
		for _, want := range []string{"Data on this computer", "Syncing — 43%", "Charges", "420 of ~1,000", "Customers"} {
			if !strings.Contains(markup, want) {
				t.Errorf("the page does not show %q", want)
			}
		}
		test.Tap(d.sync.update)
		if len(fs.updates) != 1 || fs.updates[0] != "conn_a" {
			t.Errorf("Update now asked for %v", fs.updates)
		}
	})

	t.Run("turning a type off asks whether to keep its rows", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		fs := &fakeSync{progress: halfway("conn_a")}
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		useLanguage(t, i18n.English)
		u.p.Sync = fs
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		loop.until(t, "the panel fills", func() bool { return d.sync.loaded })
		test.Tap(d.sync.rows["charges"].keep)
		if fs.enabled["charges"] || len(fs.deleted) != 0 {
			t.Fatal("changed something before the person answered")
		}
		dlg := visibleButtons(u.win.Canvas().Overlays().Top(), "Delete them")
		if len(dlg) != 1 {
			t.Fatalf("no Delete them button in the dialog")
		}
		test.Tap(dlg[0])
		loop.until(t, "the data is deleted", func() bool {
			fs.mu.Lock()
			defer fs.mu.Unlock()
			return len(fs.deleted) == 1
		})
		if on, set := fs.enabled["charges"]; !set || on || fs.deleted[0] != "charges" {
			t.Errorf("enabled %v, deleted %v", fs.enabled, fs.deleted)
		}
	})

	t.Run("in Swedish, the tab names the types and says how far it is in Swedish", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		pr := halfway("conn_a")
		pr.Types = append(pr.Types,
			syncer.TypeProgress{Type: "payment_intents", Enabled: true, Phase: syncer.PhaseReady, Synced: 12003, Estimated: 12003},
			syncer.TypeProgress{Type: "balance_transactions", Enabled: true},
			syncer.TypeProgress{Type: "disputes"})
		u, loop := newTestUI(t, src, &fakeConnector{source: src})
		useLanguage(t, i18n.Swedish)
		u.p.Sync = &fakeSync{progress: pr}
		u.openConnection(src.rows[0], "")
		d := u.current.(*detailsPage)
		loop.until(t, "the panel fills", func() bool { return d.sync.loaded })
		shown := strings.Join(texts(d.sync.root.(*fyne.Container)), "\n")
		for _, want := range []string{"Uppgifter på den här datorn", "Uppdatera nu", "Synkroniserar — 94\u00a0%",
			"Debiteringar", "420 av ~1\u00a0000", "Kunder", "Betalningsavsikter", "12\u00a0003 · uppdaterat",
			"Saldotransaktioner", "väntar", "Tvister", "sparas inte"} {
			if !strings.Contains(shown, want) {
				t.Errorf("the Swedish sync tab does not show %q:\n%s", want, shown)
			}
		}
		if got := d.sync.overall.TextFormatter(); got != "94\u00a0%" {
			t.Errorf("the overall bar reads %q", got)
		}

		test.Tap(d.sync.rows["payment_intents"].keep)
		if dlg := visibleButtons(u.win.Canvas().Overlays().Top(), "Radera dem"); len(dlg) != 1 {
			t.Error("the question about the rows is not in Swedish")
		}
		if markup := test.RenderObjectToMarkup(u.win.Canvas().Overlays().Top()); !strings.Contains(markup, "Sluta synkronisera ”Betalningsavsikter”?") {
			t.Errorf("the dialog's title is not in Swedish:\n%s", markup)
		}
	})
}

func TestSyncWords(t *testing.T) {
	now := fixedNow
	done := syncer.Progress{Stage: syncer.StageFollowing, Types: []syncer.TypeProgress{
		{Type: "charges", Enabled: true, Phase: syncer.PhaseReady, Synced: 12003, Estimated: 12003, CaughtUpAt: now.Add(-3 * time.Minute)},
	}}
	failed := syncer.Progress{Stage: syncer.StageFailed, Err: "stripe_unavailable", Failure: domain.E(domain.KindStripeDown, nil, domain.FactHTTPStatus, "503")}
	t.Run("in English", func(t *testing.T) {
		useLanguage(t, i18n.English)
		cases := [][2]string{
			{syncSummary(halfway("c"), now), "Syncing — 43%"},
			{syncSummary(done, now), "Up to date · last complete update 3 minutes ago"},
			{syncSummary(failed, now), "The last sync stopped: Stripe is having problems right now (HTTP 503). Ledgerline will try again; you can also try again in a few minutes."},
			{syncSummary(syncer.Progress{}, now), "Not synced yet."},
			{typeLine(done.Types[0]), "12,003 · up to date"},
			{typeLine(halfway("c").Types[0]), "420 of ~1,000"},
			{typeLine(syncer.TypeProgress{Enabled: true}), "waiting"},
			{typeLine(syncer.TypeProgress{}), "not kept"},
			{typeLine(syncer.TypeProgress{Enabled: true, LastError: "rate limited", LastFailure: domain.KindRateLimited}), "stopped: " + errorText(domain.KindRateLimited)},
			{typeTitle("payment_intents"), "Payment intents"},
			{typeTitle("not_a_type_we_know"), "not_a_type_we_know"},
		}
		for _, c := range cases {
			if c[0] != c[1] {
				t.Errorf("%q, want %q", c[0], c[1])
			}
		}
	})
	t.Run("in Swedish", func(t *testing.T) {
		useLanguage(t, i18n.Swedish)
		cases := [][2]string{
			{syncSummary(halfway("c"), now), "Synkroniserar — 43\u00a0%"},
			{syncSummary(done, now), "Uppdaterat · senaste fullständiga uppdateringen för 3 minuter sedan"},
			{typeLine(done.Types[0]), "12\u00a0003 · uppdaterat"},
			{typeTitle("balance_transactions"), "Saldotransaktioner"},
		}
		for _, c := range cases {
			if c[0] != c[1] {
				t.Errorf("%q, want %q", c[0], c[1])
			}
		}
	})
	t.Run("a sync at 99.6% does not say 100%, and 29% stays 29%", func(t *testing.T) {
		useLanguage(t, i18n.English)
		for f, want := range map[float64]string{0.996: "99%", 0.29: "29%", 0.57: "57%", 1: "100%", 0: "0%"} {
			if got := percentDone(f); got != want {
				t.Errorf("percentDone(%v) = %q, want %q", f, got, want)
			}
		}
	})
	t.Run("every type the warehouse keeps has a name in every language", func(t *testing.T) {
		for _, l := range i18n.Languages() {
			msgs, err := i18n.Messages(l)
			if err != nil {
				t.Fatal(err)
			}
			for _, ty := range warehouse.Types() {
				if _, ok := msgs["object."+ty.Name]; !ok {
					t.Errorf("%s: no object.%s", l, ty.Name)
				}
			}
		}
	})
}
