package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/csvsafe"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
)

const atRiskUsage = `Usage: ledgerline report at-risk [--connection ID | --all] [--period NAME | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--json | --csv]

Money at risk now: failed payments in the period (default last_30_days)
that no later payment recovered, past_due subscriptions and the MRR they carry,
open invoices past their due date by age (1-30, 31-60, 61-90, over 90 days),
and open disputes with their evidence deadlines. Each row names the Stripe
object. Per currency, in each currency's smallest unit. Works offline;
JSON keys: docs/metrics.md.

`

type atRiskReport struct {
	Conn domain.Connection
	Risk reports.AtRisk
}

func runReportAtRisk(ctx context.Context, args []string, c common, env Env) error {
	return runFlagsOnlyReport(ctx, reportSpec{Name: "at-risk", Usage: atRiskUsage, DefaultPeriod: reports.PeriodLast30Days}, args, c, env, writeAtRiskReport)
}

// writeAtRiskReport computes `report at-risk` for each of run's connections,
// failed payments in run's period, and writes it in run's format.
func writeAtRiskReport(ctx context.Context, run *reportRun) error {
	r, now, conns, w := run.Reports, run.Now, run.Conns, run.Out
	from, to := run.Period.From, run.Period.To
	var out []atRiskReport
	for _, conn := range conns {
		risk, err := r.AtRisk(ctx, conn.ID, from, to)
		if err != nil {
			return err
		}
		out = append(out, atRiskReport{Conn: conn, Risk: risk})
	}
	switch run.Format {
	case formatJSON:
		return writeAtRiskJSON(w, now, out)
	case formatCSV:
		return writeAtRiskCSV(w, out)
	}
	return writeAtRiskText(w, out)
}

// The JSON of `report at-risk`, a contract documented in docs/metrics.md.
type atRiskJSON struct {
	GeneratedAt string           `json:"generated_at"`
	Connections []atRiskConnJSON `json:"connections"`
}

type atRiskConnJSON struct {
	ConnectionID    string                   `json:"connection_id"`
	Name            string                   `json:"name"`
	AsOf            string                   `json:"as_of"`
	From            string                   `json:"from"`
	To              string                   `json:"to"`
	FailedPayments  []failedJSON             `json:"failed_payments"`
	FailedTotal     reports.Money            `json:"failed_total"`
	PastDue         []pastDueJSON            `json:"past_due_subscriptions"`
	PastDueMRR      reports.Money            `json:"past_due_mrr"`
	Overdue         []overdueJSON            `json:"overdue_invoices"`
	OverdueByBucket map[string]reports.Money `json:"overdue_by_bucket"`
	OverdueTotal    reports.Money            `json:"overdue_total"`
	Disputes        []disputeJSON            `json:"open_disputes"`
	DisputedTotal   reports.Money            `json:"disputed_total"`
	FailedCoverage  coverageJSON             `json:"failed_coverage"`
}

type failedJSON struct {
	ID          string `json:"id"`
	Customer    string `json:"customer"`
	Invoice     string `json:"invoice"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Created     string `json:"created"`
	FailureCode string `json:"failure_code"`
}

type pastDueJSON struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Currency string `json:"currency"`
	MRR      int64  `json:"mrr"`
}

type overdueJSON struct {
	ID              string `json:"id"`
	Customer        string `json:"customer"`
	AmountRemaining int64  `json:"amount_remaining"`
	Currency        string `json:"currency"`
	DueDate         string `json:"due_date"`
	DaysOverdue     int    `json:"days_overdue"`
	Bucket          string `json:"bucket"`
}

type disputeJSON struct {
	ID            string `json:"id"`
	Charge        string `json:"charge"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Status        string `json:"status"`
	Reason        string `json:"reason"`
	EvidenceDueBy string `json:"evidence_due_by"` // "" when the data has none
}

func toAtRiskJSON(now time.Time, rs []atRiskReport) atRiskJSON {
	out := atRiskJSON{GeneratedAt: rfc3339(now), Connections: []atRiskConnJSON{}}
	for _, r := range rs {
		a := r.Risk
		c := atRiskConnJSON{ConnectionID: r.Conn.ID, Name: r.Conn.Name, AsOf: rfc3339(a.AsOf), From: rfc3339(a.From), To: rfc3339(a.To),
			FailedPayments: []failedJSON{}, FailedTotal: a.FailedTotal, PastDue: []pastDueJSON{}, PastDueMRR: a.PastDueMRR,
			Overdue: []overdueJSON{}, OverdueByBucket: a.OverdueByBucket, OverdueTotal: a.OverdueTotal,
			Disputes: []disputeJSON{}, DisputedTotal: a.DisputedTotal, FailedCoverage: toCoverageJSON(a.FailedCoverage)}
		for _, f := range a.Failed {
			c.FailedPayments = append(c.FailedPayments, failedJSON{ID: f.ID, Customer: f.Customer, Invoice: f.Invoice, Amount: f.Amount,
				Currency: f.Currency, Created: rfc3339(f.Created), FailureCode: f.FailureCode})
		}
		for _, p := range a.PastDue {
			c.PastDue = append(c.PastDue, pastDueJSON{ID: p.ID, Customer: p.Customer, Currency: p.Currency, MRR: p.MRR})
		}
		for _, o := range a.Overdue {
			c.Overdue = append(c.Overdue, overdueJSON{ID: o.ID, Customer: o.Customer, AmountRemaining: o.AmountRemaining,
				Currency: o.Currency, DueDate: rfc3339(o.DueDate), DaysOverdue: o.DaysOverdue, Bucket: o.Bucket})
		}
		for _, d := range a.Disputes {
			c.Disputes = append(c.Disputes, disputeJSON{ID: d.ID, Charge: d.Charge, Amount: d.Amount, Currency: d.Currency,
				Status: d.Status, Reason: d.Reason, EvidenceDueBy: rfc3339(d.EvidenceDueBy)})
		}
		out.Connections = append(out.Connections, c)
	}
	return out
}

func writeAtRiskJSON(w io.Writer, now time.Time, rs []atRiskReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(toAtRiskJSON(now, rs))
}

// atRiskCSVHeader is the header of `report at-risk --csv`: one object a row.
var atRiskCSVHeader = []string{"connection_id", "section", "object_id", "customer", "currency", "amount", "status", "date", "days_overdue", "bucket"}

func writeAtRiskCSV(w io.Writer, rs []atRiskReport) error {
	cw := csvsafe.NewWriter(w, false)
	_ = cw.Write(atRiskCSVHeader)
	for _, r := range rs {
		id, a := r.Conn.ID, r.Risk
		for _, f := range a.Failed {
			_ = cw.Write([]string{id, "failed_payment", f.ID, f.Customer, f.Currency, strconv.FormatInt(f.Amount, 10), "failed", rfc3339(f.Created), "", ""})
		}
		for _, p := range a.PastDue {
			_ = cw.Write([]string{id, "past_due_subscription", p.ID, p.Customer, p.Currency, strconv.FormatInt(p.MRR, 10), "past_due", "", "", ""})
		}
		for _, o := range a.Overdue {
			_ = cw.Write([]string{id, "overdue_invoice", o.ID, o.Customer, o.Currency, strconv.FormatInt(o.AmountRemaining, 10), "open",
				rfc3339(o.DueDate), strconv.Itoa(o.DaysOverdue), o.Bucket})
		}
		for _, d := range a.Disputes {
			_ = cw.Write([]string{id, "open_dispute", d.ID, "", d.Currency, strconv.FormatInt(d.Amount, 10), d.Status, rfc3339(d.EvidenceDueBy), "", ""})
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeAtRiskText(w io.Writer, rs []atRiskReport) error {
	var b strings.Builder
	if len(rs) == 0 {
		b.WriteString("No connections yet: connect one with ledgerline connect stripe.\n")
	}
	totals := func(m reports.Money) string {
		if len(m) == 0 {
			return "none"
		}
		var parts []string
		for _, cur := range currencies(m) {
			parts = append(parts, strings.ToUpper(cur)+" "+amount(m[cur]))
		}
		return strings.Join(parts, ", ")
	}
	for i, r := range rs {
		a := r.Risk
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s), as of %s\n", r.Conn.Name, r.Conn.ID, a.AsOf.UTC().Format("2006-01-02 15:04 MST"))
		fmt.Fprintf(&b, "  Failed payments not recovered, %s to %s: %d, %s\n", a.From.UTC().Format(time.DateOnly),
			a.To.UTC().Format(time.DateOnly), len(a.Failed), totals(a.FailedTotal))
		if s := coverageText(a.FailedCoverage, time.UTC); s != "" {
			fmt.Fprintf(&b, "    %s\n", s)
		}
		for _, f := range a.Failed {
			fmt.Fprintf(&b, "    %s  %s %s  %s  customer %s\n", f.ID, strings.ToUpper(f.Currency), amount(f.Amount), f.Created.Format(time.DateOnly), f.Customer)
		}
		fmt.Fprintf(&b, "  Past-due subscriptions: %d, carrying MRR %s\n", len(a.PastDue), totals(a.PastDueMRR))
		for _, p := range a.PastDue {
			fmt.Fprintf(&b, "    %s  %s %s a month  customer %s\n", p.ID, strings.ToUpper(p.Currency), amount(p.MRR), p.Customer)
		}
		fmt.Fprintf(&b, "  Overdue open invoices: %d, %s\n", len(a.Overdue), totals(a.OverdueTotal))
		for _, bk := range reports.Buckets {
			if len(a.OverdueByBucket[bk]) > 0 {
				fmt.Fprintf(&b, "    %s days: %s\n", strings.ReplaceAll(bk, "_", " "), totals(a.OverdueByBucket[bk]))
			}
		}
		for _, o := range a.Overdue {
			fmt.Fprintf(&b, "    %s  %s %s  due %s (%d days ago)\n", o.ID, strings.ToUpper(o.Currency), amount(o.AmountRemaining), o.DueDate.Format(time.DateOnly), o.DaysOverdue)
		}
		fmt.Fprintf(&b, "  Open disputes: %d, %s\n", len(a.Disputes), totals(a.DisputedTotal))
		for _, d := range a.Disputes {
			due := "no evidence deadline in the data"
			if !d.EvidenceDueBy.IsZero() {
				due = "evidence due " + d.EvidenceDueBy.Format("2006-01-02 15:04 MST")
			}
			fmt.Fprintf(&b, "    %s  %s %s  %s  %s\n", d.ID, strings.ToUpper(d.Currency), amount(d.Amount), d.Status, due)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
