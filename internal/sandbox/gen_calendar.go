package sandbox

// Billing calendars: months added the way Stripe moves billing anchors.

// addInterval returns t plus n billing intervals ("month" or "year").
func addInterval(t int64, interval string, n int) int64 {
	if interval == "year" {
		return addMonthsClamped(t, 12*n)
	}
	return addMonthsClamped(t, n)
}

// addMonthsClamped adds n calendar months (UTC) as Stripe moves a billing
// anchor: the anchor's day of the month, or the month's last day when it
// has fewer (a month after January 31 is February 28 or 29). It works on
// civil dates (Howard Hinnant's days-from-civil algorithms), ten times
// faster than going through time.Time, which matters: the history takes
// about twenty of these per subscription.
func addMonthsClamped(t int64, n int) int64 {
	if n == 0 {
		return t
	}
	days := floorDiv(t, day)
	sec := t - days*day
	y, m, dd := civilFromDays(days)
	total := y*12 + (m - 1) + int64(n)
	y2 := floorDiv(total, 12)
	m2 := total - y2*12 + 1
	return daysFromCivil(y2, m2, min(dd, daysIn(y2, m2)))*day + sec
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the date z days after 1970-01-01.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

func daysIn(y, m int64) int64 {
	switch m {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}
