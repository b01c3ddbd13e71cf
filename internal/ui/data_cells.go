package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// The data tabs' words come from the catalog (translations/data.LANG.json),
// keyed by the view's Name and each column's Key, never from
// internal/browse, which holds no words: "data.payments.column.amount",
// "data.status.past_due".

// columnTitle is a column's header in the window's language.
func columnTitle(view string, c browse.Column) string {
	return i18n.T("data." + view + ".column." + c.Key)
}

// codeWords are the text columns that hold one of Stripe's codes rather
// than free text, with the catalog's prefix for their words: a payment's
// method "card" is data.method.card, "Card" ("Kort").
var codeWords = map[string]string{
	"payment_method_type": "data.method.",
	"failure_code":        "data.failure.",
}

// codeText is a Stripe code as the catalog words it (prefix + code), or
// the code itself when the catalog has no words for it: Stripe has more
// payment methods and failure codes than the catalog names, and its code
// is the next best thing to show (and what the search finds).
func codeText(prefix, code string) string {
	key := prefix + code
	if w := i18n.T(key); w != key {
		return w
	}
	return code
}

// statusText is one of Stripe's status values as the window words it:
// "past_due" → "Past due" ("Förfallen"). A value the catalog does not know
// yet (Stripe adds one now and then) is shown as Stripe spells it.
func statusText(s string) string {
	if s == "" {
		return "—"
	}
	key := "data.status." + s
	if w := i18n.T(key); w != key {
		return w
	}
	return strings.ReplaceAll(s, "_", " ")
}

// cellText words one value of a data table the way its column's kind
// asks, written by f for the window's locale: money in the row's currency
// with that currency's own decimals, dates and times in the computer's
// time zone, counts with the locale's grouping, statuses, Stripe's codes
// and yes/no from the catalog.
func cellText(f *localefmt.Formatter, col browse.Column, row browse.Row, i int) (string, fyne.TextAlign) {
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
			return f.Money(n, row.Currency), fyne.TextAlignTrailing
		}
	case browse.Date:
		if n, ok := v.(int64); ok {
			return f.DateTime(time.Unix(n, 0)), fyne.TextAlignLeading
		}
	case browse.Count:
		if n, ok := v.(int64); ok {
			return f.Number(n), fyne.TextAlignTrailing
		}
	case browse.Bool:
		if n, ok := v.(int64); ok {
			if n != 0 {
				return i18n.T("data.yes"), fyne.TextAlignLeading
			}
			return i18n.T("data.no"), fyne.TextAlignLeading
		}
	case browse.Status:
		if s, ok := v.(string); ok {
			return statusText(s), fyne.TextAlignLeading
		}
	}
	if s, ok := v.(string); ok {
		if s == "" {
			return "—", fyne.TextAlignLeading
		}
		if prefix, ok := codeWords[col.Key]; ok {
			return codeText(prefix, s), fyne.TextAlignLeading
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
