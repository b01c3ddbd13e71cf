package sandbox

import (
	"testing"
	"time"
)

// addMonthsClamped against time.Time: the same calendar month n later, on
// the same day or the month's last one, at the same time of day.
func TestAddMonthsClamped(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31T10:20:30Z", 1, "2026-02-28T10:20:30Z"},
		{"2024-01-31T00:00:00Z", 1, "2024-02-29T00:00:00Z"},
		{"2026-01-31T23:59:59Z", 2, "2026-03-31T23:59:59Z"},
		{"2026-03-31T12:00:00Z", -1, "2026-02-28T12:00:00Z"},
		{"2025-11-15T08:00:00Z", 14, "2027-01-15T08:00:00Z"},
		{"2024-02-29T05:00:00Z", 12, "2025-02-28T05:00:00Z"},
		{"1969-12-31T23:00:00Z", 1, "1970-01-31T23:00:00Z"},
	} {
		from, _ := time.Parse(time.RFC3339, c.from)
		if got := time.Unix(addMonthsClamped(from.Unix(), c.n), 0).UTC().Format(time.RFC3339); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	// Every day of four years, against time.Time where no clamping happens.
	start := time.Date(2023, 1, 1, 7, 30, 0, 0, time.UTC)
	for d := 0; d < 4*366; d++ {
		from := start.AddDate(0, 0, d)
		for _, n := range []int{1, 5, 12, -7} {
			want := from.AddDate(0, n, 0)
			if want.Day() != from.Day() {
				continue
			}
			if got := addMonthsClamped(from.Unix(), n); got != want.Unix() {
				t.Fatalf("%s + %d months = %s, want %s", from, n, time.Unix(got, 0).UTC(), want)
			}
		}
	}
}
