package localefmt

import (
	"testing"
	"time"
)

// Monday 7 December 2026, 15:04:05 UTC.
var dec7 = time.Date(2026, 12, 7, 15, 4, 5, 0, time.UTC)

func TestDates(t *testing.T) {
	type want struct{ sv, enUS, enGB, de string }
	cases := []struct {
		name string
		got  func(*Formatter) string
		want want
	}{
		{"a medium date", func(f *Formatter) string { return f.Date(dec7) },
			want{"7 dec. 2026", "Dec 7, 2026", "7 Dec 2026", "07.12.2026"}},
		{"a short time, 12-hour with U+202F before PM only in en-US", func(f *Formatter) string { return f.Time(dec7) },
			want{"15:04", "3:04" + nnbsp + "PM", "15:04", "15:04"}},
		{"midnight", func(f *Formatter) string { return f.Time(time.Date(2026, 1, 2, 0, 5, 0, 0, time.UTC)) },
			want{"00:05", "12:05" + nnbsp + "AM", "00:05", "00:05"}},
		{"date and time joined as CLDR joins them", func(f *Formatter) string { return f.DateTime(dec7) },
			want{"7 dec. 2026 15:04", "Dec 7, 2026, 3:04" + nnbsp + "PM", "7 Dec 2026, 15:04", "07.12.2026, 15:04"}},
		{"a chart's month label", func(f *Formatter) string { return f.MonthYear(dec7) },
			want{"dec. 2026", "Dec 2026", "Dec 2026", "Dez. 2026"}},
		{"a month standing alone", func(f *Formatter) string { return f.MonthShort(dec7) },
			want{"dec.", "Dec", "Dec", "Dez"}},
		{"May is maj, whole", func(f *Formatter) string { return f.Date(time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)) },
			want{"3 maj 2026", "May 3, 2026", "3 May 2026", "03.05.2026"}},
		{"June is juni", func(f *Formatter) string { return f.MonthYear(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)) },
			want{"juni 2026", "Jun 2026", "Jun 2026", "Juni 2026"}},
		{"September is Sept in en-GB and de", func(f *Formatter) string { return f.MonthYear(time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)) },
			want{"sep. 2026", "Sep 2026", "Sept 2026", "Sept. 2026"}},
		{"March stands alone as Mär in de", func(f *Formatter) string { return f.MonthShort(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)) },
			want{"mars", "Mar", "Mar", "Mär"}},
		{"a weekday's name", func(f *Formatter) string { return f.Weekday(dec7.Weekday()) },
			want{"måndag", "Monday", "Monday", "Montag"}},
		{"a weekday's short name", func(f *Formatter) string { return f.WeekdayShort(time.Saturday) },
			want{"lör", "Sat", "Sat", "Sa"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for locale, want := range map[string]string{"sv-SE": c.want.sv, "en-US": c.want.enUS, "en-GB": c.want.enGB, "de-DE": c.want.de} {
				if got := c.got(New(locale, InZone(time.UTC))); got != want {
					t.Errorf("%s: got %q, want %q", locale, got, want)
				}
			}
		})
	}
}

func TestZone(t *testing.T) {
	late := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)

	t.Run("times are shown in the formatter's zone", func(t *testing.T) {
		f := New("sv-SE", InZone(time.FixedZone("CET", 3600)))
		if got, want := f.DateTime(late), "1 jan. 2027 00:30"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := f.MonthYear(late), "jan. 2027"; got != want {
			t.Errorf("the month label follows the zone too: got %q, want %q", got, want)
		}
	})

	t.Run("without a zone the computer's is used", func(t *testing.T) {
		if got, want := New("sv-SE").DateTime(late), New("sv-SE", InZone(time.Local)).DateTime(late); got != want {
			t.Errorf("got %q, want %q (time.Local)", got, want)
		}
	})
}
