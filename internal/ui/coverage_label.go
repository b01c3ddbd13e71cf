package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// While a first sync copies a store, the newest objects arrive first: the
// figures of a recent period are often whole long before the copy is.
// Where a report says its period (or the one it compares with) is not
// copied yet, its tab shows one line above the figures:
// "Still copying — figures include data from DATE on". The tabs read the
// figures again as the sync moves on (coverage_refresh.go), and the line
// goes once the period is complete.

// withCoverage appends the "still copying" line for c to objs when c is
// incomplete, and returns objs.
func withCoverage(objs []fyne.CanvasObject, c reports.Completeness) []fyne.CanvasObject {
	if l := coverageLabel(c); l != nil {
		return append(objs, l)
	}
	return objs
}

// coverageLabel is the line for c, nil when c is complete.
func coverageLabel(c reports.Completeness) *widget.Label {
	if !c.Incomplete() {
		return nil
	}
	text := i18n.T("coverage.copying_nothing")
	if !c.From.IsZero() {
		text = i18n.T("coverage.copying", i18n.Args{"Date": formatter().DateTime(c.From)})
	}
	l := wrapped(text)
	l.Importance = widget.WarningImportance
	return l
}

// joinCoverage is the coverage of figures shown together: incomplete when
// any is, complete from the latest date (none when one of them has
// nothing yet).
func joinCoverage(cs ...reports.Completeness) reports.Completeness {
	out := reports.Completeness{Complete: true, PreviousComplete: true}
	nothing := false
	for _, c := range cs {
		out.Complete = out.Complete && c.Complete
		out.PreviousComplete = out.PreviousComplete && c.PreviousComplete
		if !c.Incomplete() {
			continue
		}
		if c.From.IsZero() {
			nothing = true
		} else if c.From.After(out.From) {
			out.From = c.From
		}
		out.Copying = append(out.Copying, c.Copying...)
	}
	if nothing {
		out.From = time.Time{}
	}
	return out
}
