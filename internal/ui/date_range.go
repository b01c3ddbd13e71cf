package ui

import (
	"time"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// period is one choice of the data tabs' date filter.
type period struct {
	key string // "last_7_days"; its words are the catalog's data.period.<key>
	// span returns [from, to) for now; zero ends are open.
	span func(now time.Time) (from, to time.Time)
}

// periods are the date ranges the data tabs offer, in local time, in the
// order the filter lists them; the filter picks them by index.
var periods = []period{
	{"all_time", func(time.Time) (time.Time, time.Time) { return time.Time{}, time.Time{} }},
	{"today", func(now time.Time) (time.Time, time.Time) {
		d := day(now)
		return d, d.AddDate(0, 0, 1)
	}},
	{"last_7_days", func(now time.Time) (time.Time, time.Time) {
		d := day(now)
		return d.AddDate(0, 0, -6), d.AddDate(0, 0, 1)
	}},
	{"last_30_days", func(now time.Time) (time.Time, time.Time) {
		d := day(now)
		return d.AddDate(0, 0, -29), d.AddDate(0, 0, 1)
	}},
	{"this_month", func(now time.Time) (time.Time, time.Time) {
		m := month(now)
		return m, m.AddDate(0, 1, 0)
	}},
	{"last_month", func(now time.Time) (time.Time, time.Time) {
		m := month(now)
		return m.AddDate(0, -1, 0), m
	}},
	{"last_12_months", func(now time.Time) (time.Time, time.Time) {
		m := month(now)
		return m.AddDate(0, -11, 0), m.AddDate(0, 1, 0)
	}},
	{"this_year", func(now time.Time) (time.Time, time.Time) {
		y := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, now.Location())
		return y, y.AddDate(1, 0, 0)
	}},
}

// periodLabels are the periods' words in the window's language, in order.
func periodLabels() []string {
	out := make([]string, len(periods))
	for i, p := range periods {
		out[i] = i18n.T("data.period." + p.key)
	}
	return out
}

// periodAt is the i-th period; All time for an index out of range (no
// choice yet).
func periodAt(i int) period {
	if i < 0 || i >= len(periods) {
		return periods[0]
	}
	return periods[i]
}

// periodIndex is the index of the period with this key, 0 when none has.
func periodIndex(key string) int {
	for i, p := range periods {
		if p.key == key {
			return i
		}
	}
	return 0
}

func day(t time.Time) time.Time {
	t = t.Local()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func month(t time.Time) time.Time {
	t = t.Local()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}
