package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestEveryErrorKindHasAnEnglishReason(t *testing.T) {
	secret := errors.New("Invalid API Key provided: sk_" + "live_SECRETkey0123456789 (rt_SECRETrefresh42)") // split: no key-shaped literal in the tree
	full := domain.Facts{}
	for _, name := range domain.FactNames() {
		full[name] = "x_" + name
	}
	full[domain.FactWait], full[domain.FactMode] = "5m0s", "live"
	general := message(domain.KindUnknown)
	for _, facts := range []domain.Facts{nil, full} {
		for _, kind := range domain.Kinds() {
			err := fmt.Errorf("while doing something: %w", &domain.Error{Kind: kind, Facts: facts, Cause: secret})
			got := message(err)
			switch {
			case got == "" || strings.Contains(got, "\n"):
				t.Errorf("%s: %q is not one line", kind, got)
			case strings.Contains(got, "SECRET") || strings.Contains(got, "while doing something"):
				t.Errorf("%s: the cause's text reached the reason: %q", kind, got)
			case strings.Contains(got, "{{") || strings.Contains(got, "<no value>"):
				t.Errorf("%s: unfilled template: %q", kind, got)
			case got == general && kind != domain.KindUnknown:
				t.Errorf("%s: fell back to the general reason", kind)
			case !strings.HasSuffix(got, "."):
				t.Errorf("%s: %q is not a finished sentence", kind, got)
			}
		}
	}
	for _, key := range domain.MessageKeys() {
		if _, ok := messages[key]; !ok {
			t.Errorf("no message for %q", key)
		}
	}
	for key := range messages {
		found := false
		for _, k := range domain.MessageKeys() {
			found = found || k == key
		}
		if !found {
			t.Errorf("message %q belongs to no kind", key)
		}
	}
}

func TestMessageWordsFactsAndFlags(t *testing.T) {
	t.Run("no sign-in service names the flag", func(t *testing.T) {
		if got := message(domain.E(domain.KindNoBroker, nil)); !strings.Contains(got, "--broker-url") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("the sign-in's wait is in words", func(t *testing.T) {
		got := message(domain.E(domain.KindSignInTimedOut, nil, domain.FactWait, "5m0s"))
		if !strings.Contains(got, "waited 5 minutes") || !strings.Contains(got, "ledgerline connect stripe") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("several connections' failures are each labeled", func(t *testing.T) {
		err := errors.Join(&labeled{"Acme (conn_a)", domain.E(domain.KindSyncRunning, nil)},
			&labeled{"Beta (conn_b)", fmt.Errorf("x: %w", domain.KindRateLimited)})
		got := message(err)
		if !strings.HasPrefix(got, "Acme (conn_a): A sync of this connection is already running") || !strings.Contains(got, "Beta (conn_b): Stripe asked") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("errors.Is still sees through the label", func(t *testing.T) {
		err := fmt.Errorf("w: %w", &labeled{"Acme", domain.E(domain.KindRevokedKey, nil)})
		if !errors.Is(err, domain.KindNeedsReauth) {
			t.Error("errors.Is lost the kind")
		}
	})
	t.Run("the command line's own errors keep their text", func(t *testing.T) {
		if got := message(errors.New("reading the API key from standard input: EOF")); got != "reading the API key from standard input: EOF" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("a status reason is worded for connections --json", func(t *testing.T) {
		c := domain.Connection{StatusReason: domain.KindStripeDown, StatusFacts: domain.Facts{domain.FactHTTPStatus: "503"}}
		if got := statusText(c); !strings.Contains(got, "HTTP 503") {
			t.Errorf("got %q", got)
		}
		if statusText(domain.Connection{}) != "" {
			t.Error("no reason has words")
		}
	})
}
