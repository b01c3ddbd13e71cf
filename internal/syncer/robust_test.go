package syncer

import (
	"context"
	"errors"
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
		e.keys.err = &domain.SentenceError{Kind: stripeapi.ErrNeedsReauth, Msg: "Re-authenticate this connection."}
		err := e.engine(f.srv.URL, Params{}).Sync(ctx, e.connID, Options{})
		if !errors.Is(err, stripeapi.ErrNeedsReauth) {
			t.Fatalf("Sync: %v", err)
		}
		if conn, _ := e.db.GetConnection(ctx, e.connID); conn.Status != domain.StatusNeedsReauth || conn.StatusDetail != "Re-authenticate this connection." {
			t.Errorf("connection: %q %q", conn.Status, conn.StatusDetail)
		}
	})
}
