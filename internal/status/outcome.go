package status

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// outcome is what one probe concluded. When save is false the record keeps
// its last status and detail says why the check could not decide.
type outcome struct {
	save    bool
	status  domain.Status
	detail  string
	offline bool
	reason  string // a short word for the log: never a secret or Stripe's text
}

// reasonKeychain marks outcomes where the keychain, not the connection,
// failed.
const reasonKeychain = "keychain"

// The sentences a person reads. They say what happened and what to do.
const (
	msgRevokedOAuth = "Stripe no longer accepts Ledgerline's access to this account " +
		"(the access was removed in Stripe, or the sign-in expired). Re-authenticate to continue."
	msgRevokedKey   = "The API key was revoked or deleted in Stripe. Add a new restricted key."
	msgMissingOAuth = "Ledgerline's saved sign-in for this connection is missing from the system keychain. Re-authenticate to continue."
	msgMissingKey   = "The API key for this connection is missing from the system keychain. Add the restricted key again."
	msgPermOAuth    = "Stripe refused Ledgerline permission to read this account's details. Re-authenticate and allow the access Ledgerline asks for."
	msgPermKey      = "The restricted key is missing a permission Ledgerline needs to read this account. Add a restricted key with Ledgerline's read permissions."
	msgStripeDown   = "Stripe answered with an error%s when Ledgerline checked at %s. Ledgerline will check again."
	msgWrongAccount = "The %s saved for this connection now belongs to another Stripe account (%s), not %s (%s). Ledgerline stopped using it so the two accounts' data don't mix. %s"
	msgRateLimited  = "Stripe asked Ledgerline to slow down, so it could not check this connection now. Its last status stands; Ledgerline will check again."
	msgKept         = " Ledgerline could not check this connection; its last status stands."
	msgUnknown      = "Ledgerline could not finish checking this connection: %s Its last status stands; Ledgerline will check again."
	msgCanceled     = "The check was stopped before it finished."
)

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
		if run != nil && o.reason == reasonKeychain {
			run.keychain.CompareAndSwap(nil, &o)
		}
		return o
	}
	acct, err := c.p.Accounts.Account(ctx, key)
	if err != nil {
		o := c.judgeStripeError(conn, err)
		o.detail = scrub(o.detail, key)
		return o
	}
	if acct.ID != conn.AccountID {
		what, fix := "sign-in", "Re-authenticate with the right account."
		if conn.AuthMethod == domain.AuthAPIKey {
			what, fix = "API key", "Add this account's restricted key."
		}
		return failed(domain.StatusError, "wrong_account",
			fmt.Sprintf(msgWrongAccount, what, acct.ID, conn.Name, conn.AccountID, fix))
	}
	return outcome{save: true, status: domain.StatusConnected, reason: "ok"}
}

// judgeKeyError sorts a failure to get the credential. Only answers that
// say the credential is gone or refused mark the connection; a keychain
// that is locked, missing or slow says nothing about the connection.
func judgeKeyError(conn domain.Connection, err error) outcome {
	key := conn.AuthMethod == domain.AuthAPIKey
	switch {
	case errors.Is(err, secrets.ErrLocked), errors.Is(err, secrets.ErrUnavailable), errors.Is(err, secrets.ErrTimeout):
		return outcome{reason: reasonKeychain, detail: sentence(err) + msgKept}
	case errors.Is(err, secrets.ErrCorrupt):
		return failed(domain.StatusNeedsReauth, "keychain_corrupt", sentence(err))
	case errors.Is(err, domain.ErrNotFound):
		return failed(domain.StatusNeedsReauth, "keychain_missing", pick(key, msgMissingKey, msgMissingOAuth))
	case errors.Is(err, stripeapi.ErrNeedsReauth):
		return failed(domain.StatusNeedsReauth, "refresh_refused", pick(key, msgRevokedKey, msgRevokedOAuth))
	case errors.Is(err, stripeapi.ErrNetwork):
		return offline(err)
	case errors.Is(err, domain.ErrCanceled):
		return outcome{reason: "canceled", detail: msgCanceled}
	default:
		// A credential source that failed in a way it did not classify
		// (the broker down, say) proves nothing about the connection.
		return outcome{reason: "credential_error", detail: fmt.Sprintf(msgUnknown, sentence(err))}
	}
}

// judgeStripeError sorts a failure of GET /v1/account.
func (c *Checker) judgeStripeError(conn domain.Connection, err error) outcome {
	key := conn.AuthMethod == domain.AuthAPIKey
	switch {
	case errors.Is(err, stripeapi.ErrNeedsReauth):
		return failed(domain.StatusNeedsReauth, "revoked", pick(key, msgRevokedKey, msgRevokedOAuth))
	case errors.Is(err, stripeapi.ErrPermission):
		// stripeapi names the missing permission when Stripe does.
		msg := pick(key, msgPermKey, msgPermOAuth)
		if s := sentence(err); s != stripeapi.ErrPermission.Error() {
			msg = s
		}
		return failed(domain.StatusError, "permission", msg)
	case errors.Is(err, stripeapi.ErrRateLimited):
		return outcome{reason: "rate_limited", detail: msgRateLimited}
	case errors.Is(err, stripeapi.ErrStripeDown):
		code := ""
		if n := httpStatus(err); n != 0 {
			code = fmt.Sprintf(" (HTTP %d)", n)
		}
		return failed(domain.StatusError, "stripe_down",
			fmt.Sprintf(msgStripeDown, code, c.p.Now().Format("15:04")))
	case errors.Is(err, stripeapi.ErrNetwork):
		return offline(err)
	case errors.Is(err, stripeapi.ErrRequest):
		return failed(domain.StatusError, "refused", sentence(err))
	case errors.Is(err, domain.ErrCanceled):
		return outcome{reason: "canceled", detail: msgCanceled}
	default:
		return outcome{reason: "unclassified", detail: fmt.Sprintf(msgUnknown, sentence(err))}
	}
}

// offline is the outcome of not reaching Stripe (or the sign-in service):
// stripeapi's sentence says why (no network, or a page that isn't Stripe's).
func offline(err error) outcome {
	return outcome{reason: "offline", offline: true, detail: sentence(err) + msgKept}
}

// failed is an outcome that marks the connection.
func failed(s domain.Status, reason, detail string) outcome {
	return outcome{save: true, status: s, reason: reason, detail: detail}
}

func pick(apiKey bool, forKey, forOAuth string) string {
	if apiKey {
		return forKey
	}
	return forOAuth
}

// httpStatus is the HTTP status of the Stripe answer behind err, or 0.
func httpStatus(err error) int {
	var se *stripe.Error
	if errors.As(err, &se) {
		return se.HTTPStatusCode
	}
	return 0
}

// sentence is an error's text as one sentence, ending in a full stop.
func sentence(err error) string {
	s := strings.TrimSpace(err.Error())
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// scrub removes a key from text: Stripe's own messages may quote what they
// were sent, and a detail is saved in SQLite and shown on screen.
func scrub(text, key string) string {
	if key == "" {
		return text
	}
	return strings.ReplaceAll(text, key, "[redacted]")
}
