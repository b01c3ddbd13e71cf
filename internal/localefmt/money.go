package localefmt

import (
	"math"
	"strconv"
	"strings"

	"github.com/bojanz/currency"
)

// Money writes an amount given as Stripe gives it: an integer in the
// currency's smallest unit and a lowercase ISO 4217 code (123450, "sek" is
// 1 234,50 kr in sv-SE and SEK 1,234.50 in en-US). How many of the integer's
// digits are decimals follows Stripe (stripeExponent); how many decimals are
// shown, the symbol, its place and the sign follow CLDR for the locale.
// A code CLDR doesn't know is written as the number and the code in capitals.
func (f *Formatter) Money(minor int64, code string) string {
	code = strings.ToUpper(code)
	dec := decimalString(minor, stripeExponent(code))
	amount, err := currency.NewAmount(dec, code)
	if err != nil { // not an ISO 4217 code CLDR knows
		exp := stripeExponent(code)
		return f.Decimal(float64(minor)/math.Pow10(exp), exp) + "\u00a0" + code
	}
	return f.money.Format(amount)
}

// stripeExponent is how many decimals Stripe's amount integer has for a
// currency (uppercase code). Source: Stripe's "Supported currencies" page
// (docs, Currencies › Minor units in API amounts, zero-decimal and
// three-decimal currencies and Special cases), read in December 2026:
//
//   - zero-decimal: BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF;
//   - three-decimal: BHD JOD KWD OMR TND;
//   - every other currency has two, including the special cases where
//     Stripe differs from ISO 4217 or CLDR: ISK (zero-decimal in ISO, "ISK
//     will remain a two-decimal currency in the Stripe API": 100 is 1 króna,
//     and amounts must be divisible by 100), and HUF and TWD (two-decimal
//     for charges although payouts are whole units).
//
// CLDR's digits still decide what is shown: ISK 12300 is "ISK 123"; a
// legacy fractional ISK amount keeps its decimals rather than being rounded.
func stripeExponent(code string) int {
	switch code {
	case "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "JOD", "KWD", "OMR", "TND":
		return 3
	default:
		return 2
	}
}

// decimalString writes minor / 10^exp exactly, without floating point.
func decimalString(minor int64, exp int) string {
	s := strconv.FormatInt(minor, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if exp == 0 {
		return sign + s
	}
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	return sign + s[:len(s)-exp] + "." + s[len(s)-exp:]
}
