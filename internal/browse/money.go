package browse

import (
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Decimals returns how many digits a currency has after the point, by ISO
// 4217 (usd 2, jpy 0, kwd 3); 2 for a code it does not know.
func Decimals(code string) int {
	u, err := currency.ParseISO(strings.ToUpper(code))
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// FormatMoney writes amount, in the currency's smallest unit, in major
// units with the currency's own decimals and no symbol: 1299 usd →
// "12.99", 1299 jpy → "1299", -5 usd → "-0.05".
func FormatMoney(amount int64, code string) string {
	d := Decimals(code)
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u, 10)
	if d > 0 {
		if len(s) <= d {
			s = strings.Repeat("0", d-len(s)+1) + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
