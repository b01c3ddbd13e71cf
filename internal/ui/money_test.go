package ui

import (
	"testing"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// useLanguage makes the catalog and the formatting speak l for the rest of
// the test, and English again after it.
func useLanguage(t *testing.T, l i18n.Language) {
	t.Helper()
	if err := i18n.Use(l); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = i18n.Use(i18n.English) })
}

func TestMoneyIsWrittenByTheLocale(t *testing.T) {
	t.Run("in English, symbol first and the currency's own decimals", func(t *testing.T) {
		useLanguage(t, i18n.English)
		if i18n.FormatLocale() != "en-US" {
			t.Skipf("the system writes English as %s", i18n.FormatLocale())
		}
		cases := []struct {
			cur   string
			minor int64
			want  string
		}{
			{"eur", 167265, "€1,672.65"},
			{"usd", 5, "$0.05"},
			{"jpy", 4200, "¥4,200"},
			{"usd", -1250, "-$12.50"},
			{"bhd", 1234567, "BHD\u00a01,234.567"},
		}
		for _, c := range cases {
			if got := formatter().Money(c.minor, c.cur); got != c.want {
				t.Errorf("Money(%d, %s) = %q, want %q", c.minor, c.cur, got, c.want)
			}
		}
		if got := moneyLines(reports.Money{"usd": 100, "eur": 900}); got != "€9.00\n$1.00" {
			t.Errorf("moneyLines = %q", got)
		}
	})
	t.Run("in Swedish, with CLDR's no-break spaces and the symbol last", func(t *testing.T) {
		useLanguage(t, i18n.Swedish)
		if got, want := moneyLines(reports.Money{"sek": 123450, "eur": 167265}), "1\u00a0672,65\u00a0€\n1\u00a0234,50\u00a0kr"; got != want {
			t.Errorf("moneyLines = %q, want %q", got, want)
		}
		if got, want := formatter().Money(-1250, "usd"), "−12,50\u00a0US$"; got != want {
			t.Errorf("a negative amount = %q, want %q", got, want)
		}
	})
	t.Run("nothing is a dash", func(t *testing.T) {
		if moneyLines(nil) != "—" {
			t.Error("empty money is not a dash")
		}
	})
}
