package reports

import (
	"context"
	"fmt"
	"math"
	"time"
)

// FailedPayment is a failed charge that nothing recovered yet.
type FailedPayment struct {
	ID, Customer, Invoice, Currency, FailureCode string
	Amount                                       int64
	Created                                      time.Time
}

// PastDue is a past_due subscription and the MRR it carries.
type PastDue struct {
	ID, Customer, Currency string
	MRR                    int64 // rounded to the minor unit
}

// OverdueInvoice is an open invoice past its due date.
type OverdueInvoice struct {
	ID, Customer, Currency string
	AmountRemaining        int64
	DueDate                time.Time
	DaysOverdue            int
	Bucket                 string // one of Buckets
}

// OpenDispute is a dispute still waiting for evidence or a decision.
type OpenDispute struct {
	ID, Charge, Currency, Status, Reason string
	Amount                               int64
	EvidenceDueBy                        time.Time // zero when the data has none
}

// Buckets are the overdue invoices' age buckets, in days past the due date.
var Buckets = []string{"1-30", "31-60", "61-90", "over_90"}

// OpenDisputeStatuses are the statuses of disputes that are still open.
var OpenDisputeStatuses = []string{"warning_needs_response", "needs_response", "warning_under_review", "under_review"}

// AtRisk is money at risk for a connection, per currency; rows name the
// objects so a window can open them.
type AtRisk struct {
	AsOf, From, To  time.Time
	Failed          []FailedPayment // newest first
	FailedTotal     Money
	PastDue         []PastDue // largest first
	PastDueMRR      Money
	Overdue         []OverdueInvoice // oldest due date first
	OverdueByBucket map[string]Money // bucket → currency → amount_remaining
	OverdueTotal    Money
	Disputes        []OpenDispute // earliest evidence deadline first
	DisputedTotal   Money
	// FailedCoverage says whether the failed payments' period is copied
	// yet (the other lists are as of now: they read every open object).
	FailedCoverage Completeness
}

// AtRisk computes connID's money at risk as of now; failed payments are
// those created in [from, to).
func (r *Reports) AtRisk(ctx context.Context, connID string, from, to time.Time) (AtRisk, error) {
	now := r.now()
	a := AtRisk{AsOf: now, From: from, To: to, FailedTotal: Money{}, PastDueMRR: Money{}, OverdueTotal: Money{},
		DisputedTotal: Money{}, OverdueByBucket: map[string]Money{}}
	for _, b := range Buckets {
		a.OverdueByBucket[b] = Money{}
	}
	var err error
	if a.Failed, err = r.unrecovered(ctx, connID, from, to); err != nil {
		return AtRisk{}, err
	}
	for _, f := range a.Failed {
		a.FailedTotal[f.Currency] += f.Amount
	}
	subs, _, err := r.subscriptionMRR(ctx, connID, now, "past_due")
	if err != nil {
		return AtRisk{}, err
	}
	exact := map[string]float64{}
	for _, s := range subs {
		a.PastDue = append(a.PastDue, PastDue{ID: s.ID, Customer: s.Customer, Currency: s.Currency, MRR: int64(math.Round(s.MRR))})
		exact[s.Currency] += s.MRR
	}
	for cur, v := range exact {
		a.PastDueMRR[cur] = int64(math.Round(v))
	}
	if a.Overdue, err = r.overdue(ctx, connID, now); err != nil {
		return AtRisk{}, err
	}
	for _, o := range a.Overdue {
		a.OverdueByBucket[o.Bucket][o.Currency] += o.AmountRemaining
		a.OverdueTotal[o.Currency] += o.AmountRemaining
	}
	if a.Disputes, err = r.openDisputes(ctx, connID); err != nil {
		return AtRisk{}, err
	}
	for _, d := range a.Disputes {
		a.DisputedTotal[d.Currency] += d.Amount
	}
	err = r.setCoverage(ctx, &a.FailedCoverage, []string{connID}, failedTypes, from, time.Time{})
	return a, err
}

// unrecovered reads the charges created since from, through the charges'
// (connection_id, created) index (stripe_charges has no other index, to keep
// a charge within its disk budget), and keeps the failed ones of [from, to)
// that no later succeeded charge of the same customer or the same invoice
// recovered.
func (r *Reports) unrecovered(ctx context.Context, connID string, from, to time.Time) ([]FailedPayment, error) {
	rows, err := r.db.QueryContext(ctx, unrecoveredQuery, connID, from.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading failed payments: %w", err)
	}
	defer rows.Close()
	// Newest first: when a failure is read, every later success is known.
	lastByCustomer, lastByInvoice := map[string]int64{}, map[string]int64{}
	var out []FailedPayment
	for rows.Next() {
		var f FailedPayment
		var status string
		var created int64
		if err := rows.Scan(&f.ID, &status, &f.Customer, &f.Invoice, &f.Currency, &f.Amount, &created, &f.FailureCode); err != nil {
			return nil, fmt.Errorf("reading failed payments: %w", err)
		}
		if status == "succeeded" {
			if f.Customer != "" {
				lastByCustomer[f.Customer] = max(lastByCustomer[f.Customer], created)
			}
			if f.Invoice != "" {
				lastByInvoice[f.Invoice] = max(lastByInvoice[f.Invoice], created)
			}
			continue
		}
		if created >= to.Unix() {
			continue
		}
		if f.Customer != "" && lastByCustomer[f.Customer] > created || f.Invoice != "" && lastByInvoice[f.Invoice] > created {
			continue
		}
		f.Created = time.Unix(created, 0).UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

// overdue reads open invoices whose due date has passed, through
// stripe_invoices_by_status.
func (r *Reports) overdue(ctx context.Context, connID string, now time.Time) ([]OverdueInvoice, error) {
	rows, err := r.db.QueryContext(ctx, overdueQuery, connID, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading overdue invoices: %w", err)
	}
	defer rows.Close()
	var out []OverdueInvoice
	for rows.Next() {
		var o OverdueInvoice
		var due int64
		if err := rows.Scan(&o.ID, &o.Customer, &o.Currency, &o.AmountRemaining, &due); err != nil {
			return nil, fmt.Errorf("reading overdue invoices: %w", err)
		}
		o.DueDate = time.Unix(due, 0).UTC()
		o.DaysOverdue = daysOverdue(due, now.Unix())
		o.Bucket = bucket(o.DaysOverdue)
		out = append(out, o)
	}
	return out, rows.Err()
}

// daysOverdue counts started days since the due date: a minute late is 1
// day, exactly 30 days late is 30, 30 days and a second is 31.
func daysOverdue(due, now int64) int {
	const day = 86400
	return int((now - due + day - 1) / day)
}

// bucket names the age bucket of n days overdue (n ≥ 1).
func bucket(n int) string {
	switch {
	case n <= 30:
		return Buckets[0]
	case n <= 60:
		return Buckets[1]
	case n <= 90:
		return Buckets[2]
	}
	return Buckets[3]
}

// openDisputes reads disputes in an open status. It walks the connection's
// disputes through stripe_disputes_by_created: disputes are few (well under
// 1% of charges), so they get no index of their own.
func (r *Reports) openDisputes(ctx context.Context, connID string) ([]OpenDispute, error) {
	rows, err := r.db.QueryContext(ctx, openDisputesQuery, connID)
	if err != nil {
		return nil, fmt.Errorf("reading open disputes: %w", err)
	}
	defer rows.Close()
	var out []OpenDispute
	for rows.Next() {
		var d OpenDispute
		var due int64
		if err := rows.Scan(&d.ID, &d.Charge, &d.Currency, &d.Status, &d.Reason, &d.Amount, &due); err != nil {
			return nil, fmt.Errorf("reading open disputes: %w", err)
		}
		if due != 0 {
			d.EvidenceDueBy = time.Unix(due, 0).UTC()
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// unrecoveredQuery reads charges created since an instant, newest first.
const unrecoveredQuery = `SELECT id, status, coalesce(customer, ''), coalesce(invoice, ''), coalesce(currency, ''),
		coalesce(amount, 0), created, coalesce(failure_code, '')
		FROM stripe_charges WHERE connection_id = ? AND created >= ? AND is_deleted = 0 AND status IN ('failed', 'succeeded')
		ORDER BY created DESC`

// overdueQuery reads open invoices due before an instant.
const overdueQuery = `SELECT id, coalesce(customer, ''), coalesce(currency, ''), coalesce(amount_remaining, 0), due_date
		FROM stripe_invoices WHERE connection_id = ? AND status = 'open' AND is_deleted = 0 AND due_date IS NOT NULL AND due_date < ?
		ORDER BY due_date, id`

// openDisputesQuery reads disputes in an open status.
const openDisputesQuery = `SELECT id, coalesce(charge, ''), coalesce(currency, ''), status, coalesce(reason, ''),
		coalesce(amount, 0), coalesce(evidence_due_by, 0)
		FROM stripe_disputes WHERE connection_id = ? AND is_deleted = 0
			AND status IN ('warning_needs_response', 'needs_response', 'warning_under_review', 'under_review')
		ORDER BY evidence_due_by IS NULL, evidence_due_by, id`
