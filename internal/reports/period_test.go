package reports

import (
	"errors"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The answers below were worked out by hand with a calendar: Stockholm
// leaves summer time on 25 Oct 2026 and enters it on 29 Mar 2026; New
// York enters it on 8 Mar 2026 and leaves it on 1 Nov 2026.
func TestPresetPeriodsByHand(t *testing.T) {
	sthlm, ny := zone(t, "Europe/Stockholm"), zone(t, "America/New_York")
	for _, c := range []struct {
		name           string
		kind           PeriodKind
		loc            *time.Location
		now            string // in loc
		from, to       string // RFC 3339, as loc writes them
		prevFrom       string // the previous period ends at from
		hours, prevHrs float64
	}{
		{"a week across the end of summer time starts on Monday", PeriodThisWeek, sthlm, "2026-10-27T12:00:00",
			"2026-10-26T00:00:00+01:00", "2026-11-02T00:00:00+01:00", "2026-10-19T00:00:00+02:00", 168, 169},
		{"on a Sunday the week began six days ago", PeriodThisWeek, sthlm, "2026-11-01T10:00:00",
			"2026-10-26T00:00:00+01:00", "2026-11-02T00:00:00+01:00", "2026-10-19T00:00:00+02:00", 168, 169},
		{"October has an hour more in Stockholm", PeriodThisMonth, sthlm, "2026-10-27T12:00:00",
			"2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00", "2026-09-01T00:00:00+02:00", 745, 720},
		{"last month across a year", PeriodLastMonth, sthlm, "2026-01-15T09:00:00",
			"2025-12-01T00:00:00+01:00", "2026-01-01T00:00:00+01:00", "2025-11-01T00:00:00+01:00", 744, 720},
		{"this month on the 31st compares with all of the month before", PeriodThisMonth, sthlm, "2026-03-31T23:30:00",
			"2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00", "2026-02-01T00:00:00+01:00", 743, 672},
		{"this year", PeriodThisYear, sthlm, "2026-01-15T09:00:00",
			"2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00", "2025-01-01T00:00:00+01:00", 8760, 8760},
		{"last year before a leap year", PeriodLastYear, sthlm, "2025-06-01T09:00:00",
			"2024-01-01T00:00:00+01:00", "2025-01-01T00:00:00+01:00", "2023-01-01T00:00:00+01:00", 8784, 8760},
		{"the last 30 days across the start of summer time", PeriodLast30Days, sthlm, "2026-03-30T08:00:00",
			"2026-03-01T00:00:00+01:00", "2026-03-31T00:00:00+02:00", "2026-01-30T00:00:00+01:00", 719, 720},
		{"today is 25 hours when New York leaves summer time", PeriodToday, ny, "2026-11-01T12:00:00",
			"2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", "2026-10-31T00:00:00-04:00", 25, 24},
		{"the last 7 days end with today, across the start of summer time", PeriodLast7Days, ny, "2026-03-10T09:00:00",
			"2026-03-04T00:00:00-05:00", "2026-03-11T00:00:00-04:00", "2026-02-25T00:00:00-05:00", 167, 168},
		{"the last 90 days", PeriodLast90Days, ny, "2026-12-07T18:00:00",
			"2026-09-09T00:00:00-04:00", "2026-12-08T00:00:00-05:00", "2026-06-11T00:00:00-04:00", 90*24 + 1, 90 * 24},
		{"this quarter and the one before, across a year", PeriodThisQuarter, ny, "2026-02-14T12:00:00",
			"2026-01-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00", "2025-10-01T00:00:00-04:00", 2159, 2209},
		{"New Year's Eve in New York is already January in UTC", PeriodThisMonth, ny, "2025-12-31T22:00:00",
			"2025-12-01T00:00:00-05:00", "2026-01-01T00:00:00-05:00", "2025-11-01T00:00:00-04:00", 744, 721},
	} {
		t.Run(c.name, func(t *testing.T) {
			now, err := time.ParseInLocation("2006-01-02T15:04:05", c.now, c.loc)
			if err != nil {
				t.Fatal(err)
			}
			p, err := PresetPeriod(c.kind, now.UTC(), c.loc)
			if err != nil {
				t.Fatal(err)
			}
			prev := p.Previous()
			got := [4]string{p.From.Format(time.RFC3339), p.To.Format(time.RFC3339), prev.From.Format(time.RFC3339), prev.To.Format(time.RFC3339)}
			want := [4]string{c.from, c.to, c.prevFrom, c.from}
			if got != want {
				t.Errorf("got %v, want %v", got, want)
			}
			if h := p.To.Sub(p.From).Hours(); h != c.hours {
				t.Errorf("%v hours, want %v", h, c.hours)
			}
			if h := prev.To.Sub(prev.From).Hours(); h != c.prevHrs {
				t.Errorf("previous: %v hours, want %v", h, c.prevHrs)
			}
			past := c.kind == PeriodLastMonth || c.kind == PeriodLastYear
			if p.Contains(now) == past || p.Contains(p.To) || !p.Contains(p.From) || prev.Kind != c.kind {
				t.Error("the period holds now when it should not (or the reverse), or holds its end, or lost its kind")
			}
		})
	}
}

func TestCustomPeriodsAndBadInput(t *testing.T) {
	sthlm := zone(t, "Europe/Stockholm")
	t.Run("a custom range compares with as many days just before it", func(t *testing.T) {
		from, err := ParseDay("2026-03-01", "--from", sthlm)
		if err != nil {
			t.Fatal(err)
		}
		to, _ := ParseDay("2026-04-01", "--to", sthlm)
		p, err := CustomPeriod(from, to)
		if err != nil {
			t.Fatal(err)
		}
		prev := p.Previous()
		if prev.From.Format(time.RFC3339) != "2026-01-29T00:00:00+01:00" || !prev.To.Equal(from) || p.Kind != PeriodCustom {
			t.Errorf("previous %v – %v", prev.From, prev.To)
		}
	})
	t.Run("a day that does not exist is a bad date naming the flag", func(t *testing.T) {
		for _, s := range []string{"2026-02-30", "2026-2-3", "yesterday", ""} {
			_, err := ParseDay(s, "--from", sthlm)
			kind, facts := domain.KindOf(err)
			if kind != domain.KindBadDate || facts[domain.FactValue] != s || facts[domain.FactSetting] != "--from" {
				t.Errorf("%q: %v", s, err)
			}
		}
	})
	t.Run("a range that ends before it starts, or where it starts, is refused", func(t *testing.T) {
		a, _ := ParseDay("2026-03-02", "", sthlm)
		b, _ := ParseDay("2026-03-01", "", sthlm)
		for _, to := range []time.Time{b, a} {
			_, err := CustomPeriod(a, to)
			kind, facts := domain.KindOf(err)
			if kind != domain.KindBadRange || facts[domain.FactFrom] != "2026-03-02" || facts[domain.FactTo] != to.Format(time.DateOnly) {
				t.Errorf("%v", err)
			}
		}
	})
	t.Run("unknown period names", func(t *testing.T) {
		for _, s := range []string{"fortnight", "custom", "This_Month", ""} {
			if _, err := ParsePeriodKind(s); !errors.Is(err, domain.KindUnknownPeriod) {
				t.Errorf("%q: %v", s, err)
			}
		}
		if _, err := PresetPeriod(PeriodCustom, time.Now(), sthlm); !errors.Is(err, domain.KindUnknownPeriod) {
			t.Error("custom is no preset")
		}
		for _, k := range PeriodKinds() {
			if got, err := ParsePeriodKind(string(k)); err != nil || got != k {
				t.Errorf("%s: %v", k, err)
			}
		}
	})
}
