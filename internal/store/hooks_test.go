package store

import (
	"context"
	"errors"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestOneActiveLinkPerAccount(t *testing.T) {
	ctx := context.Background()

	t.Run("rejects a second active link to the same account and mode", func(t *testing.T) {
		db := openTestDB(t)
		first := sampleConnection(1)
		if err := db.CreateConnection(ctx, first, nil); err != nil {
			t.Fatal(err)
		}
		again := sampleConnection(2)
		again.AccountID = first.AccountID
		again.Status = domain.StatusNeedsReauth // any status but disconnected counts
		hookRan := false
		err := db.CreateConnection(ctx, again, func(context.Context) error { hookRan = true; return nil })
		if !errors.Is(err, domain.ErrAlreadyConnected) {
			t.Fatalf("CreateConnection = %v, want domain.ErrAlreadyConnected", err)
		}
		if hookRan {
			t.Error("beforeCommit ran although the insert failed")
		}
		_, err = db.GetConnection(ctx, again.ID)
		assertNotFound(t, "the rejected duplicate", err)
	})

	t.Run("allows the same account in the other mode", func(t *testing.T) {
		db := openTestDB(t)
		test := sampleConnection(1)
		live := sampleConnection(2)
		live.AccountID, live.Livemode = test.AccountID, true
		for _, c := range []domain.Connection{test, live} {
			if err := db.CreateConnection(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("allows a new link once the old one is disconnected, but not reviving both", func(t *testing.T) {
		db := openTestDB(t)
		old := sampleConnection(1)
		if err := db.CreateConnection(ctx, old, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, old.ID, domain.StatusDisconnected, domain.KindDisconnected, nil, old.ConnectedAt); err != nil {
			t.Fatal(err)
		}
		fresh := sampleConnection(2)
		fresh.AccountID = old.AccountID
		if err := db.CreateConnection(ctx, fresh, nil); err != nil {
			t.Fatalf("reconnecting a disconnected account: %v", err)
		}
		err := db.SetStatus(ctx, old.ID, domain.StatusConnected, "", nil, old.ConnectedAt)
		if !errors.Is(err, domain.ErrAlreadyConnected) {
			t.Errorf("reviving the old link = %v, want domain.ErrAlreadyConnected", err)
		}
		old.Status = domain.StatusConnected
		if err := db.UpdateConnection(ctx, old); !errors.Is(err, domain.ErrAlreadyConnected) {
			t.Errorf("UpdateConnection reviving the old link = %v, want domain.ErrAlreadyConnected", err)
		}
	})

	t.Run("a repeated id is an error but not ErrAlreadyConnected", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		other := sampleConnection(2)
		other.ID = c.ID
		err := db.CreateConnection(ctx, other, nil)
		if err == nil || errors.Is(err, domain.ErrAlreadyConnected) {
			t.Errorf("CreateConnection with a used id = %v, want a plain error", err)
		}
	})
}

func TestBeforeCommitSavesBothOrNeither(t *testing.T) {
	ctx := context.Background()
	keychainDown := errors.New("keychain unavailable")

	t.Run("a failing hook stores nothing and its error comes back", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		err := db.CreateConnection(ctx, c, func(context.Context) error { return keychainDown })
		if !errors.Is(err, keychainDown) {
			t.Fatalf("CreateConnection = %v, want the hook's error", err)
		}
		if errors.Is(err, ErrNotCommitted) {
			t.Error("a hook failure is not a commit failure")
		}
		_, err = db.GetConnection(ctx, c.ID)
		assertNotFound(t, "GetConnection after a failed hook", err)
	})

	t.Run("the hook runs inside the transaction, before the record is visible", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		err := db.CreateConnection(ctx, c, func(ctx context.Context) error {
			_, err := db.GetConnection(ctx, c.ID) // through the reader pool
			if !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("record visible to readers before commit: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetConnection(ctx, c.ID); err != nil {
			t.Errorf("record missing after commit: %v", err)
		}
	})

	t.Run("a commit that fails after the hook says so", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		// Canceling the context after the hook succeeds makes database/sql
		// roll the transaction back, so the commit fails for real.
		hookCtx, cancel := context.WithCancel(ctx)
		err := db.CreateConnection(hookCtx, c, func(context.Context) error { cancel(); return nil })
		if !errors.Is(err, ErrNotCommitted) {
			t.Fatalf("CreateConnection = %v, want ErrNotCommitted", err)
		}
		_, err = db.GetConnection(ctx, c.ID)
		assertNotFound(t, "GetConnection after a failed commit", err)
	})

	t.Run("a failing re-auth hook keeps the old record", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		c.Status = domain.StatusNeedsReauth
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		reauth := c
		reauth.Status, reauth.Scope = domain.StatusConnected, "stripe_apps"
		err := db.UpdateConnectionWith(ctx, reauth, func(context.Context) error { return keychainDown })
		if !errors.Is(err, keychainDown) {
			t.Fatalf("UpdateConnectionWith = %v, want the hook's error", err)
		}
		assertStored(t, db, c)

		if err := db.UpdateConnectionWith(ctx, reauth, func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
		assertStored(t, db, reauth)
	})

	t.Run("a panicking hook rolls back and frees the writer", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		func() {
			defer func() { _ = recover() }()
			_ = db.CreateConnection(ctx, c, func(context.Context) error { panic("boom") })
		}()
		_, err := db.GetConnection(ctx, c.ID)
		assertNotFound(t, "GetConnection after a panicking hook", err)
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Errorf("the writer is stuck after a panicking hook: %v", err)
		}
	})
}
