package stripeapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/testkit"

	"github.com/stripe/stripe-go/v76"
)

// Contract tests: every request the Client makes goes to stripe-mock, which
// checks it against Stripe's own OpenAPI description and answers 400 to
// anything the real API would refuse (an unknown parameter, a wrong type, a
// missing field). stripe-mock's lists hold one fixture object and ignore
// filters, so this checks request shapes, not sync logic.
//
// Install: go install github.com/stripe/stripe-mock@v0.203.0. Without it
// these tests skip, unless LEDGERLINE_CONTRACT_TESTS=1 (as in CI), where a
// missing stripe-mock fails them.

// contractCalls is every request the Client makes, by Client method. Add a
// row with each new call (list endpoints: one page with limit and a
// created filter, and one with starting_after).
var contractCalls = []struct {
	method string // the Client method the row exercises
	name   string
	call   func(ctx context.Context, c *Client, key string) error
}{
	{"Account", "GET /v1/account", func(ctx context.Context, c *Client, key string) error {
		a, err := c.Account(ctx, key)
		if err == nil && !strings.HasPrefix(a.ID, "acct_") {
			err = fmt.Errorf("the account came back without an id: %+v", a)
		}
		return err
	}},
}

// contractKeys are the two kinds of secret Ledgerline calls Stripe with.
var contractKeys = []struct{ name, key string }{
	{"an OAuth access token", "sk_test_contractOAuthToken0123456789"},
	{"a restricted key", "rk_test_contractRestrictedKey0123456789"},
}

func TestContractCoversEveryCall(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range contractCalls {
		covered[c.method] = true
	}
	typ := reflect.TypeOf(&Client{})
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if strings.HasSuffix(name, "For") { // the KeySource forms call the keyed method
			continue
		}
		if !covered[name] {
			t.Errorf("Client.%s makes a Stripe request but has no row in contractCalls", name)
		}
	}
}

func TestContractWithStripeMock(t *testing.T) {
	base := testkit.StartStripeMock(t)
	c := New(Options{APIBase: base, MaxNetworkRetries: -1})
	ctx := context.Background()
	for _, k := range contractKeys {
		for _, call := range contractCalls {
			t.Run(call.name+" with "+k.name, func(t *testing.T) {
				if err := call.call(ctx, c, k.key); err != nil {
					t.Errorf("stripe-mock refused the request: %v", err)
				}
			})
		}
	}

	t.Run("stripe-mock does refuse a request Stripe's API description doesn't allow", func(t *testing.T) {
		params := &stripe.AccountParams{Params: stripe.Params{Context: ctx}}
		params.AddExtra("not_a_stripe_parameter", "1")
		var a stripe.Account
		err := Classify(c.backend.Call(http.MethodGet, "/v1/account", contractKeys[1].key, params, &a))
		if !errors.Is(err, ErrRequest) || !strings.Contains(err.Error(), "validation") {
			t.Errorf("err = %v, want ErrRequest from stripe-mock's validation", err)
		}
	})

	t.Run("a key that isn't a test key is refused without quoting it", func(t *testing.T) {
		_, err := c.Account(ctx, "sk_"+"live_notATestKey0123" /* split so no live-key pattern is in the source */)
		if !errors.Is(err, ErrNeedsReauth) || strings.Contains(err.Error(), "sk_live") {
			t.Errorf("err = %v, want ErrNeedsReauth without the key", err)
		}
	})
}
