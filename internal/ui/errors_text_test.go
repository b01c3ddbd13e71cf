package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// secretCause is what a lower layer might have said: a key, a token and a
// body. None of it may reach a sentence.
var secretCause = errors.New("Invalid API Key provided: sk_" + "live_SECRETkey0123456789 refresh rt_SECRETrefresh42 body <html>Hotel WiFi</html>")

var secretParts = []string{"sk_live_SECRET", "rt_SECRET", "Hotel WiFi", "<html>"}

// allFacts is a value for every fact, as a busy error might carry them.
func allFacts() domain.Facts {
	f := domain.Facts{}
	for _, name := range domain.FactNames() {
		f[name] = "x_" + name
	}
	f[domain.FactMode], f[domain.FactExpectedMode] = "live", "test"
	f[domain.FactWait] = "5m0s"
	f[domain.FactCheckedAt] = "2026-12-07T14:02:00Z"
	f[domain.FactLength], f[domain.FactAttempts] = "10240", "3"
	f[domain.FactAuthMethod], f[domain.FactRestricted] = "api_key", "true"
	return f
}

func TestEveryErrorKindReachesTheWindowAsItsCatalogSentence(t *testing.T) {
	for _, facts := range []domain.Facts{nil, allFacts()} {
		for _, kind := range domain.Kinds() {
			name := fmt.Sprintf("%s with %d facts", kind, len(facts))
			t.Run(name, func(t *testing.T) {
				err := fmt.Errorf("doing something: %w", &domain.Error{Kind: kind, Facts: facts, Cause: secretCause})
				texts := map[i18n.Language]string{}
				for _, l := range i18n.Languages() {
					useLanguage(t, l)
					s := errorText(err)
					texts[l] = s
					switch {
					case strings.TrimSpace(s) == "":
						t.Errorf("%s: empty sentence", l)
					case strings.HasPrefix(s, "error."):
						t.Errorf("%s: the key came back raw: %q", l, s)
					case strings.Contains(s, "{{") || strings.Contains(s, "<no value>"):
						t.Errorf("%s: an unfilled template: %q", l, s)
					case s == errorText(errors.New("unclassified")) && kind != domain.KindUnknown:
						t.Errorf("%s: %s fell back to the general sentence", l, kind)
					}
					for _, p := range secretParts {
						if strings.Contains(s, p) {
							t.Errorf("%s: %q reached the sentence %q", l, p, s)
						}
					}
					if !strings.HasSuffix(strings.TrimSpace(s), ".") {
						t.Errorf("%s: %q is not a finished sentence", l, s)
					}
				}
				if texts[i18n.English] == texts[i18n.Swedish] {
					t.Errorf("Swedish is the English text: %q", texts[i18n.English])
				}
			})
		}
	}
}

func TestEveryMessageKeyIsInTheCatalog(t *testing.T) {
	for _, l := range i18n.Languages() {
		keys, err := i18n.Keys(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range domain.MessageKeys() {
			if _, found := slices.BinarySearch(keys, "error."+k); !found {
				t.Errorf("%s: no words for %q", l, "error."+k)
			}
		}
	}
}

func TestErrorTextWordsTheFacts(t *testing.T) {
	useLanguage(t, i18n.English)
	t.Run("a restricted key's missing permission names where to allow it", func(t *testing.T) {
		err := domain.E(domain.KindPermission, secretCause, domain.FactPermission, "Charges: Read",
			domain.FactResource, "Charges", domain.FactAccess, "Read", domain.FactRestricted, "true")
		got := errorText(err)
		if !strings.Contains(got, "“Charges: Read”") || !strings.Contains(got, "allow Read for Charges") {
			t.Errorf("got %q", got)
		}
		useLanguage(t, i18n.Swedish)
		if got := errorText(err); !strings.Contains(got, "”Charges: Read”") || !strings.Contains(got, "Utvecklare › API-nycklar") {
			t.Errorf("Swedish: %q", got)
		}
	})
	t.Run("the sign-in's wait is written in words of the language", func(t *testing.T) {
		useLanguage(t, i18n.English)
		err := domain.E(domain.KindSignInTimedOut, nil, domain.FactWait, (5 * time.Minute).String())
		if got := errorText(err); !strings.Contains(got, "waited 5 minutes") {
			t.Errorf("got %q", got)
		}
		useLanguage(t, i18n.Swedish)
		if got := errorText(err); !strings.Contains(got, "väntade i 5 minuter") {
			t.Errorf("Swedish: %q", got)
		}
	})
	t.Run("Stripe's own redacted message is the one text from below that is shown", func(t *testing.T) {
		useLanguage(t, i18n.English)
		err := domain.E(domain.KindRequestRefused, secretCause, domain.FactStripeMessage, "No such customer: 'cus_1'", domain.FactHTTPStatus, "404")
		if got := errorText(err); !strings.Contains(got, "Stripe said: No such customer: 'cus_1'") || !strings.Contains(got, "HTTP 404") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("an unclassified error gets the general sentence, not its text", func(t *testing.T) {
		useLanguage(t, i18n.English)
		got := errorText(fmt.Errorf("wrapped: %w", secretCause))
		if got != i18n.T("error.unknown") {
			t.Errorf("got %q", got)
		}
		if errorText(nil) != "" {
			t.Error("nil has words")
		}
	})
	t.Run("a kind wrapped twice with %w still finds its sentence", func(t *testing.T) {
		useLanguage(t, i18n.English)
		err := fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", domain.KindSyncRunning))
		if got := errorText(err); !strings.Contains(got, "already running") {
			t.Errorf("got %q", got)
		}
	})
}

func TestStatusDetailText(t *testing.T) {
	now := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	conn := func(s domain.Status, checked time.Duration) domain.Connection {
		c := domain.Connection{Status: s}
		if checked != 0 {
			c.StatusCheckedAt = now.Add(-checked)
		}
		return c
	}
	cases := []struct {
		name    string
		c       domain.Connection
		offline bool
		en, sv  string
	}{
		{"online, connected", conn(domain.StatusConnected, time.Hour), false, "Connected", "Ansluten"},
		{"online, needs re-authentication", conn(domain.StatusNeedsReauth, time.Hour), false, "Needs re-authentication", "Behöver autentiseras igen"},
		{"offline, connected two hours ago", conn(domain.StatusConnected, 2*time.Hour), true,
			"Offline — last checked 2 hours ago", "Ingen anslutning — senast kontrollerad för 2 timmar sedan"},
		{"offline, checked seconds ago", conn(domain.StatusConnected, 20*time.Second), true,
			"Offline — last checked just now", "Ingen anslutning — senast kontrollerad alldeles nyss"},
		{"offline, never checked", conn(domain.StatusConnected, 0), true, "Offline — never checked", "Ingen anslutning — aldrig kontrollerad"},
		{"offline keeps the action a person must take", conn(domain.StatusNeedsReauth, 5*time.Minute), true,
			"Needs re-authentication — offline, last checked 5 minutes ago",
			"Behöver autentiseras igen — ingen anslutning, senast kontrollerad för 5 minuter sedan"},
		{"offline, one day", conn(domain.StatusError, 24*time.Hour), true, "Error — offline, last checked 1 day ago",
			"Fel — ingen anslutning, senast kontrollerad för 1 dag sedan"},
		{"offline changes nothing for a disconnected connection", conn(domain.StatusDisconnected, time.Hour), true, "Disconnected", "Frånkopplad"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			useLanguage(t, i18n.English)
			if got := statusDetailText(tc.c, tc.offline, now); got != tc.en {
				t.Errorf("English %q, want %q", got, tc.en)
			}
			useLanguage(t, i18n.Swedish)
			if got := statusDetailText(tc.c, tc.offline, now); got != tc.sv {
				t.Errorf("Swedish %q, want %q", got, tc.sv)
			}
		})
	}
	t.Run("the reason of a status is worded like any error", func(t *testing.T) {
		useLanguage(t, i18n.Swedish)
		c := domain.Connection{Status: domain.StatusNeedsReauth, StatusReason: domain.KindRevokedKey}
		if got := statusReasonText(c); !strings.Contains(got, "API-nyckeln har återkallats") {
			t.Errorf("got %q", got)
		}
		if statusReasonText(domain.Connection{Status: domain.StatusConnected}) != "" {
			t.Error("a status without a reason has words")
		}
	})
}
