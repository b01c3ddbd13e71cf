package reports

// Amount is a figure in a currency's minor unit (or a count) for a period,
// with the period before it: Change is Value − Previous, ChangePct that
// change as a fraction of Previous (0.25 is +25 %), nil when Previous is 0.
type Amount struct {
	Value, Previous, Change int64
	ChangePct               *float64
}

// NewAmount compares value with previous.
func NewAmount(value, previous int64) Amount {
	a := Amount{Value: value, Previous: previous, Change: value - previous}
	if previous != 0 {
		pct := float64(value-previous) / float64(previous)
		if previous < 0 {
			pct = -pct // a smaller loss is a rise
		}
		a.ChangePct = &pct
	}
	return a
}

// Rate is a ratio (0.029 is 2.9 %) for a period and the period before it;
// Value or Previous is nil when its denominator was 0, and Change and
// ChangePct are nil unless both are there (ChangePct also when Previous
// is 0).
type Rate struct {
	Value, Previous, Change, ChangePct *float64
}

// NewRate compares num/den with prevNum/prevDen.
func NewRate(num, den, prevNum, prevDen int64) Rate {
	r := Rate{Value: ratio(num, den), Previous: ratio(prevNum, prevDen)}
	if r.Value != nil && r.Previous != nil {
		c := *r.Value - *r.Previous
		r.Change = &c
		if *r.Previous != 0 {
			pct := c / *r.Previous
			r.ChangePct = &pct
		}
	}
	return r
}

func ratio(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	v := float64(num) / float64(den)
	return &v
}

// average is total/n rounded half away from zero to a whole minor unit;
// 0 when n is 0.
func average(total, n int64) int64 {
	if n == 0 {
		return 0
	}
	q, r := total/n, total%n
	if 2*abs(r) >= n {
		if total < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
