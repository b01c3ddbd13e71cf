package ui

import (
	"sort"
	"strings"

	"github.com/ledgerline/ledgerline/internal/reports"
)

// moneyLines is one line per currency, largest amount first (then by
// code); "—" when empty.
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
	f := formatter()
	lines := make([]string, len(curs))
	for i, c := range curs {
		lines[i] = f.Money(m[c], c)
	}
	return strings.Join(lines, "\n")
}
