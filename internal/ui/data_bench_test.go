package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// benchCharges is the size of the big benchmark database (built once and
// cached by testkit.ChargesDB; the first run takes a while).
const benchCharges = 1_000_000

// benchPage opens a connection's Payments tab over 1,000,000 charges and
// waits until it is counted and its first screen is read.
func benchPage(b *testing.B, a fyne.App, loop uiLoop, svc BrowseService, c domain.Connection) (*UI, *dataTab) {
	u := New(Params{App: a, Services: Services{Connections: &fakeSource{rows: []domain.Connection{c}}, Connector: &fakeConnector{}, Browse: svc},
		Now: func() time.Time { return fixedNow }, RunOnUI: loop.post})
	u.openConnection(c, "")
	d := u.current.(*detailsPage)
	d.selectTab("payments")
	tab := d.dataTab("payments")
	u.Window().Resize(fyne.NewSize(1100, 700))
	waitLoop(b, loop, func() bool { return tab.total >= 0 && tab.rows.loaded() > 0 })
	return u, tab
}

// waitLoop runs posted closures until cond holds.
func waitLoop(b *testing.B, loop uiLoop, cond func() bool) {
	deadline := time.After(time.Minute)
	for !cond() {
		select {
		case fn := <-loop:
			fn()
		case <-deadline:
			b.Fatal("timed out")
		}
	}
}

// BenchmarkOpenPaymentsTab: from a click on a connection to its Payments
// tab counted (1,000,000 charges) with its first screen read and drawn.
func BenchmarkOpenPaymentsTab(b *testing.B) {
	db, connID := testkit.ChargesDB(b, benchCharges)
	svc := NewBrowseService(browse.New(db.Reader()))
	c := domain.Connection{ID: connID, Provider: domain.ProviderStripe, Name: "Bench", Status: domain.StatusConnected}
	var want int
	if err := db.Reader().QueryRow(`SELECT count(*) FROM stripe_charges WHERE connection_id = ? AND is_deleted = 0`, connID).Scan(&want); err != nil {
		b.Fatal(err)
	}
	a := test.NewTempApp(b)
	loop := make(uiLoop, 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u, tab := benchPage(b, a, loop, svc, c)
		if tab.total != want {
			b.Fatalf("%d payments, want %d", tab.total, want)
		}
		_ = test.RenderToMarkup(u.Window().Canvas())
		u.Window().Close()
	}
}

// BenchmarkScreenAtRow999000: with the Payments tab open on 1,000,000
// charges, jump to row 999,000 (as dragging the scroll bar to the end
// does) and wait for that screen of rows.
func BenchmarkScreenAtRow999000(b *testing.B) {
	db, connID := testkit.ChargesDB(b, benchCharges)
	svc := NewBrowseService(browse.New(db.Reader()))
	c := domain.Connection{ID: connID, Provider: domain.ProviderStripe, Name: "Bench", Status: domain.StatusConnected}
	a := test.NewTempApp(b)
	loop := make(uiLoop, 64)
	u, tab := benchPage(b, a, loop, svc, c)
	defer u.Window().Close()
	pager := tab.rows.pager
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tab.rows.reset(pager) // forget the pages read so far
		row := 999_000 + i%1000
		waitLoop(b, loop, func() bool {
			_, ok := tab.rows.row(row)
			return ok
		})
	}
}
