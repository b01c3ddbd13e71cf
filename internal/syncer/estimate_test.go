package syncer

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

func TestRemainingReachesBackToTheAccountsOldestObject(t *testing.T) {
	now := time.Unix(2_000_000_000, 0)
	oldest := new(atomic.Int64)
	listing := func(name string) (*typeRun, *segment) {
		ty, _ := warehouse.TypeByName(name)
		seg := &segment{}
		return &typeRun{t: ty, accountOldest: oldest, st: &typeState{Type: name, Ranges: []*segment{seg}}}, seg
	}
	charges, seg := listing("charges")
	// A first page of 100 charges over the last 1,000 seconds: one every 10 s.
	charges.advance(seg, now.Unix(), "ch_100", now.Unix()-1000, 100)

	early := charges.remaining(now)
	if early > 1_000 {
		t.Fatalf("with nothing older seen, %d charges left: the guess should stay near what was fetched", early)
	}
	t.Run("once an older object of any type is seen, the guess reaches back to it", func(t *testing.T) {
		products, pseg := listing("products")
		products.advance(pseg, now.Unix()-5_000_000, "prod_1", now.Unix()-10_000_000, 3)
		got := charges.remaining(now)
		want := int64(10_000_000-1_000) / 10
		if got < want*9/10 || got > want*11/10 {
			t.Errorf("%d charges left, want about %d", got, want)
		}
		if p := charges.estimateLocked(now); p > 1_000 {
			t.Errorf("the progress bar's guess moved too (%d); only the priority should", p)
		}
	})
	t.Run("events reach back 30 days at most", func(t *testing.T) {
		events, eseg := listing("events")
		events.advance(eseg, now.Unix(), "evt_100", now.Unix()-1000, 100)
		got, want := events.remaining(now), int64(eventWindow.Seconds()-1000)/10
		if got < want*9/10 || got > want*11/10 {
			t.Errorf("%d events left, want about %d", got, want)
		}
	})
}
