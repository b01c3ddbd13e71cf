package localefmt

//go:generate go run ./internal/cldrgen -cldr package -o cldr_dates.go

import (
	"strconv"
	"strings"
	"time"
)

// calendar is one locale's Gregorian calendar data from CLDR
// (cldr_dates.go). Weekdays are in time.Weekday order, Sunday first.
type calendar struct {
	monthsAbbr, monthsWide                     [12]string // format context: MMM, MMMM
	monthsAbbrStandAlone, monthsWideStandAlone [12]string // LLL, LLLL
	daysAbbr, daysWide                         [7]string  // E, EEEE
	daysAbbrStandAlone, daysWideStandAlone     [7]string  // ccc, cccc
	am, pm                                     string     // a
	dateMedium                                 string     // dateFormats/medium
	timeShort                                  string     // timeFormats/short
	dateTimeMedium                             string     // dateTimeFormats/medium: {1} date, {0} time
	yearMonth                                  string     // availableFormats/yMMM
	month                                      string     // availableFormats/MMM
}

// render writes t with a CLDR date pattern (UTS #35, "Date Field Symbol
// Table"): a run of one letter is a field, 'quoted' text and any other
// character are literal, and a doubled apostrophe is one apostrophe. Only
// the fields that the table's patterns use are known (a test checks every
// pattern); an unknown field is written as it stands.
func (c *calendar) render(pattern string, t time.Time) string {
	var b strings.Builder
	rs := []rune(pattern)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\'':
			if i+1 < len(rs) && rs[i+1] == '\'' {
				b.WriteRune('\'')
				i += 2
				continue
			}
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				b.WriteRune(rs[j])
				j++
			}
			i = j + 1
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			j := i
			for j < len(rs) && rs[j] == r {
				j++
			}
			if !c.field(&b, r, j-i, t) {
				b.WriteString(string(rs[i:j]))
			}
			i = j
		default:
			b.WriteRune(r)
			i++
		}
	}
	return b.String()
}

// knownFields are the pattern letters field writes.
const knownFields = "yMLdEcHhmsa"

// field writes one field of n letters; false if the letter is unknown.
func (c *calendar) field(b *strings.Builder, letter rune, n int, t time.Time) bool {
	switch letter {
	case 'y':
		if n == 2 {
			pad(b, t.Year()%100, 2)
		} else {
			pad(b, t.Year(), n)
		}
	case 'M', 'L':
		m := int(t.Month()) - 1
		switch {
		case n <= 2:
			pad(b, m+1, n)
		case n == 3 && letter == 'M':
			b.WriteString(c.monthsAbbr[m])
		case n == 3:
			b.WriteString(c.monthsAbbrStandAlone[m])
		case letter == 'M':
			b.WriteString(c.monthsWide[m])
		default:
			b.WriteString(c.monthsWideStandAlone[m])
		}
	case 'd':
		pad(b, t.Day(), n)
	case 'E':
		if n <= 3 {
			b.WriteString(c.daysAbbr[t.Weekday()])
		} else {
			b.WriteString(c.daysWide[t.Weekday()])
		}
	case 'c':
		if n <= 3 {
			b.WriteString(c.daysAbbrStandAlone[t.Weekday()])
		} else {
			b.WriteString(c.daysWideStandAlone[t.Weekday()])
		}
	case 'H':
		pad(b, t.Hour(), n)
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		pad(b, h, n)
	case 'm':
		pad(b, t.Minute(), n)
	case 's':
		pad(b, t.Second(), n)
	case 'a':
		if t.Hour() < 12 {
			b.WriteString(c.am)
		} else {
			b.WriteString(c.pm)
		}
	default:
		return false
	}
	return true
}

// pad writes v with at least width digits.
func pad(b *strings.Builder, v, width int) {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b.WriteByte('0')
	}
	b.WriteString(s)
}
