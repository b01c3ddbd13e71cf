package localefmt

import (
	"strings"
	"time"
)

// Date writes t's date in the locale's medium form: sv-SE "7 dec. 2026",
// en-US "Dec 7, 2026", en-GB "7 Dec 2026", de-DE "07.12.2026".
func (f *Formatter) Date(t time.Time) string {
	return f.cal.render(f.cal.dateMedium, f.in(t))
}

// Time writes t's hour and minute in the locale's short form: 24-hour
// "15:04" in sv-SE, en-GB and de-DE, "3:04 PM" (U+202F) in en-US.
func (f *Formatter) Time(t time.Time) string {
	return f.cal.render(f.cal.timeShort, f.in(t))
}

// DateTime writes the medium date and the short time joined as CLDR joins
// them: sv-SE "7 dec. 2026 15:04", en-US "Dec 7, 2026, 3:04 PM".
func (f *Formatter) DateTime(t time.Time) string {
	t = f.in(t)
	r := strings.NewReplacer("{1}", f.cal.render(f.cal.dateMedium, t), "{0}", f.cal.render(f.cal.timeShort, t))
	return r.Replace(f.cal.dateTimeMedium)
}

// MonthYear writes a month for chart labels: sv-SE "dec. 2026", en "Dec 2026",
// de-DE "Dez. 2026".
func (f *Formatter) MonthYear(t time.Time) string {
	return f.cal.render(f.cal.yearMonth, f.in(t))
}

// MonthShort writes the month's abbreviated name standing alone (sv-SE
// "dec.", de-DE "Dez", en "Dec").
func (f *Formatter) MonthShort(t time.Time) string {
	return f.cal.render(f.cal.month, f.in(t))
}

// Weekday is the day's full name standing alone (sv-SE "måndag").
func (f *Formatter) Weekday(d time.Weekday) string {
	return f.cal.daysWideStandAlone[d%7]
}

// WeekdayShort is the day's abbreviated name standing alone (sv-SE "mån",
// de-DE "Mo").
func (f *Formatter) WeekdayShort(d time.Weekday) string {
	return f.cal.daysAbbrStandAlone[d%7]
}

func (f *Formatter) in(t time.Time) time.Time {
	if f.zone != nil {
		return t.In(f.zone)
	}
	return t.Local()
}
