package localefmt

import (
	"strings"
	"testing"
	"time"
)

func TestCalendarTable(t *testing.T) {
	t.Run("every pattern in the generated table uses only fields render knows", func(t *testing.T) {
		for loc, c := range calendars {
			for _, p := range []string{c.dateMedium, c.timeShort, c.yearMonth, c.month} {
				for _, field := range fieldsOf(p) {
					if !strings.ContainsRune(knownFields, field) {
						t.Errorf("%s: pattern %q has field %q that render does not know", loc, p, field)
					}
				}
			}
			if !strings.Contains(c.dateTimeMedium, "{0}") || !strings.Contains(c.dateTimeMedium, "{1}") {
				t.Errorf("%s: date-time pattern %q lacks {0} or {1}", loc, c.dateTimeMedium)
			}
		}
	})

	t.Run("quoted text is literal and a doubled apostrophe is one apostrophe", func(t *testing.T) {
		c := calendars["en"]
		got := c.render("d 'de' MMM ''yy h.mm", time.Date(2026, 5, 3, 0, 7, 0, 0, time.UTC))
		if want := "3 de May '26 12.07"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// fieldsOf lists the pattern letters outside quotes.
func fieldsOf(p string) []rune {
	var out []rune
	quoted := false
	for _, r := range p {
		switch {
		case r == '\'':
			quoted = !quoted
		case !quoted && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			out = append(out, r)
		}
	}
	return out
}
