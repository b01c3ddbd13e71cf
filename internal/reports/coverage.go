package reports

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ledgerline/ledgerline/internal/syncer"
)

// While a connection's first sync runs, its newest objects are stored
// first (the listings go newest first), so a report of a recent period can
// be right long before the copy is whole. Each report that has a period
// says whether it is: Completeness, from the sync's own record of how far
// back each object type is complete (syncer.ReadCoverage).

// Completeness says whether the objects a result reads for its period are
// all on this computer yet.
type Completeness struct {
	// Complete: every object of the types the result reads, created in its
	// period (or as far back as its figures look), is stored.
	Complete bool
	// PreviousComplete is the same for the period the result compares
	// with (MoneyReport); true for results that compare with none.
	PreviousComplete bool
	// From, when not both complete: every object the result reads created
	// at or after From is stored (the latest of its types' and its
	// connections' coverage). Zero when some type has nothing stored yet.
	From time.Time
	// Copying names the object types the result reads whose copy is not
	// complete yet, sorted; empty once every one is.
	Copying []string
}

// Incomplete reports whether the figures may still change as the copy
// proceeds: the period or the one compared with is not complete.
func (c Completeness) Incomplete() bool { return !c.Complete || !c.PreviousComplete }

// The object types each report reads. A child type (invoice_line_items)
// is covered as its parent is.
var (
	moneyTypes   = []string{"charges", "refunds", "disputes", "customers", "balance_transactions"}
	payoutTypes  = []string{"payouts"}
	historyTypes = []string{"invoices", "invoice_line_items", "prices", "plans"}
	failedTypes  = []string{"charges"}
)

// payoutLead is how long before it arrives a payout may be created: a
// payouts report of a period needs the payouts created from that long
// before it. Stripe's standard payouts arrive within a few business days
// (https://docs.stripe.com/payouts#payout-speed); two weeks leaves room for
// holidays and slower countries.
const payoutLead = 14 * 24 * time.Hour

// completeness is the Completeness of a result reading types of the
// connections connIDs, whose period needs every object created from need
// on, and whose previous period (zero: none) from needPrev on.
func (r *Reports) completeness(ctx context.Context, connIDs []string, types []string, need, needPrev time.Time) (Completeness, error) {
	covs, err := r.coverages(ctx, connIDs)
	if err != nil {
		return Completeness{}, err
	}
	return judge(covs, types, need, needPrev), nil
}

// coverages reads the coverage of each connection.
func (r *Reports) coverages(ctx context.Context, connIDs []string) ([]map[string]syncer.Coverage, error) {
	out := make([]map[string]syncer.Coverage, 0, len(connIDs))
	for _, id := range connIDs {
		cov, err := syncer.ReadCoverage(ctx, r.db, id)
		if err != nil {
			return nil, fmt.Errorf("reading how far the copy of connection %s is: %w", id, err)
		}
		out = append(out, cov)
	}
	return out, nil
}

// judge is completeness over coverages already read.
func judge(covs []map[string]syncer.Coverage, types []string, need, needPrev time.Time) Completeness {
	c := Completeness{Complete: true, PreviousComplete: true}
	var latest time.Time
	nothing := false
	copying := map[string]bool{}
	for _, cov := range covs {
		for _, t := range types {
			tc := cov[t]
			if tc.Complete {
				continue
			}
			copying[t] = true
			c.Complete = c.Complete && tc.Covers(need)
			if !needPrev.IsZero() {
				c.PreviousComplete = c.PreviousComplete && tc.Covers(needPrev)
			}
			if tc.From.IsZero() {
				nothing = true
			} else if tc.From.After(latest) {
				latest = tc.From
			}
		}
	}
	if c.Incomplete() && !nothing {
		c.From = latest
	}
	for t := range copying {
		c.Copying = append(c.Copying, t)
	}
	slices.Sort(c.Copying)
	return c
}

// setCoverage sets *dst to the Completeness of a result (see
// completeness).
func (r *Reports) setCoverage(ctx context.Context, dst *Completeness, connIDs, types []string, need, needPrev time.Time) error {
	c, err := r.completeness(ctx, connIDs, types, need, needPrev)
	*dst = c
	return err
}

// withMoneyCoverage returns m with its Coverage: its period and the one
// before.
func (r *Reports) withMoneyCoverage(ctx context.Context, m MoneyReport, connIDs []string) (MoneyReport, error) {
	err := r.setCoverage(ctx, &m.Coverage, connIDs, moneyTypes, m.Period.From, m.Previous.From)
	return m, err
}

// PayoutsCoverage is the Completeness of Payouts(ctx, connIDs, p): the
// payouts arriving in p were created from payoutLead before it on. A
// payout's links are fetched on their own (PayoutRow.LinksSynced says
// which are).
func (r *Reports) PayoutsCoverage(ctx context.Context, connIDs []string, p Period) (Completeness, error) {
	return r.completeness(ctx, connIDs, payoutTypes, p.From.Add(-payoutLead), time.Time{})
}

// linesFrom is the oldest invoice a reconstruction of MRR from instant t
// on reads (see lines).
func linesFrom(t time.Time) time.Time { return t.UTC().AddDate(0, -lookbackMonths, 0) }

// withMonthsCoverage returns months with each one's Coverage: its MRR at its start and end
// and its movements read the invoices created from lookbackMonths before
// the month. (Telling a new subscriber from a returning one reads their
// earlier invoices too: one whose earlier invoices are older than the
// copy so far counts as new until they are copied.)
func (r *Reports) withMonthsCoverage(ctx context.Context, connID string, months []MonthMRR) ([]MonthMRR, error) {
	covs, err := r.coverages(ctx, []string{connID})
	if err != nil {
		return nil, err
	}
	for i := range months {
		months[i].Coverage = judge(covs, historyTypes, linesFrom(months[i].Month.Add(-time.Second)), time.Time{})
	}
	return months, nil
}

// withChurnCoverage returns c with its Coverage: its snapshots from just
// before From.
func (r *Reports) withChurnCoverage(ctx context.Context, c Churn, connID string) (Churn, error) {
	err := r.setCoverage(ctx, &c.Coverage, []string{connID}, historyTypes, linesFrom(c.From.Add(-2*time.Second)), time.Time{})
	return c, err
}
