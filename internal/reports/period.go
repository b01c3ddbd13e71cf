package reports

import (
	"slices"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// PeriodKind names a period a report covers. The names are stable: the
// command line's --period takes them and --json prints them.
type PeriodKind string

// The periods. Days start at midnight in the location the period is
// computed in (the computer's zone); weeks start on Monday (ISO 8601).
// "last N days" end with today: last_7_days on a Wednesday is the
// Thursday a week ago up to and including today.
const (
	PeriodToday       PeriodKind = "today"
	PeriodThisWeek    PeriodKind = "this_week"
	PeriodThisMonth   PeriodKind = "this_month"
	PeriodLastMonth   PeriodKind = "last_month"
	PeriodLast7Days   PeriodKind = "last_7_days"
	PeriodLast30Days  PeriodKind = "last_30_days"
	PeriodLast90Days  PeriodKind = "last_90_days"
	PeriodThisQuarter PeriodKind = "this_quarter"
	PeriodThisYear    PeriodKind = "this_year"
	PeriodLastYear    PeriodKind = "last_year"
	// PeriodCustom is a range of whole days [From, To) the caller chose.
	PeriodCustom PeriodKind = "custom"
)

// PeriodKinds lists the presets (not custom), in the order a picker shows
// them.
func PeriodKinds() []PeriodKind {
	return []PeriodKind{PeriodToday, PeriodThisWeek, PeriodThisMonth, PeriodLastMonth, PeriodLast7Days,
		PeriodLast30Days, PeriodLast90Days, PeriodThisQuarter, PeriodThisYear, PeriodLastYear}
}

// Period is the instants [From, To) of a report, both at midnight in the
// location they were computed in.
type Period struct {
	Kind     PeriodKind
	From, To time.Time
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Complete reports whether the period has ended by now: its figures can no
// longer grow.
func (p Period) Complete(now time.Time) bool { return !now.Before(p.To) }

// day is midnight of the calendar day y-m-d in loc; time.Date normalizes
// out-of-range days and months, and picks the right offset across DST.
func day(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// PresetPeriod is the period of kind k that contains now (or, for
// last_month and last_year, the one before it), in loc. It returns an
// *domain.Error of kind domain.KindUnknownPeriod (FactPeriod) for a kind
// that is no preset, custom included: a custom period needs its days
// (CustomPeriod).
func PresetPeriod(k PeriodKind, now time.Time, loc *time.Location) (Period, error) {
	now = now.In(loc)
	y, m, d := now.Date()
	today := day(y, m, d, loc)
	p := Period{Kind: k}
	switch k {
	case PeriodToday:
		p.From, p.To = today, day(y, m, d+1, loc)
	case PeriodThisWeek:
		back := (int(now.Weekday()) + 6) % 7 // days since Monday
		p.From, p.To = day(y, m, d-back, loc), day(y, m, d-back+7, loc)
	case PeriodThisMonth:
		p.From, p.To = day(y, m, 1, loc), day(y, m+1, 1, loc)
	case PeriodLastMonth:
		p.From, p.To = day(y, m-1, 1, loc), day(y, m, 1, loc)
	case PeriodLast7Days, PeriodLast30Days, PeriodLast90Days:
		n := map[PeriodKind]int{PeriodLast7Days: 7, PeriodLast30Days: 30, PeriodLast90Days: 90}[k]
		p.From, p.To = day(y, m, d+1-n, loc), day(y, m, d+1, loc)
	case PeriodThisQuarter:
		q := time.Month((int(m)-1)/3*3 + 1)
		p.From, p.To = day(y, q, 1, loc), day(y, q+3, 1, loc)
	case PeriodThisYear:
		p.From, p.To = day(y, 1, 1, loc), day(y+1, 1, 1, loc)
	case PeriodLastYear:
		p.From, p.To = day(y-1, 1, 1, loc), day(y, 1, 1, loc)
	default:
		return Period{}, domain.E(domain.KindUnknownPeriod, nil, domain.FactPeriod, string(k))
	}
	return p, nil
}

// ParsePeriodKind returns the preset named s, or an *domain.Error of kind
// domain.KindUnknownPeriod.
func ParsePeriodKind(s string) (PeriodKind, error) {
	if k := PeriodKind(s); slices.Contains(PeriodKinds(), k) {
		return k, nil
	}
	return "", domain.E(domain.KindUnknownPeriod, nil, domain.FactPeriod, s)
}

// ParseDay reads a calendar day written YYYY-MM-DD and returns its
// midnight in loc. A string that is no such day (2026-02-30, 2026-2-3)
// is an *domain.Error of kind domain.KindBadDate (FactValue, FactSetting
// when flag is not "").
func ParseDay(s, flag string, loc *time.Location) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, domain.E(domain.KindBadDate, err, domain.FactValue, s, domain.FactSetting, flag)
	}
	return day(t.Year(), t.Month(), t.Day(), loc), nil
}

// CustomPeriod is the days [from, to): both midnights in the same
// location. It returns an *domain.Error of kind domain.KindBadRange
// (FactFrom, FactTo as YYYY-MM-DD) when to is not after from.
func CustomPeriod(from, to time.Time) (Period, error) {
	if !to.After(from) {
		return Period{}, domain.E(domain.KindBadRange, nil,
			domain.FactFrom, from.Format(time.DateOnly), domain.FactTo, to.Format(time.DateOnly))
	}
	return Period{Kind: PeriodCustom, From: from, To: to}, nil
}

// Previous is the period before p to compare it with: the same kind of
// period one step back (the month before a month, the quarter before a
// quarter, the week before a week), and for last N days and custom
// ranges the same number of calendar days just before From. Lengths are
// counted in days, not hours, so a period across a DST change compares
// with whole days too.
func (p Period) Previous() Period {
	loc := p.From.Location()
	y, m, d := p.From.Date()
	prev := Period{Kind: p.Kind, To: p.From}
	switch p.Kind {
	case PeriodThisMonth, PeriodLastMonth:
		prev.From = day(y, m-1, 1, loc)
	case PeriodThisQuarter:
		prev.From = day(y, m-3, 1, loc)
	case PeriodThisYear, PeriodLastYear:
		prev.From = day(y-1, 1, 1, loc)
	default: // today, this week, last N days, custom: the same number of days
		prev.From = day(y, m, d-daysBetween(p.From, p.To), loc)
	}
	return prev
}

// daysBetween counts the calendar days from midnight a to midnight b.
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	ua := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	ub := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours()+12) / 24
}
