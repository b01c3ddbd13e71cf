package syncer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// pageLimit is Stripe's largest page.
const pageLimit = 100

// listRequest is one GET of a list endpoint.
type listRequest struct {
	// endpoint names the rate-limit budget: method and path template,
	// e.g. "GET /v1/invoices/{id}/lines".
	endpoint string
	path     string
	params   [][2]string // in order
	limit    int         // page size; 0 means pageLimit
	// gone is true when a 404 means an object the request names is gone:
	// its starting_after or ending_before cursor, or the parent in its path.
	gone bool
	// priority orders requests waiting for the account's rate budget:
	// higher first (see limiter).
	priority int64
}

func (r *listRequest) add(k, v string) { r.params = append(r.params, [2]string{k, v}) }

func (r *listRequest) addInt(k string, v int64) { r.add(k, strconv.FormatInt(v, 10)) }

// Errors a fetch can end with besides a fatal one.
var (
	// ErrMalformedPage: Stripe answered, but a page couldn't be read (not
	// JSON, not a list, an object without an id) however often it was asked
	// again. Nothing of that page is saved.
	ErrMalformedPage error = domain.KindMalformedPage
	// errGone: Stripe answered 404 to a request whose cursor or path names
	// an object (listRequest.gone): the object was deleted since. The caller
	// lists from the cursor's created time instead, or skips the children
	// of a parent that is gone.
	errGone = errors.New("the object a request names is gone")
)

// errUnreadable marks a decode failure inside one attempt: the attempt is
// retried as a malformed page.
type errUnreadable struct{ reason string }

func (e *errUnreadable) Error() string { return e.reason }

// unreadable returns an error that makes fetch retry the page as
// malformed, with reason (no secret, no page content) for the final error.
func unreadable(format string, a ...any) error { return &errUnreadable{fmt.Sprintf(format, a...)} }

// caller makes one sync's requests for one connection: a key for each
// request, the rate limits, and retries with backoff.
type caller struct {
	backend *stripe.BackendImplementation
	keys    KeySource
	connID  string
	limits  *limiter
	retry   Retry
	log     *slog.Logger
	// onRequest, when set, is told of every HTTP attempt (tests count them).
	onRequest func(endpoint string)
}

// fetch GETs req and hands the page to decode, both inside one retry loop:
// 429 slows the limiter and waits, 5xx and network failures wait and try
// again, and a page that can't be read (by stripe-go or by decode
// returning an errUnreadable) is asked for again up to
// Retry.MalformedAttempts times. It fails with:
//   - an error matching stripeapi.ErrNeedsReauth (401, or a key that can't
//     be renewed), which ends the whole sync;
//   - errGone, when req.gone and Stripe answers 404;
//   - ErrMalformedPage, after the malformed attempts;
//   - domain.ErrCanceled when ctx ends;
//   - otherwise the classified Stripe error (stripeapi.Classify).
func (c *caller) fetch(ctx context.Context, what string, req listRequest, decode func(*page) error) error {
	var rateLimited, transient, malformed int
	var reauthRetried bool
	for {
		key, err := c.keys.Key(ctx, c.connID)
		if err != nil {
			if ctx.Err() != nil {
				return canceled(ctx)
			}
			if !errors.Is(err, stripeapi.ErrNetwork) && !errors.Is(err, stripeapi.ErrStripeDown) {
				return err // needs re-authentication, keychain trouble: nothing to retry
			}
			transient++
			if transient >= c.retry.Attempts {
				return err
			}
			if err := sleep(ctx, c.retry.delay(transient-1)); err != nil {
				return canceled(ctx)
			}
			continue
		}
		if err := c.limits.wait(ctx, req.endpoint, req.priority); err != nil {
			return canceled(ctx)
		}
		if c.onRequest != nil {
			c.onRequest(req.endpoint)
		}
		var p page
		p, err = c.get(ctx, key, req)
		if err == nil {
			c.limits.answered(req.endpoint)
			err = checkList(&p)
			if err == nil {
				err = decode(&p)
			}
			if err == nil {
				return nil
			}
		}
		if ctx.Err() != nil {
			return canceled(ctx)
		}
		var bad *errUnreadable
		switch kind := sortFailure(err); {
		case errors.As(err, &bad) || kind == failMalformed:
			malformed++
			reason := "the answer was not JSON"
			if bad != nil {
				reason = bad.reason
			}
			c.log.Warn("sync: unreadable page", "conn", c.connID, "what", what, "attempt", malformed, "reason", reason)
			if malformed >= c.retry.MalformedAttempts {
				return domain.E(domain.KindMalformedPage, nil, domain.FactWhat, what, domain.FactDetail, reason,
					domain.FactAttempts, strconv.Itoa(malformed))
			}
			if err := sleep(ctx, c.retry.delay(malformed-1)); err != nil {
				return canceled(ctx)
			}
		case kind == failRateLimited:
			c.limits.refused(req.endpoint)
			rateLimited++
			if rateLimited >= c.retry.RateLimitedAttempts {
				return stripeapi.Classify(err)
			}
			if err := sleep(ctx, c.retry.delay(rateLimited-1)); err != nil {
				return canceled(ctx)
			}
		case kind == failTransient:
			c.limits.answered(req.endpoint)
			transient++
			if transient >= c.retry.Attempts {
				return stripeapi.Classify(err)
			}
			if err := sleep(ctx, c.retry.delay(transient-1)); err != nil {
				return canceled(ctx)
			}
		case kind == failUnauthorized:
			// Another process may have renewed the token a moment ago:
			// try once more if the source now hands out another key.
			if !reauthRetried {
				reauthRetried = true
				if next, kerr := c.keys.Key(ctx, c.connID); kerr == nil && next != key {
					continue
				}
			}
			return stripeapi.Classify(err)
		case kind == failNotFound && req.gone:
			return errGone
		default:
			return stripeapi.Classify(err)
		}
	}
}

// get makes one request and splits the page. stripe-go builds the request
// (auth, API version, client headers) and decodes Stripe's error answers;
// the body of a good answer is read here (see page.go). stripe-go's own
// CallRaw would unmarshal the whole page, and its CallStreaming panics on a
// transport error in v76 (it reads the nil response's body).
func (c *caller) get(ctx context.Context, key string, req listRequest) (page, error) {
	values := url.Values{}
	limit := req.limit
	if limit <= 0 {
		limit = pageLimit
	}
	values.Set("limit", strconv.Itoa(limit))
	for _, kv := range req.params {
		values.Add(kv[0], kv[1])
	}
	hr, err := c.backend.NewRequest(http.MethodGet, req.path+"?"+values.Encode(), key,
		"application/x-www-form-urlencoded", &stripe.Params{Context: ctx})
	if err != nil {
		return page{}, err
	}
	resp, err := c.backend.HTTPClient.Do(hr)
	if err != nil {
		return page{}, err // a *url.Error: a network failure
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		// A connection cut mid-answer is a network failure.
		return page{}, &url.Error{Op: "read", URL: req.path, Err: err}
	}
	if resp.StatusCode >= 400 {
		err := c.backend.ResponseToError(resp, body)
		var se *stripe.Error
		if !errors.As(err, &se) {
			// An error answer that isn't Stripe's JSON (a proxy's page):
			// its status is all that counts.
			return page{}, &stripe.Error{HTTPStatusCode: resp.StatusCode, Type: stripe.ErrorTypeAPI}
		}
		return page{}, err
	}
	p, err := splitPage(body)
	if err != nil {
		return page{}, unreadable("the answer was not JSON, or not a list")
	}
	return p, nil
}

// failure kinds of one attempt.
const (
	failOther = iota
	failMalformed
	failRateLimited
	failTransient
	failUnauthorized
	failNotFound
)

// sortFailure sorts a CallRaw error. stripe-go reports an answer it could
// not decode as a plain error holding a sample of the body, so anything that
// is neither Stripe's error nor a network failure is a malformed answer.
func sortFailure(err error) int {
	var se *stripe.Error
	if errors.As(err, &se) {
		switch s := se.HTTPStatusCode; {
		case s == http.StatusUnauthorized:
			return failUnauthorized
		case s == http.StatusTooManyRequests:
			return failRateLimited
		case s == http.StatusNotFound:
			return failNotFound
		case s >= 500 || s == http.StatusConflict:
			return failTransient
		}
		return failOther
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return failTransient
	}
	return failMalformed
}

// checkList rejects an answer that decoded but isn't a list page.
func checkList(p *page) error {
	if p.Object != "list" {
		return unreadable("the answer was not a list")
	}
	if p.Data == nil {
		return unreadable("the list had no data")
	}
	return nil
}

// canceled is the error for a sync whose context ended.
func canceled(ctx context.Context) error {
	return fmt.Errorf("%w: %w", domain.ErrCanceled, context.Cause(ctx))
}
