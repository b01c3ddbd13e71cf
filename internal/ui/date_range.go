package ui

import "time"

// period is one choice of the data tabs' date filter.
type period struct {
	label string
	// span returns [from, to) for now; zero ends are open.
	span func(now time.Time) (from, to time.Time)
}

// periods are the date ranges the data tabs offer, in local time.
var periods = []period{
	{"All time", func(time.Time) (time.Time, time.Time) { return time.Time{}, time.Time{} }},
	{"Today", func(now time.Time) (time.Time, time.Time) {
		d := day(now)
		return d, d.AddDate(0, 0, 1)
	}},
	{"Last 7 days", func(now time.Time) (time.Time, time.Time) {
		d := day(now)
		return d.AddDate(0, 0, -6), d.AddDate(0, 0, 1)
	}},
	{"Last 30 days", func(now time.Time) (time.Time, time.Time) {
		d := day(now)
		return d.AddDate(0, 0, -29), d.AddDate(0, 0, 1)
	}},
	{"This month", func(now time.Time) (time.Time, time.Time) {
		m := month(now)
		return m, m.AddDate(0, 1, 0)
	}},
	{"Last month", func(now time.Time) (time.Time, time.Time) {
		m := month(now)
		return m.AddDate(0, -1, 0), m
	}},
	{"Last 12 months", func(now time.Time) (time.Time, time.Time) {
		m := month(now)
		return m.AddDate(0, -11, 0), m.AddDate(0, 1, 0)
	}},
	{"This year", func(now time.Time) (time.Time, time.Time) {
		y := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, now.Location())
		return y, y.AddDate(1, 0, 0)
	}},
}

func periodLabels() []string {
	out := make([]string, len(periods))
	for i, p := range periods {
		out[i] = p.label
	}
	return out
}

func periodByLabel(label string) period {
	for _, p := range periods {
		if p.label == label {
			return p
		}
	}
	return periods[0]
}

func day(t time.Time) time.Time {
	t = t.Local()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func month(t time.Time) time.Time {
	t = t.Local()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}
