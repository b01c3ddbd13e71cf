package localefmt

import "testing"

// Expected strings are CLDR's (48/49) written out by hand: symbol, its place,
// grouping, decimal mark, minus sign and the currency's digits.
func TestMoney(t *testing.T) {
	type want struct{ sv, enUS, enGB, de string }
	cases := []struct {
		name  string
		minor int64
		code  string
		want  want
	}{
		{"SEK, two decimals", 123450, "sek", want{
			"1" + nbsp + "234,50" + nbsp + "kr", "SEK" + nbsp + "1,234.50", "SEK" + nbsp + "1,234.50", "1.234,50" + nbsp + "SEK"}},
		{"negative SEK", -123450, "sek", want{
			minus + "1" + nbsp + "234,50" + nbsp + "kr", "-SEK" + nbsp + "1,234.50", "-SEK" + nbsp + "1,234.50", "-1.234,50" + nbsp + "SEK"}},
		{"EUR", 123450, "eur", want{
			"1" + nbsp + "234,50" + nbsp + "€", "€1,234.50", "€1,234.50", "1.234,50" + nbsp + "€"}},
		{"negative EUR", -99, "eur", want{
			minus + "0,99" + nbsp + "€", "-€0.99", "-€0.99", "-0,99" + nbsp + "€"}},
		{"USD", 123450, "usd", want{
			"1" + nbsp + "234,50" + nbsp + "US$", "$1,234.50", "US$1,234.50", "1.234,50" + nbsp + "$"}},
		{"negative USD", -123450, "usd", want{
			minus + "1" + nbsp + "234,50" + nbsp + "US$", "-$1,234.50", "-US$1,234.50", "-1.234,50" + nbsp + "$"}},
		// JPY is zero-decimal in Stripe and in CLDR. sv: CLDR's own symbol is
		// "JPY"; bojanz/currency uses English's ¥ where a locale's symbol is
		// only the code (its gen.go says so), which we accept.
		{"JPY, no decimals", 123456, "jpy", want{
			"123" + nbsp + "456" + nbsp + "¥", "¥123,456", "JP¥123,456", "123.456" + nbsp + "¥"}},
		{"negative JPY", -500, "jpy", want{
			minus + "500" + nbsp + "¥", "-¥500", "-JP¥500", "-500" + nbsp + "¥"}},
		{"BHD, three decimals", 1234567, "bhd", want{
			"1" + nbsp + "234,567" + nbsp + "BHD", "BHD" + nbsp + "1,234.567", "BHD" + nbsp + "1,234.567", "1.234,567" + nbsp + "BHD"}},
		{"negative BHD", -5120, "bhd", want{
			minus + "5,120" + nbsp + "BHD", "-BHD" + nbsp + "5.120", "-BHD" + nbsp + "5.120", "-5,120" + nbsp + "BHD"}},
		// Stripe's ISK amounts have two decimals (100 is 1 króna); CLDR shows none.
		{"ISK, two decimals in Stripe, none shown", 12300, "isk", want{
			"123" + nbsp + "Ikr", "ISK" + nbsp + "123", "ISK" + nbsp + "123", "123" + nbsp + "ISK"}},
		{"HUF, two decimals in Stripe and CLDR", 150000, "huf", want{
			"1" + nbsp + "500,00" + nbsp + "HUF", "HUF" + nbsp + "1,500.00", "HUF" + nbsp + "1,500.00", "1.500,00" + nbsp + "HUF"}},
		{"UGX, zero-decimal in Stripe", 5000, "ugx", want{
			"5" + nbsp + "000" + nbsp + "UGX", "UGX" + nbsp + "5,000", "UGX" + nbsp + "5,000", "5.000" + nbsp + "UGX"}},
		{"less than one unit", 5, "sek", want{
			"0,05" + nbsp + "kr", "SEK" + nbsp + "0.05", "SEK" + nbsp + "0.05", "0,05" + nbsp + "SEK"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for locale, want := range map[string]string{"sv-SE": c.want.sv, "en-US": c.want.enUS, "en-GB": c.want.enGB, "de-DE": c.want.de} {
				if got := New(locale).Money(c.minor, c.code); got != want {
					t.Errorf("%s: Money(%d, %q) = %q, want %q", locale, c.minor, c.code, got, want)
				}
			}
		})
	}

	t.Run("a code CLDR doesn't know is the number and the code", func(t *testing.T) {
		if got, want := New("sv-SE").Money(123450, "xyz"), "1"+nbsp+"234,50"+nbsp+"XYZ"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestStripeExponent(t *testing.T) {
	for code, want := range map[string]int{"SEK": 2, "USD": 2, "JPY": 0, "KRW": 0, "UGX": 0, "XOF": 0, "BHD": 3, "KWD": 3, "TND": 3, "ISK": 2, "HUF": 2, "TWD": 2} {
		if got := stripeExponent(code); got != want {
			t.Errorf("stripeExponent(%s) = %d, want %d", code, got, want)
		}
	}
	for _, c := range []struct {
		minor int64
		exp   int
		want  string
	}{{0, 2, "0.00"}, {5, 2, "0.05"}, {-5, 3, "-0.005"}, {123450, 2, "1234.50"}, {-123450, 0, "-123450"}, {-9223372036854775808, 2, "-92233720368547758.08"}} {
		if got := decimalString(c.minor, c.exp); got != c.want {
			t.Errorf("decimalString(%d, %d) = %q, want %q", c.minor, c.exp, got, c.want)
		}
	}
}
