package status

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// quotingAccounts answers every call with a refusal that quotes the key,
// as a server that stripeapi does not know might.
type quotingAccounts struct{}

func (quotingAccounts) Account(_ context.Context, key string) (stripeapi.Account, error) {
	return stripeapi.Account{}, fmt.Errorf("%w Stripe said: no access for %s", stripeapi.ErrRequest, key)
}

// fixedKeys hands out one opaque token that no key pattern would catch.
type fixedKeys string

func (k fixedKeys) Key(context.Context, string) (string, error) { return string(k), nil }

func TestFactsNeverHoldTheKey(t *testing.T) {
	const token = "opaque-token-7f3a9c2e51d04b68"
	w := newWorld(t, 3)
	conn := w.connect(t, 0, domain.AuthOAuth)
	r := mustCheck(t, w.checker(func(p *Params) {
		p.Keys = fixedKeys(token)
		p.Accounts = quotingAccounts{}
	}), conn.ID)
	rec := w.record(t, conn.ID)
	if rec.Status != domain.StatusError || rec.StatusReason != domain.KindRequestRefused {
		t.Errorf("record %s %q", rec.Status, rec.StatusReason)
	}
	if strings.Contains(fmt.Sprint(rec.StatusFacts), token) || strings.Contains(fmt.Sprint(r.Facts), token) || strings.Contains(w.logs.String(), token) {
		t.Error("the token reached the saved detail, the result or the log")
	}
}
