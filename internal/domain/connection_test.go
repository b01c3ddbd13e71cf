package domain

import (
	"regexp"
	"testing"
)

func TestNewConnectionIDIsRandomAndWellFormed(t *testing.T) {
	seen := map[string]bool{}
	shape := regexp.MustCompile(`^conn_[a-z2-7]{16}$`)
	for i := 0; i < 1000; i++ {
		id := NewConnectionID()
		if !shape.MatchString(id) {
			t.Fatalf("id %q has the wrong shape", id)
		}
		if seen[id] {
			t.Fatalf("id %q repeated", id)
		}
		seen[id] = true
	}
}

func TestShortAccountID(t *testing.T) {
	cases := map[string]string{
		"acct_1Qx2345679Lm": "acct_1Qx…79Lm",
		"acct_short":        "acct_short",
		"":                  "",
	}
	for in, want := range cases {
		if got := (Connection{AccountID: in}).ShortAccountID(); got != want {
			t.Errorf("ShortAccountID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStatusValidAndLabels(t *testing.T) {
	for _, s := range []Status{StatusConnected, StatusNeedsReauth, StatusError, StatusDisconnected} {
		if !s.Valid() {
			t.Errorf("status %q: not valid", s)
		}
	}
	if Status("bogus").Valid() {
		t.Error("bogus status reported valid")
	}
}
