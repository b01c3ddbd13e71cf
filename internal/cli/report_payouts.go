package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
)

const payoutsUsage = `Usage: ledgerline report payouts [--connection ID | --all] [--period NAME | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--json | --csv]

The payouts whose arrival date falls in the period (default this month),
newest first: amount, status, type, the bank account's last four digits
when the data has them, how many balance transactions each paid out, and
whether those add up to the payout (reconciled). Works offline;
docs/metrics.md ("Payouts") gives the formula and the JSON keys.

`

const payoutUsage = `Usage: ledgerline report payout PO_ID [--connection ID | --all] [--json | --csv [--raw-cells]]

A payout's reconciliation: one row per balance transaction it paid out,
with gross, fee, net, customer and description, like Stripe's payout
reconciliation report, and whether their net adds up to the payout.
Works offline; docs/metrics.md ("Payouts") gives the JSON keys. The CSV
is the same file the window's "Export reconciliation CSV…" saves: a cell
that begins with =, +, -, @, a tab or a carriage return (other than a
whole number) gets a leading ' so a spreadsheet shows it as text;
--raw-cells leaves every cell as it is, for programs.

`

func runReportPayouts(ctx context.Context, args []string, c common, env Env) error {
	run, rest, err := startReport(ctx, reportSpec{Name: "payouts", Usage: payoutsUsage}, args, c, env)
	if err != nil {
		return err
	}
	defer run.Close()
	if len(rest) > 0 {
		return fmt.Errorf("%w: report payouts takes no arguments, only flags (one payout: ledgerline report payout PO_ID)", errUsage)
	}
	ps, err := run.Reports.Payouts(ctx, run.ConnIDs(), run.Period)
	if err != nil {
		return err
	}
	cov, err := run.Reports.PayoutsCoverage(ctx, run.ConnIDs(), run.Period)
	if err != nil {
		return err
	}
	switch run.Format {
	case formatJSON:
		out := payoutsJSON{Connections: run.ConnIDs(), TimeZone: run.Zone.String(),
			Period: toPeriodJSON(run.Period, run.Now), Payouts: []payoutJSON{}, Coverage: toCoverageJSON(cov)}
		for _, p := range ps {
			out.Payouts = append(out.Payouts, toPayoutJSON(p))
		}
		return writeReportJSON(run.Out, out)
	case formatCSV:
		var rows [][]string
		for _, p := range ps {
			rows = append(rows, payoutCSV(p))
		}
		return writeReportCSV(run.Out, payoutsCSVHeader, rows)
	}
	f := localefmt.New("en-US", localefmt.InZone(run.Zone))
	fmt.Fprintf(run.Out, "Payouts arriving %s.\n", periodText(run.Period))
	if s := coverageText(cov, run.Zone); s != "" {
		fmt.Fprintln(run.Out, s)
	}
	if len(ps) == 0 {
		_, err := fmt.Fprintln(run.Out, "No payouts.")
		return err
	}
	tw := tabwriter.NewWriter(run.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nArrival\tPayout\tAmount\tStatus\tType\tBank\tTransactions\tReconciled")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ArrivalDate.Format(time.DateOnly), p.ID,
			f.Money(p.Amount, p.Currency), p.Status, payoutKind(p), last4Text(p.BankLast4), linksText(p), reconciledText(p, f))
	}
	return tw.Flush()
}

func runReportPayout(ctx context.Context, args []string, c common, env Env) error {
	var raw bool
	run, rest, err := startReport(ctx, reportSpec{Name: "payout", Usage: payoutUsage, Flags: func(fs *flag.FlagSet) {
		fs.BoolVar(&raw, "raw-cells", false, "with --csv: leave cells as they are (no ' before a leading =, +, -, @), for programs")
	}}, args, c, env)
	if err != nil {
		return err
	}
	defer run.Close()
	if len(rest) != 1 || !strings.HasPrefix(rest[0], "po_") {
		return fmt.Errorf("%w: say which payout: ledgerline report payout po_… (ledgerline report payouts lists them)", errUsage)
	}
	id := rest[0]
	// One connection: its answer. Several (--all): the first that has the
	// payout, and "no payout" names none of them.
	var d reports.PayoutDetail
	err = domain.E(domain.KindNotFound, domain.ErrNotFound, domain.FactWhat, "payout", domain.FactValue, id)
	for _, conn := range run.Conns {
		d, err = run.Reports.Payout(ctx, conn.ID, id)
		if len(run.Conns) > 1 && errors.Is(err, domain.ErrNotFound) {
			err = domain.E(domain.KindNotFound, err, domain.FactWhat, "payout", domain.FactValue, id)
			continue
		}
		break
	}
	if err != nil {
		return err
	}
	switch run.Format {
	case formatJSON:
		out := payoutDetailJSON{Payout: toPayoutJSON(d.Payout), Transactions: []payoutTxnJSON{}}
		for _, t := range d.Transactions {
			out.Transactions = append(out.Transactions, toPayoutTxnJSON(t))
			out.Totals.Gross += t.Gross
			out.Totals.Fee += t.Fee
			out.Totals.Net += t.Net
		}
		return writeReportJSON(run.Out, out)
	case formatCSV:
		return reports.WritePayoutCSV(run.Out, d, raw)
	}
	return writePayoutText(run.Out, run, d)
}

// The JSON of `report payouts --json` and `report payout --json`;
// docs/metrics.md documents every key, and they stay. Amounts are integers
// in the currency's smallest unit.
type payoutsJSON struct {
	Connections []string     `json:"connections"`
	TimeZone    string       `json:"time_zone"`
	Period      periodJSON   `json:"period"`
	Payouts     []payoutJSON `json:"payouts"`
	Coverage    coverageJSON `json:"coverage"`
}

type payoutJSON struct {
	ConnectionID string `json:"connection_id"`
	ID           string `json:"id"`
	ArrivalDate  string `json:"arrival_date"` // YYYY-MM-DD, UTC as Stripe gives it
	Amount       int64  `json:"amount"`
	Currency     string `json:"currency"`
	Status       string `json:"status"`
	Automatic    bool   `json:"automatic"`
	Method       string `json:"method"`
	Type         string `json:"type"`
	BankLast4    string `json:"bank_last4"`
	LinksSynced  bool   `json:"links_synced"`
	Links        int64  `json:"links"`
	LinkedNet    int64  `json:"linked_net"`
	Reconciled   bool   `json:"reconciled"`
}

type payoutDetailJSON struct {
	Payout       payoutJSON      `json:"payout"`
	Transactions []payoutTxnJSON `json:"transactions"`
	Totals       struct {
		Gross int64 `json:"gross"`
		Fee   int64 `json:"fee"`
		Net   int64 `json:"net"`
	} `json:"totals"`
}

type payoutTxnJSON struct {
	ID                string     `json:"id"`
	Type              string     `json:"type"`
	ReportingCategory string     `json:"reporting_category"`
	Gross             int64      `json:"gross"`
	Fee               int64      `json:"fee"`
	Net               int64      `json:"net"`
	Currency          string     `json:"currency"`
	Created           *time.Time `json:"created"` // null when the balance transaction is not stored
	Source            string     `json:"source"`
	Customer          string     `json:"customer"`
	Description       string     `json:"description"`
}

func toPayoutJSON(p reports.PayoutRow) payoutJSON {
	return payoutJSON{ConnectionID: p.ConnectionID, ID: p.ID, ArrivalDate: p.ArrivalDate.Format(time.DateOnly),
		Amount: p.Amount, Currency: p.Currency, Status: p.Status, Automatic: p.Automatic, Method: p.Method,
		Type: p.Type, BankLast4: p.BankLast4, LinksSynced: p.LinksSynced, Links: p.Links, LinkedNet: p.LinkedNet,
		Reconciled: p.Reconciled}
}

func toPayoutTxnJSON(t reports.PayoutTransaction) payoutTxnJSON {
	j := payoutTxnJSON{ID: t.ID, Type: t.Type, ReportingCategory: t.ReportingCategory, Gross: t.Gross, Fee: t.Fee,
		Net: t.Net, Currency: t.Currency, Source: t.Source, Customer: t.Customer, Description: t.Description}
	if !t.Created.IsZero() {
		c := t.Created
		j.Created = &c
	}
	return j
}

var payoutsCSVHeader = []string{"connection_id", "id", "arrival_date", "amount", "currency", "status", "automatic",
	"method", "type", "bank_last4", "links_synced", "links", "linked_net", "reconciled"}

func payoutCSV(p reports.PayoutRow) []string {
	j := toPayoutJSON(p)
	return []string{j.ConnectionID, j.ID, j.ArrivalDate, strconv.FormatInt(j.Amount, 10), j.Currency, j.Status,
		strconv.FormatBool(j.Automatic), j.Method, j.Type, j.BankLast4, strconv.FormatBool(j.LinksSynced),
		strconv.FormatInt(j.Links, 10), strconv.FormatInt(j.LinkedNet, 10), strconv.FormatBool(j.Reconciled)}
}

func payoutKind(p reports.PayoutRow) string {
	s := p.Type
	if p.Method != "" {
		s += ", " + p.Method
	}
	if p.Automatic {
		s += ", automatic"
	}
	return s
}

func last4Text(s string) string {
	if s == "" {
		return "-"
	}
	return "••" + s
}

func linksText(p reports.PayoutRow) string {
	if !p.LinksSynced {
		return "not synced"
	}
	return strconv.FormatInt(p.Links, 10)
}

func reconciledText(p reports.PayoutRow, f *localefmt.Formatter) string {
	switch {
	case !p.LinksSynced:
		return "-"
	case p.Reconciled:
		return "yes"
	}
	return "NO: transactions add up to " + f.Money(p.LinkedNet, p.Currency)
}

func writePayoutText(w io.Writer, run *reportRun, d reports.PayoutDetail) error {
	f := localefmt.New("en-US", localefmt.InZone(run.Zone))
	p := d.Payout
	fmt.Fprintf(w, "Payout %s of connection %s: %s, %s, arriving %s (%s, bank %s).\n", p.ID, p.ConnectionID,
		f.Money(p.Amount, p.Currency), p.Status, p.ArrivalDate.Format(time.DateOnly), payoutKind(p), last4Text(p.BankLast4))
	switch {
	case !p.LinksSynced:
		_, err := fmt.Fprintln(w, "Its transactions are not synced yet (ledgerline sync --follow fetches older payouts' transactions).")
		return err
	case p.Reconciled:
		fmt.Fprintf(w, "Reconciled: its %d transactions' net adds up to the payout.\n", p.Links)
	default:
		fmt.Fprintf(w, "NOT RECONCILED: its %d transactions' net adds up to %s, not %s.\n", p.Links,
			f.Money(p.LinkedNet, p.Currency), f.Money(p.Amount, p.Currency))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nCreated\tTransaction\tType\tGross\tFee\tNet\tSource\tCustomer\tDescription")
	for _, t := range d.Transactions {
		created := "-"
		if !t.Created.IsZero() {
			created = t.Created.In(run.Zone).Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", created, t.ID, t.Type, f.Money(t.Gross, t.Currency),
			f.Money(t.Fee, t.Currency), f.Money(t.Net, t.Currency), t.Source, t.Customer, t.Description)
	}
	return tw.Flush()
}
