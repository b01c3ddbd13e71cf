package status

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// outcome is what one probe concluded. When save is false the record keeps
// its last status and reason says why the check could not decide.
type outcome struct {
	save     bool
	status   domain.Status
	reason   domain.Kind  // why: saved as the status reason, or why nothing was saved
	facts    domain.Facts // what the reason's words need; never a secret
	offline  bool
	keychain bool // the keychain, not the connection, failed
}

// probe reads the connection's credential and asks Stripe which account it
// opens, within the per-check timeout.
func (c *Checker) probe(ctx context.Context, conn domain.Connection, run *runState) outcome {
	if run != nil {
		if o := run.keychain.Load(); o != nil {
			return *o
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.p.Timeout)
	defer cancel()
	key, err := c.p.Keys.Key(ctx, conn.ID)
	if err != nil {
		o := judgeKeyError(conn, err)
		if run != nil && o.keychain {
			run.keychain.CompareAndSwap(nil, &o)
		}
		return o
	}
	acct, err := c.p.Accounts.Account(ctx, key)
	if err != nil {
		o := c.judgeStripeError(conn, err)
		o.facts = scrub(o.facts, key)
		return o
	}
	if acct.ID != conn.AccountID {
		return failed(domain.StatusError, domain.KindWrongAccount, domain.Facts{
			domain.FactAccountID: acct.ID, domain.FactName: conn.Name,
			domain.FactExpectedAccountID: conn.AccountID, domain.FactAuthMethod: string(conn.AuthMethod)})
	}
	return outcome{save: true, status: domain.StatusConnected}
}

// judgeKeyError sorts a failure to get the credential. Only answers that
// say the credential is gone or refused mark the connection; a keychain
// that is locked, missing or slow says nothing about the connection.
func judgeKeyError(conn domain.Connection, err error) outcome {
	kind, facts := domain.KindOf(err)
	switch {
	case errors.Is(err, secrets.ErrLocked), errors.Is(err, secrets.ErrUnavailable), errors.Is(err, secrets.ErrTimeout):
		return outcome{keychain: true, reason: kind, facts: facts}
	case errors.Is(err, secrets.ErrCorrupt):
		return failed(domain.StatusNeedsReauth, domain.KindKeychainCorrupt, facts)
	case errors.Is(err, domain.ErrNotFound):
		return failed(domain.StatusNeedsReauth, domain.KindCredentialsMissing,
			domain.Facts{domain.FactAuthMethod: string(conn.AuthMethod)})
	case errors.Is(err, stripeapi.ErrNeedsReauth):
		if kind == domain.KindNeedsReauth || !kind.Known() {
			kind = revoked(conn)
		}
		return failed(domain.StatusNeedsReauth, kind, nil)
	case errors.Is(err, stripeapi.ErrNetwork):
		return offline(err)
	case errors.Is(err, domain.ErrCanceled):
		return outcome{reason: domain.KindCanceled}
	default:
		// A credential source that failed in a way it did not classify
		// (the broker down, say) proves nothing about the connection.
		return outcome{reason: kind, facts: facts}
	}
}

// judgeStripeError sorts a failure of GET /v1/account.
func (c *Checker) judgeStripeError(conn domain.Connection, err error) outcome {
	kind, facts := domain.KindOf(err)
	switch {
	case errors.Is(err, stripeapi.ErrNeedsReauth):
		return failed(domain.StatusNeedsReauth, revoked(conn), nil)
	case errors.Is(err, stripeapi.ErrPermission):
		// stripeapi names the missing permission when Stripe does.
		f := maps.Clone(facts)
		if f == nil {
			f = domain.Facts{}
		}
		f[domain.FactAuthMethod] = string(conn.AuthMethod)
		return failed(domain.StatusError, domain.KindPermission, f)
	case errors.Is(err, stripeapi.ErrRateLimited):
		return outcome{reason: domain.KindRateLimited}
	case errors.Is(err, stripeapi.ErrStripeDown):
		f := domain.Facts{domain.FactCheckedAt: c.p.Now().Format(time.RFC3339)}
		if n := httpStatus(err); n != 0 {
			f[domain.FactHTTPStatus] = strconv.Itoa(n)
		}
		return failed(domain.StatusError, domain.KindStripeDown, f)
	case errors.Is(err, stripeapi.ErrNetwork):
		return offline(err)
	case errors.Is(err, stripeapi.ErrRequest):
		return failed(domain.StatusError, domain.KindRequestRefused, facts)
	case errors.Is(err, domain.ErrCanceled):
		return outcome{reason: domain.KindCanceled}
	default:
		return outcome{reason: kind, facts: facts}
	}
}

// revoked is the reason Stripe refused the connection's credential.
func revoked(conn domain.Connection) domain.Kind {
	if conn.AuthMethod == domain.AuthAPIKey {
		return domain.KindRevokedKey
	}
	return domain.KindRevokedOAuth
}

// offline is the outcome of not reaching Stripe (or the sign-in service);
// the error's kind says why (no network, or a page that isn't Stripe's).
func offline(err error) outcome {
	kind, facts := domain.KindOf(err)
	return outcome{reason: kind, facts: facts, offline: true}
}

// failed is an outcome that marks the connection.
func failed(s domain.Status, reason domain.Kind, facts domain.Facts) outcome {
	return outcome{save: true, status: s, reason: reason, facts: facts}
}

// httpStatus is the HTTP status of the Stripe answer behind err, or 0.
func httpStatus(err error) int {
	var se *stripe.Error
	if errors.As(err, &se) {
		return se.HTTPStatusCode
	}
	return 0
}

// scrub removes a key from every fact: Stripe's own messages may quote
// what they were sent, and facts are saved in SQLite and shown on screen.
func scrub(facts domain.Facts, key string) domain.Facts {
	if key == "" || len(facts) == 0 {
		return facts
	}
	out := make(domain.Facts, len(facts))
	for k, v := range facts {
		out[k] = strings.ReplaceAll(v, key, "[redacted]")
	}
	return out
}
