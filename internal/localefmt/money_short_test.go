package localefmt

import "testing"

// Written out by hand from the TestMoney strings, decimals dropped where
// they are all zero.
func TestMoneyShort(t *testing.T) {
	cases := []struct {
		locale string
		minor  int64
		code   string
		want   string
	}{
		{"sv-SE", 123400, "sek", "1" + nbsp + "234" + nbsp + "kr"},
		{"en-US", 123400, "sek", "SEK" + nbsp + "1,234"},
		{"en-US", 123450, "sek", "SEK" + nbsp + "1,234.50"},
		{"sv-SE", -50000, "eur", minus + "500" + nbsp + "€"},
		{"en-US", 0, "usd", "$0"},
		{"en-US", 123456, "jpy", "¥123,456"},
		{"en-US", 5000, "bhd", "BHD" + nbsp + "5"},
		{"en-US", 5120, "bhd", "BHD" + nbsp + "5.120"},
		{"en-US", 120000, "xyz", "1,200" + nbsp + "XYZ"},
	}
	for _, c := range cases {
		if got := New(c.locale).MoneyShort(c.minor, c.code); got != c.want {
			t.Errorf("%s MoneyShort(%d, %s) = %q, want %q", c.locale, c.minor, c.code, got, c.want)
		}
	}
}
