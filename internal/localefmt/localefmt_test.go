package localefmt

import "testing"

// CLDR's spaces and signs, spelled out so a test shows which rune it wants.
const (
	nbsp  = "\u00a0" // NO-BREAK SPACE: grouping in sv, space before kr, € and %
	nnbsp = "\u202f" // NARROW NO-BREAK SPACE: before AM/PM in en-US
	minus = "\u2212" // MINUS SIGN: Swedish negative numbers
)

func TestNew(t *testing.T) {
	cases := []struct{ asked, locale, calendar string }{
		{"sv-SE", "sv-SE", "sv"},
		{"sv_SE.UTF-8", "sv-SE", "sv"},
		{"sv-FI", "sv-FI", "sv-FI"},
		{"en-US", "en-US", "en"},
		{"en", "en-US", "en"},
		{"en-GB", "en-GB", "en-GB"},
		{"en-SE", "en-SE", "en-SE"},
		{"de-DE", "de-DE", "de"},
		{"fr-FR", Fallback, "en"},
		{"not a locale", Fallback, "en"},
		{"", Fallback, "en"},
	}
	for _, c := range cases {
		t.Run("given "+c.asked+" it writes for "+c.locale, func(t *testing.T) {
			f := New(c.asked)
			if f.Locale() != c.locale {
				t.Errorf("Locale() = %q, want %q", f.Locale(), c.locale)
			}
			if f.cal != calendars[c.calendar] {
				t.Errorf("dates come from another table entry than %q", c.calendar)
			}
		})
	}
}

func TestSupportedHaveCalendars(t *testing.T) {
	for _, l := range Supported() {
		if New(l).Locale() == Fallback && l != "en" {
			t.Errorf("%s falls back to %s", l, Fallback)
		}
	}
}
