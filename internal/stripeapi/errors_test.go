package stripeapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// fakeStripe answers every request with status and body.
func fakeStripe(t *testing.T, status int, body string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", "req_123")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return New(Options{APIBase: srv.URL, MaxNetworkRetries: -1})
}

const (
	restrictedKey = "rk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
	accessToken   = "sk_test_oauthAccessToken0123456789"
)

func stripeError(msg, typ string) string {
	return `{"error":{"message":"` + msg + `","type":"` + typ + `"}}`
}

func TestClassifyStripeAnswers(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		key    string
		class  error
		kind   domain.Kind
		facts  domain.Facts // each must be among the error's facts
		never  []string
	}{
		{
			name: "a refused key needs re-authentication, and Stripe's message quoting the key is not shown", status: 401,
			body: stripeError("Invalid API Key provided: rk_test_********************************6789", "invalid_request_error"),
			key:  restrictedKey, class: ErrNeedsReauth, kind: domain.KindNeedsReauth, never: []string{"rk_test", "6789", "Invalid API Key"},
		},
		{
			name: "stripe-mock's 401 quotes the Authorization header; it is not shown", status: 401,
			body: stripeError("Please authenticate ... Authorization was 'Basic cmtfdGVzdF8xMjM6'.", "invalid_request_error"),
			key:  restrictedKey, class: ErrNeedsReauth, never: []string{"cmtfdGVzdF8xMjM6", "Basic"},
		},
		{
			name: "a restricted key missing a permission is told which one and where to allow it", status: 403,
			body: stripeError("The provided key 'rk_test_*********************************6789' does not have the required permissions for this endpoint on account 'acct_1Abc'. Having the 'rak_charge_read' permission would allow this request to continue.", "invalid_request_error"),
			key:  restrictedKey, class: ErrPermission,
			kind:  domain.KindPermission,
			facts: domain.Facts{"permission": "Charges: Read", "resource": "Charges", "access": "Read", "restricted": "true"},
			never: []string{"rk_test", "6789", "rak_charge_read"},
		},
		{
			name: "an OAuth token missing a permission is told to re-authenticate", status: 403,
			body: stripeError("The provided key 'sk_test_*********************************6789' does not have the required permissions for this endpoint on account 'acct_1Abc'. Having the 'rak_invoice_read' permission would allow this request to continue.", "invalid_request_error"),
			key:  accessToken, class: ErrPermission,
			kind: domain.KindPermission, facts: domain.Facts{"permission": "Invoices: Read"},
			never: []string{"sk_test", "6789", "restricted=true"},
		},
		{
			name: "an unknown permission is named as Stripe names it", status: 403,
			body: stripeError("The provided key 'rk_live_***6789' does not have the required permissions for this endpoint on account 'acct_1'. Having the 'rak_quantum_ledger_write' permission would allow this request to continue.", "invalid_request_error"),
			key:  restrictedKey, class: ErrPermission,
			facts: domain.Facts{"permission": "rak_quantum_ledger_write"}, never: []string{"rk_live", "resource="},
		},
		{
			name: "a 403 that names no permission says so in general", status: 403,
			body: stripeError("Forbidden for key rk_test_abc", "invalid_request_error"),
			key:  restrictedKey, class: ErrPermission, kind: domain.KindPermission, never: []string{"rk_test", "permission="},
		},
		{
			name: "too many requests", status: 429, body: stripeError("Too many requests", "rate_limit_error"),
			key: restrictedKey, class: ErrRateLimited, kind: domain.KindRateLimited,
		},
		{
			name: "Stripe's own trouble", status: 500, body: stripeError("An unknown error occurred", "api_error"),
			key: restrictedKey, class: ErrStripeDown, facts: domain.Facts{"http_status": "500"},
		},
		{
			name: "another refusal shows Stripe's message with anything key-like blotted out", status: 400,
			body: stripeError("No such thing for key sk_test_abc123 (Bearer rt_abcdefghij0123) or 'pk_live_zzz'", "invalid_request_error"),
			key:  restrictedKey, class: ErrRequest,
			facts: domain.Facts{"stripe_message": "No such thing for key [redacted] ([redacted]) or '[redacted]'", "http_status": "400"},
			never: []string{"sk_test", "abc123", "rt_abcdefghij", "pk_live"},
		},
		{
			name: "an answer that isn't Stripe's (a captive portal) is a network problem, and its text isn't shown", status: 200,
			body: `<html><form>Sign in to Hotel WiFi, token=sk_test_leaked</form></html>`,
			key:  restrictedKey, class: ErrNetwork, kind: domain.KindUnreadableAnswer, never: []string{"Hotel", "sk_test", "html"},
		},
		{
			name: "an error answer without Stripe's error object isn't shown either", status: 502,
			body: `{"gateway":"upstream said rk_test_leaked"}`,
			key:  restrictedKey, class: ErrNetwork, never: []string{"gateway", "rk_test"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeStripe(t, tc.status, tc.body)
			_, err := c.Account(ctx, tc.key)
			if !errors.Is(err, tc.class) {
				t.Fatalf("err = %v, want class %v", err, tc.class)
			}
			kind, facts := domain.KindOf(err)
			if tc.kind != "" && kind != tc.kind {
				t.Errorf("kind %q, want %q", kind, tc.kind)
			}
			for name, want := range tc.facts {
				if facts[name] != want {
					t.Errorf("fact %s = %q, want %q (%v)", name, facts[name], want, facts)
				}
			}
			for _, s := range append(tc.never, tc.key) {
				if strings.Contains(err.Error(), s) || strings.Contains(causeText(err), s) {
					t.Errorf("the error or its cause shows %q: %s", s, err)
				}
			}
		})
	}

	t.Run("Stripe's code and request id stay reachable for the caller", func(t *testing.T) {
		c := fakeStripe(t, 404, `{"error":{"message":"No such charge: 'ch_1'","type":"invalid_request_error","code":"resource_missing"}}`)
		_, err := c.Account(ctx, restrictedKey)
		var se *stripe.Error
		if !errors.As(err, &se) || se.Code != stripe.ErrorCodeResourceMissing || se.RequestID != "req_123" {
			t.Errorf("errors.As gives %+v from %v", se, err)
		}
	})
}

// causeText is the text of everything err wraps, as a log might print it.
func causeText(err error) string {
	var b strings.Builder
	var walk func(error)
	walk = func(e error) {
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				b.WriteString(c.Error() + " | ")
				walk(c)
			}
		case interface{ Unwrap() error }:
			if c := u.Unwrap(); c != nil {
				b.WriteString(c.Error() + " | ")
				walk(c)
			}
		}
	}
	walk(err)
	return b.String()
}

func TestClassifyFailuresOnTheWay(t *testing.T) {
	t.Run("nothing listening is a network problem", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		_, err = New(Options{APIBase: "http://" + addr, MaxNetworkRetries: -1}).Account(context.Background(), restrictedKey)
		if !errors.Is(err, ErrNetwork) || strings.Contains(err.Error(), restrictedKey) {
			t.Errorf("err = %v, want ErrNetwork", err)
		}
	})

	slow := func(t *testing.T) *Client {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}))
		t.Cleanup(srv.Close)
		return New(Options{APIBase: srv.URL, MaxNetworkRetries: -1})
	}

	t.Run("the caller canceling is a cancellation, not a failure", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := slow(t).Account(ctx, restrictedKey)
		if !errors.Is(err, domain.ErrCanceled) || errors.Is(err, ErrNetwork) {
			t.Errorf("err = %v, want domain.ErrCanceled", err)
		}
	})

	t.Run("the caller's deadline passing is a network problem", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := slow(t).Account(ctx, restrictedKey)
		if !errors.Is(err, ErrNetwork) {
			t.Errorf("err = %v, want ErrNetwork", err)
		}
	})
}

// keys is a KeySource from a map.
type keys map[string]string

func (k keys) Key(_ context.Context, id string) (string, error) {
	if key, ok := k[id]; ok {
		return key, nil
	}
	return "", errKeyMissing
}

var errKeyMissing = errors.New("Ledgerline has no saved credentials for this connection. Connect it again.")

func TestAccountFor(t *testing.T) {
	var gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		_, _ = w.Write([]byte(`{"id":"acct_1","object":"account","settings":{"dashboard":{"display_name":"Corner Shop"}}}`))
	}))
	defer srv.Close()
	c := New(Options{APIBase: srv.URL})

	t.Run("uses the key the source hands out for the connection", func(t *testing.T) {
		acct, err := c.AccountFor(context.Background(), keys{"conn_1": restrictedKey}, "conn_1")
		if err != nil || acct.ID != "acct_1" || acct.Name != "Corner Shop" || gotAuth != "Bearer "+restrictedKey {
			t.Errorf("AccountFor = %+v, %v with Authorization %q", acct, err, gotAuth)
		}
	})
	t.Run("returns the source's error as it is, without calling Stripe", func(t *testing.T) {
		gotAuth = ""
		_, err := c.AccountFor(context.Background(), keys{}, "conn_2")
		if !errors.Is(err, errKeyMissing) || gotAuth != "" {
			t.Errorf("err = %v, Stripe called: %v", err, gotAuth != "")
		}
	})
}
