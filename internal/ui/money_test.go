package ui

import (
	"testing"

	"github.com/ledgerline/ledgerline/internal/reports"
)

func TestFormatMoney(t *testing.T) {
	cases := []struct {
		cur   string
		minor int64
		want  string
	}{
		{"eur", 167265, "1,672.65 EUR"},
		{"usd", 5, "0.05 USD"},
		{"jpy", 4200, "4,200 JPY"},
		{"usd", -1250, "-12.50 USD"},
	}
	for _, c := range cases {
		if got := formatMoney(c.cur, c.minor); got != c.want {
			t.Errorf("formatMoney(%s, %d) = %q, want %q", c.cur, c.minor, got, c.want)
		}
	}
	if got := moneyLines(reports.Money{"usd": 100, "eur": 900}); got != "9.00 EUR\n1.00 USD" {
		t.Errorf("moneyLines = %q", got)
	}
	if moneyLines(nil) != "—" {
		t.Error("empty money is not a dash")
	}
}
