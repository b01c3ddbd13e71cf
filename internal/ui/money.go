package ui

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/dustin/go-humanize"
	"golang.org/x/text/currency"

	"github.com/ledgerline/ledgerline/internal/reports"
)

// formatMoney words an amount in a currency's smallest unit with its ISO
// code: 167265 eur → "1,672.65 EUR", 4200 jpy → "4,200 JPY" (the number of
// decimals is the currency's own).
func formatMoney(cur string, minor int64) string {
	code := strings.ToUpper(cur)
	scale := 2
	if unit, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(unit)
	}
	value := float64(minor) / math.Pow10(scale)
	format := "#,###."
	format += strings.Repeat("#", scale)
	if scale == 0 {
		format = "#,###."
	}
	return fmt.Sprintf("%s %s", humanize.FormatFloat(format, value), code)
}

// moneyLines is one line per currency, largest first; "—" when empty.
func moneyLines(m reports.Money) string {
	if len(m) == 0 {
		return "—"
	}
	curs := make([]string, 0, len(m))
	for c := range m {
		curs = append(curs, c)
	}
	sort.Slice(curs, func(i, j int) bool {
		if m[curs[i]] != m[curs[j]] {
			return m[curs[i]] > m[curs[j]]
		}
		return curs[i] < curs[j]
	})
	lines := make([]string, len(curs))
	for i, c := range curs {
		lines[i] = formatMoney(c, m[c])
	}
	return strings.Join(lines, "\n")
}
