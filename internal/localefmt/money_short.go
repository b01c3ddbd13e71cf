package localefmt

import (
	"math"
	"strings"

	"github.com/bojanz/currency"
)

// MoneyShort writes an amount as Money does, but a whole amount without
// its decimals: 123400, "sek" is "1 234 kr" in sv-SE and "SEK 1,234" in
// en-US, while 123450 stays "1 234,50 kr". Chart axes label their steps
// with it.
func (f *Formatter) MoneyShort(minor int64, code string) string {
	code = strings.ToUpper(code)
	exp := stripeExponent(code)
	if minor%int64(math.Pow10(exp)) != 0 {
		return f.Money(minor, code)
	}
	amount, err := currency.NewAmount(decimalString(minor, exp), code)
	if err != nil { // not an ISO 4217 code CLDR knows
		return f.Number(minor/int64(math.Pow10(exp))) + "\u00a0" + code
	}
	whole := *f.money // a copy: the Formatter is shared and immutable
	whole.MinDigits = 0
	return whole.Format(amount)
}
