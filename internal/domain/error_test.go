package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestKindsFormATreeThatErrorsIsFollows(t *testing.T) {
	t.Run("a variant matches its parent, not the other way round", func(t *testing.T) {
		if !errors.Is(KindRevokedKey, KindNeedsReauth) || errors.Is(KindNeedsReauth, KindRevokedKey) {
			t.Error("parent/variant matching is wrong")
		}
		if !errors.Is(KindKeychainMissing, ErrNotFound) || errors.Is(KindKeychainMissing, KindNeedsReauth) {
			t.Error("keychain.missing should match not_found only")
		}
	})
	t.Run("through an *Error and %w wrapping, with the cause still reachable", func(t *testing.T) {
		cause := errors.New("underneath")
		err := fmt.Errorf("context: %w", E(KindRefreshRefused, cause, FactCode, "invalid_grant"))
		if !errors.Is(err, KindRefreshRefused) || !errors.Is(err, KindNeedsReauth) || !errors.Is(err, cause) {
			t.Error("errors.Is misses the kind, its parent or the cause")
		}
		var e *Error
		if !errors.As(err, &e) || e.Fact(FactCode) != "invalid_grant" {
			t.Errorf("errors.As: %v", e)
		}
		if k, f := KindOf(err); k != KindRefreshRefused || f[FactCode] != "invalid_grant" {
			t.Errorf("KindOf = %q %v", k, f)
		}
	})
	t.Run("the text names kind and facts but never the cause", func(t *testing.T) {
		err := E(KindStripeDown, errors.New("Bearer sk_test_secret"), FactHTTPStatus, "503", FactHost, "")
		if got := err.Error(); got != "Stripe unavailable (http_status=503)" {
			t.Errorf("text %q", got)
		}
		if strings.Contains(err.Error(), "sk_test") {
			t.Error("the cause leaked")
		}
	})
	t.Run("unclassified and nil errors", func(t *testing.T) {
		if k, _ := KindOf(errors.New("x")); k != KindUnknown {
			t.Errorf("got %q", k)
		}
		if k, _ := KindOf(nil); k != "" {
			t.Errorf("got %q", k)
		}
		if k, _ := KindOf(fmt.Errorf("w: %w", KindOffline)); k != KindOffline {
			t.Errorf("got %q", k)
		}
	})
	t.Run("every kind's parent is a kind, and every kind has a technical text", func(t *testing.T) {
		for _, k := range Kinds() {
			if p := k.Parent(); p != "" && !p.Known() {
				t.Errorf("%s: unknown parent %s", k, p)
			}
			if k.Error() == "" {
				t.Errorf("%s has no text", k)
			}
		}
	})
}
