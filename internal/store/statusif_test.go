package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestSetStatusIf(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checked := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	c := domain.Connection{ID: "conn_x", Provider: domain.ProviderStripe, Name: "Acme", AccountID: "acct_x",
		AuthMethod: domain.AuthOAuth, Status: domain.StatusConnected, ConnectedAt: checked, StatusCheckedAt: checked}
	if err := db.CreateConnection(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	seen := StatusSeen{Status: c.Status, CheckedAt: checked, AuthMethod: c.AuthMethod}
	later := checked.Add(time.Hour)

	t.Run("writes while the record is as the check saw it", func(t *testing.T) {
		applied, err := db.SetStatusIf(ctx, c.ID, seen, domain.StatusNeedsReauth, domain.KindRevokedOAuth, domain.Facts{"a": "1"}, later)
		if err != nil || !applied {
			t.Fatalf("applied %v, err %v", applied, err)
		}
		got, _ := db.GetConnection(ctx, c.ID)
		if got.Status != domain.StatusNeedsReauth || !got.StatusCheckedAt.Equal(later) {
			t.Errorf("record %+v", got)
		}
	})

	t.Run("writes nothing when something changed the record meanwhile", func(t *testing.T) {
		// seen is now stale: the record says needs_reauth at `later`.
		applied, err := db.SetStatusIf(ctx, c.ID, seen, domain.StatusError, domain.KindStripeDown, nil, later.Add(time.Hour))
		if err != nil || applied {
			t.Fatalf("applied %v, err %v", applied, err)
		}
		got, _ := db.GetConnection(ctx, c.ID)
		if got.Status != domain.StatusNeedsReauth || got.StatusReason != domain.KindRevokedOAuth || got.StatusFacts["a"] != "1" {
			t.Errorf("a stale check overwrote the record: %+v", got)
		}
	})

	t.Run("the facts are part of what the check saw", func(t *testing.T) {
		now, _ := db.GetConnection(ctx, c.ID)
		stale := StatusSeen{Status: now.Status, Reason: now.StatusReason, Facts: domain.Facts{"a": "2"}, CheckedAt: now.StatusCheckedAt, AuthMethod: now.AuthMethod}
		if applied, err := db.SetStatusIf(ctx, c.ID, stale, domain.StatusError, domain.KindStripeDown, nil, later); err != nil || applied {
			t.Fatalf("applied %v, err %v", applied, err)
		}
		fresh := stale
		fresh.Facts = now.StatusFacts
		if applied, err := db.SetStatusIf(ctx, c.ID, fresh, now.Status, now.StatusReason, now.StatusFacts, now.StatusCheckedAt); err != nil || !applied {
			t.Fatalf("applied %v, err %v", applied, err)
		}
	})

	t.Run("a never-checked record matches a zero time", func(t *testing.T) {
		n := c
		n.ID, n.AccountID, n.StatusCheckedAt = "conn_y", "acct_y", time.Time{}
		if err := db.CreateConnection(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
		applied, err := db.SetStatusIf(ctx, n.ID, StatusSeen{Status: n.Status, AuthMethod: n.AuthMethod}, domain.StatusConnected, "", nil, later)
		if err != nil || !applied {
			t.Errorf("applied %v, err %v", applied, err)
		}
	})

	t.Run("an unknown id is not found", func(t *testing.T) {
		if _, err := db.SetStatusIf(ctx, "conn_nope", seen, domain.StatusError, "", nil, later); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	})
}
