package ui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// Helpers the insight tabs (Subscriptions, At risk) share.

// sectionTitle is a bold line that heads a part of a tab.
func sectionTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// currenciesOf are a Money's currencies, sorted.
func currenciesOf(ms ...reports.Money) []string {
	set := map[string]bool{}
	for _, m := range ms {
		for c := range m {
			set[c] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// moneyOrDash is an amount, or "—" for none.
func moneyOrDash(m reports.Money, cur string) string {
	v, ok := m[cur]
	if !ok {
		return "—"
	}
	return formatter().Money(v, cur)
}

// explainDialog shows a catalog Markdown text of formulas.
func explainDialog(sh Shell, key string) {
	body := widget.NewRichTextFromMarkdown(i18n.T(key))
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(i18n.T("money.how"), i18n.T("dialog.close"), container.NewVScroll(body), sh.Window())
	d.Resize(fyne.NewSize(640, 520))
	d.Show()
}

// openObject shows every field of one object (view is the browse view
// that holds it: payments, invoices, subscriptions) in the row dialog.
func openObject(sh Shell, view, connID, id string) {
	b := sh.Services().Browse
	if b == nil {
		return
	}
	var fields []browse.Field
	var err error
	sh.Background(func() { fields, err = b.Object(context.Background(), view, connID, id) }, func() {
		args := i18n.Args{"ID": id}
		switch {
		case errors.Is(err, domain.ErrNotFound):
			sh.Say(bannerError, plain(i18n.T("data.details.not_found", args)))
		case err != nil:
			args["Reason"] = errorText(err)
			sh.Say(bannerError, plain(i18n.T("data.details.read_error", args)))
		default:
			newRowDetails(sh, formatter(), i18n.T("data."+view+".details_title", args), id, fields)
		}
	})
}

// objectLink is a row's id as a button that opens the object.
func objectLink(sh Shell, view, connID, id string) *widget.Button {
	b := widget.NewButton(id, func() { openObject(sh, view, connID, id) })
	b.Importance = widget.LowImportance
	b.Alignment = widget.ButtonAlignLeading
	return b
}

// newPeriodSelect is a choice of the preset periods (reports.PeriodKinds,
// in that order) in the catalog's words; onChange runs on every choice.
func newPeriodSelect(onChange func()) *widget.Select {
	kinds := reports.PeriodKinds()
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = i18n.T("money.period." + string(k))
	}
	return widget.NewSelect(labels, func(string) { onChange() })
}

// chooseFirstTime selects period k, once: a tab's default the first time
// it is shown (which runs its onChange and so reads the figures).
func chooseFirstTime(sel *widget.Select, k reports.PeriodKind) {
	if sel.SelectedIndex() < 0 {
		sel.SetSelectedIndex(slices.Index(reports.PeriodKinds(), k))
	}
}

// chosenPeriod is the period sel shows, containing now, in now's zone
// (the computer's).
func chosenPeriod(sel *widget.Select, now time.Time) reports.Period {
	k := reports.PeriodKinds()[max(sel.SelectedIndex(), 0)]
	p, _ := reports.PresetPeriod(k, now, now.Location()) // a preset: no error
	return p
}
