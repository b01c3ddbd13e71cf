package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/browse"
)

// cellText words one value of a data table the way its column's kind asks:
// money with its currency, dates in local time, statuses as words.
func cellText(col browse.Column, row browse.Row, i int) (string, fyne.TextAlign) {
	var v any
	if i < len(row.Values) {
		v = row.Values[i]
	}
	if v == nil {
		return "—", alignFor(col.Kind)
	}
	switch col.Kind {
	case browse.Money:
		if n, ok := v.(int64); ok {
			return formatMoney(row.Currency, n), fyne.TextAlignTrailing
		}
	case browse.Date:
		if n, ok := v.(int64); ok {
			return time.Unix(n, 0).Local().Format("Jan 2, 2006 15:04"), fyne.TextAlignLeading
		}
	case browse.Count:
		if n, ok := v.(int64); ok {
			return humanize.Comma(n), fyne.TextAlignTrailing
		}
	case browse.Bool:
		if n, ok := v.(int64); ok {
			if n != 0 {
				return "Yes", fyne.TextAlignLeading
			}
			return "No", fyne.TextAlignLeading
		}
	case browse.Status:
		if s, ok := v.(string); ok {
			return statusWords(s), fyne.TextAlignLeading
		}
	}
	if s, ok := v.(string); ok {
		if s == "" {
			return "—", fyne.TextAlignLeading
		}
		return strings.ReplaceAll(s, "\n", " "), fyne.TextAlignLeading
	}
	return "—", alignFor(col.Kind)
}

func alignFor(k browse.Kind) fyne.TextAlign {
	if k == browse.Money || k == browse.Count {
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignLeading
}

// statusWords turns Stripe's status values into words: "past_due" → "Past due".
func statusWords(s string) string {
	if s == "" {
		return "—"
	}
	s = strings.ReplaceAll(s, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
