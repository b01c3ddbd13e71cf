package localefmt

import "golang.org/x/text/number"

// Number writes an integer with the locale's grouping and minus sign
// (1234567 → sv-SE "1 234 567" with U+00A0, de-DE "1.234.567").
func (f *Formatter) Number(n int64) string {
	return f.num.Sprint(number.Decimal(n))
}

// Decimal writes x rounded to exactly digits decimals (digits < 0 is 0).
func (f *Formatter) Decimal(x float64, digits int) string {
	return f.num.Sprint(number.Decimal(x, number.Scale(max(digits, 0))))
}

// Percent writes a ratio as a percentage with exactly digits decimals:
// 0.123 with 1 digit is sv-SE "12,3 %" (U+00A0 before %), en-US "12.3%".
func (f *Formatter) Percent(x float64, digits int) string {
	return f.num.Sprint(number.Percent(x, number.Scale(max(digits, 0))))
}
