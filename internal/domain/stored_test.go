package domain

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestAStoredErrorComesBackWithItsKindAndFacts(t *testing.T) {
	err := fmt.Errorf("listing charges: %w", E(KindStripeDown, errors.New("Bearer sk_test_secret"), FactHTTPStatus, "503"))
	s := StoreError(err)
	if s != `{"kind":"stripe_unavailable","facts":{"http_status":"503"}}` {
		t.Errorf("stored %s", s)
	}
	back := LoadError(s)
	k, f := KindOf(back)
	if k != KindStripeDown || !reflect.DeepEqual(f, Facts{FactHTTPStatus: "503"}) || !errors.Is(back, KindStripeDown) {
		t.Errorf("loaded %v %v", k, f)
	}
	if StoreError(nil) != "" || LoadError("") != nil {
		t.Error("nil and empty should round-trip")
	}
	if k, _ := KindOf(LoadError("Stripe is having problems right now.")); k != KindUnknown {
		t.Errorf("an old sentence loads as %v", k)
	}
	if k, _ := KindOf(LoadError(StoreError(errors.New("plain")))); k != KindUnknown {
		t.Errorf("an unclassified error loads as %v", k)
	}
}
