package destination

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// BenchmarkApplyOverhead writes the same 40,000 charges through the
// warehouse's Apply (the sync's write path) into fresh databases,
// alternately without and with a destination's triggers, and reports both
// medians in rows/s: the triggers' cost without the network's noise.
func BenchmarkApplyOverhead(b *testing.B) {
	charges, _ := warehouse.TypeByName("charges")
	var pages [][]warehouse.Row
	for p := range 20 {
		var rows []warehouse.Row
		for i := range 2000 {
			n := p*2000 + i
			js := fmt.Sprintf(`{"id":"ch_%08d","object":"charge","amount":%d,"amount_captured":%d,"amount_refunded":0,"currency":"usd","status":"succeeded","paid":true,"captured":true,"refunded":false,"customer":"cus_%05d","created":%d,"livemode":false,"description":"Order %d","metadata":{"order":"%d"},"billing_details":{"address":{"country":"SE","postal_code":"11122"},"email":"c%d@example.com"},"payment_method_details":{"type":"card","card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030}}}`,
				99999999-n, 1000+n%5000, 1000+n%5000, n%997, 1767225600-n*29, n, n, n%997)
			r, err := warehouse.Prepare(charges, []byte(js), 1, false)
			if err != nil {
				b.Fatal(err)
			}
			rows = append(rows, r)
		}
		pages = append(pages, rows)
	}
	ctx := context.Background()
	var without, with []float64
	for i := 0; i < b.N; i++ {
		for _, withDest := range []bool{false, true} {
			db, err := store.Open(ctx, store.Options{Dir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: "B", AccountID: "acct_1B",
				AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: time.Now()}
			if err := db.CreateConnection(ctx, conn, nil); err != nil {
				b.Fatal(err)
			}
			if withDest {
				d := Destination{ID: NewID(), Kind: KindPostgres, URL: "postgres://nobody@127.0.0.1:1/none", Schema: "bench"}
				if err := NewLocal(db, db.Reader(), nil).Add(ctx, d, nil); err != nil {
					b.Fatal(err)
				}
			}
			wh, err := warehouse.New(warehouse.Options{DB: db})
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			for _, rows := range pages {
				if err := wh.Apply(ctx, conn.ID, charges, rows, nil); err != nil {
					b.Fatal(err)
				}
			}
			rate := 40000 / time.Since(start).Seconds()
			if withDest {
				with = append(with, rate)
			} else {
				without = append(without, rate)
			}
			_ = db.Close()
		}
	}
	w, d := median(without), median(with)
	b.ReportMetric(w, "rows/s-without")
	b.ReportMetric(d, "rows/s-with")
	b.ReportMetric(100*(w-d)/w, "%slower")
}
