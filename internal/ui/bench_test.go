package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
)

// BenchmarkOpenConnectionsPage opens the window on a real SQLite file
// holding 10 and 1,000 connections: build the window, read the records off
// the UI goroutine, fill the table and lay out and render one screenful.
// The table makes cells for visible rows only, so both should cost about
// the same.
func BenchmarkOpenConnectionsPage(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchmarkOpenConnectionsPage(b, n) })
	}
}

func benchmarkOpenConnectionsPage(b *testing.B, n int) {
	db, err := store.Open(context.Background(), store.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	statuses := []domain.Status{domain.StatusConnected, domain.StatusNeedsReauth, domain.StatusError, domain.StatusDisconnected}
	for i := 0; i < n; i++ {
		c := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: fmt.Sprintf("Shop %04d", i),
			AccountID: fmt.Sprintf("acct_1Bench%010d", i), AuthMethod: domain.AuthOAuth, Status: statuses[i%4],
			ConnectedAt: fixedNow.Add(-time.Duration(i) * time.Hour), LastSyncAt: fixedNow.Add(-time.Duration(i) * time.Minute)}
		if err := db.CreateConnection(context.Background(), c, nil); err != nil {
			b.Fatal(err)
		}
	}
	a := test.NewTempApp(b)
	a.Settings().SetTheme(NewTheme())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		loop := make(chan func(), 4)
		u := New(Params{App: a, Services: Services{Connections: db, Connector: &fakeConnector{}}, Now: func() time.Time { return fixedNow }, RunOnUI: func(f func()) { loop <- f }})
		(<-loop)() // the connections arrive from the database
		if len(u.rows) != n {
			b.Fatalf("%d rows", len(u.rows))
		}
		u.Window().Resize(fyne.NewSize(1100, 700))
		_ = test.RenderToMarkup(u.Window().Canvas())
		u.Window().Close()
	}
}
