package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

func TestSyncSurvivesTrouble(t *testing.T) {
	ctx := context.Background()

	t.Run("a key source that says the sign-in can't be renewed stops the sync the same way", func(t *testing.T) {
		f := newFakeStripe(t, sizes{"*": 5}, 0, 24*time.Hour)
		e := newEnv(t, "acct_fake", f.key)
		e.keys.err = domain.E(domain.KindRefreshRefused, nil)
		err := e.engine(f.srv.URL, Params{}).Sync(ctx, e.connID, Options{})
		if !errors.Is(err, stripeapi.ErrNeedsReauth) {
			t.Fatalf("Sync: %v", err)
		}
		if conn, _ := e.db.GetConnection(ctx, e.connID); conn.Status != domain.StatusNeedsReauth || conn.StatusReason != domain.KindRefreshRefused {
			t.Errorf("connection: %q %q", conn.Status, conn.StatusReason)
		}
	})
}

func TestUnreadableEventStopsOnlyItsType(t *testing.T) {
	ctx := context.Background()
	f := newFakeStripe(t, sizes{"*": 5}, 0, 10*24*time.Hour)
	e := newEnv(t, "acct_fake", f.key)
	eng := e.engine(f.srv.URL, Params{})
	if err := eng.Sync(ctx, e.connID, Options{}); err != nil {
		t.Fatal(err)
	}
	// An event whose charge has no id, then a customer update.
	f.mu.Lock()
	f.seq++
	bad := fmt.Sprintf("evt_%010d", f.seq)
	ev := &fakeObj{typ: eventsType, id: bad, created: time.Now().Unix()}
	ev.fields = map[string]any{"id": bad, "object": "event", "created": ev.created, "type": "charge.updated",
		"data": map[string]any{"object": map[string]any{"object": "charge", "amount": 1}}}
	f.events = append(f.events, ev)
	f.byID[bad] = ev
	f.mu.Unlock()
	id := f.mutate("customers", "update")

	err := eng.Sync(ctx, e.connID, Options{})
	if !errors.Is(err, ErrMalformedPage) || !strings.Contains(err.Error(), "charges") {
		t.Fatalf("Sync: %v, want an error naming charges", err)
	}
	got := e.queryString(`SELECT json_extract(data, '$.description') FROM stripe_customers WHERE id = ?`, id)
	if want := f.field(id, "description"); got != want {
		t.Errorf("the customer update after the bad event: %q, want %q", got, want)
	}
	st := e.state("charges")
	if st.LastEventID == bad || !strings.Contains(st.LastError, bad) {
		t.Errorf("charges: last event %s, error %q; want it stopped before %s and saying so", st.LastEventID, st.LastError, bad)
	}
	if cust := e.state("customers"); cust.LastError != "" {
		t.Errorf("customers got the error too: %q", cust.LastError)
	}
}
