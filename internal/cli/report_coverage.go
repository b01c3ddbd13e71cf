package cli

import (
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/reports"
)

// Every report with a period says whether the synced data covers it yet
// (reports.Completeness): a first sync copies the newest objects first, so
// a recent period is often complete long before the copy is whole.

// coverageJSON is reports.Completeness in a report's JSON; docs/metrics.md
// ("Is the copy complete?") documents the keys, and they stay.
type coverageJSON struct {
	Complete         bool     `json:"complete"`
	PreviousComplete bool     `json:"previous_complete"`
	CompleteFrom     *string  `json:"complete_from"` // RFC 3339; null when complete, or when nothing is yet
	Copying          []string `json:"copying"`
}

func toCoverageJSON(c reports.Completeness) coverageJSON {
	out := coverageJSON{Complete: c.Complete, PreviousComplete: c.PreviousComplete, Copying: c.Copying}
	if out.Copying == nil {
		out.Copying = []string{}
	}
	if !c.From.IsZero() {
		s := rfc3339(c.From)
		out.CompleteFrom = &s
	}
	return out
}

// coverageText is a sentence for the text output when c is incomplete, ""
// when complete. zone is the zone the report's days are in.
func coverageText(c reports.Completeness, zone *time.Location) string {
	if !c.Incomplete() {
		return ""
	}
	types := strings.Join(c.Copying, ", ")
	if c.From.IsZero() {
		return "Still copying from Stripe (" + types + "): no figure is complete yet."
	}
	return "Still copying from Stripe (" + types + "): figures include data from " +
		c.From.In(zone).Format("2 Jan 2006 15:04") + " on."
}
