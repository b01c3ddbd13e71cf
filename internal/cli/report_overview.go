package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
)

const overviewUsage = `Usage: ledgerline report overview [--connection ID | --all] [--period NAME | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--json | --csv]

Money in and money kept in a period, beside the period before it: gross
volume, refunds, disputes, Stripe's fees, net volume, payments, new
customers and the dispute rate. Days are in this computer's time zone;
--to is the last day, included. Works offline. docs/metrics.md gives
every formula and the JSON keys.

`

func runReportOverview(ctx context.Context, args []string, c common, env Env) error {
	run, rest, err := startReport(ctx, reportSpec{Name: "overview", Usage: overviewUsage}, args, c, env)
	if err != nil {
		return err
	}
	defer run.Close()
	if err := noArguments("overview", rest); err != nil {
		return err
	}
	m, err := run.Reports.MoneyReport(ctx, run.ConnIDs(), run.Period)
	if err != nil {
		return err
	}
	switch run.Format {
	case formatJSON:
		return writeReportJSON(run.Out, overviewToJSON(run, m))
	case formatCSV:
		var rows [][]string
		for _, f := range overviewFigures(m) {
			rows = append(rows, f.csv(run))
		}
		return writeReportCSV(run.Out, overviewCSVHeader, rows)
	}
	return writeOverviewText(run.Out, run, m)
}

// The JSON of `report overview --json`; docs/metrics.md documents every
// key, and they stay. Amounts are integers in the currency's minor unit,
// rates decimals (0.029 is 2.9 %), null when undefined.
type overviewJSON struct {
	Connections    []string         `json:"connections"`
	TimeZone       string           `json:"time_zone"`
	Period         periodJSON       `json:"period"`
	PreviousPeriod periodJSON       `json:"previous_period"`
	Currencies     []currencyJSON   `json:"currencies"`
	Settlement     []settlementJSON `json:"settlement"`
	Payments       amountJSON       `json:"payments"`
	NewCustomers   amountJSON       `json:"new_customers"`
	Disputes       disputesJSON     `json:"disputes"`
	Coverage       coverageJSON     `json:"coverage"`
}

type amountJSON struct {
	Value     int64    `json:"value"`
	Previous  int64    `json:"previous"`
	Change    int64    `json:"change"`
	ChangePct *float64 `json:"change_pct"`
}

type rateJSON struct {
	Value     *float64 `json:"value"`
	Previous  *float64 `json:"previous"`
	Change    *float64 `json:"change"`
	ChangePct *float64 `json:"change_pct"`
}

type currencyJSON struct {
	Currency       string     `json:"currency"`
	Gross          amountJSON `json:"gross"`
	Refunds        amountJSON `json:"refunds"`
	DisputesLost   amountJSON `json:"disputes_lost"`
	Payments       amountJSON `json:"payments"`
	AveragePayment amountJSON `json:"average_payment"`
	RefundRate     rateJSON   `json:"refund_rate"`
}

type settlementJSON struct {
	Currency         string     `json:"currency"`
	Gross            amountJSON `json:"gross"`
	Refunds          amountJSON `json:"refunds"`
	Disputes         amountJSON `json:"disputes"`
	DisputeFees      amountJSON `json:"dispute_fees"`
	Fees             amountJSON `json:"fees"`
	Net              amountJSON `json:"net"`
	EffectiveFeeRate rateJSON   `json:"effective_fee_rate"`
}

type disputesJSON struct {
	Count        amountJSON `json:"count"`
	CardPayments amountJSON `json:"card_payments"`
	Rate         rateJSON   `json:"rate"`
	Level        string     `json:"level"`
}

func aj(a reports.Amount) amountJSON { return amountJSON(a) }
func rj(r reports.Rate) rateJSON     { return rateJSON(r) }

func overviewToJSON(run *reportRun, m reports.MoneyReport) overviewJSON {
	out := overviewJSON{Connections: run.ConnIDs(), TimeZone: run.Zone.String(),
		Period: toPeriodJSON(m.Period, run.Now), PreviousPeriod: toPeriodJSON(m.Previous, run.Now),
		Currencies: []currencyJSON{}, Settlement: []settlementJSON{},
		Payments: aj(m.Payments), NewCustomers: aj(m.NewCustomers),
		Disputes: disputesJSON{Count: aj(m.Disputes.Disputes), CardPayments: aj(m.Disputes.CardPayments),
			Rate: rj(m.Disputes.Rate), Level: string(m.Disputes.Level)},
		Coverage: toCoverageJSON(m.Coverage)}
	for _, c := range m.Currencies {
		out.Currencies = append(out.Currencies, currencyJSON{Currency: c.Currency, Gross: aj(c.Gross),
			Refunds: aj(c.Refunds), DisputesLost: aj(c.DisputesLost), Payments: aj(c.Payments),
			AveragePayment: aj(c.AveragePayment), RefundRate: rj(c.RefundRate)})
	}
	for _, s := range m.Settlement {
		out.Settlement = append(out.Settlement, settlementJSON{Currency: s.Currency, Gross: aj(s.Gross),
			Refunds: aj(s.Refunds), Disputes: aj(s.Disputes), DisputeFees: aj(s.DisputeFees), Fees: aj(s.Fees),
			Net: aj(s.Net), EffectiveFeeRate: rj(s.EffectiveFeeRate)})
	}
	return out
}

// figure is one row of the CSV and the text: a section ("currency" for
// presentment currencies, "settlement", or "all"), a currency (empty for
// counts over every currency), the figure's JSON key and English label,
// and an amount (money when money is true, else a count) or a rate.
type figure struct {
	section, currency, key, label string
	money, isRate                 bool
	amount                        reports.Amount
	rate                          reports.Rate
}

var overviewCSVHeader = []string{"section", "currency", "figure", "value", "previous", "change", "change_pct", "from", "to"}

func overviewFigures(m reports.MoneyReport) []figure {
	var fs []figure
	amt := func(section, cur, key, label string, money bool, a reports.Amount) {
		fs = append(fs, figure{section: section, currency: cur, key: key, label: label, money: money, amount: a})
	}
	rate := func(section, cur, key, label string, r reports.Rate) {
		fs = append(fs, figure{section: section, currency: cur, key: key, label: label, isRate: true, rate: r})
	}
	for _, c := range m.Currencies {
		amt("currency", c.Currency, "gross", "Gross volume", true, c.Gross)
		amt("currency", c.Currency, "refunds", "Refunds", true, c.Refunds)
		amt("currency", c.Currency, "disputes_lost", "Disputes lost", true, c.DisputesLost)
		amt("currency", c.Currency, "payments", "Successful payments", false, c.Payments)
		amt("currency", c.Currency, "average_payment", "Average payment", true, c.AveragePayment)
		rate("currency", c.Currency, "refund_rate", "Refund rate", c.RefundRate)
	}
	for _, s := range m.Settlement {
		amt("settlement", s.Currency, "gross", "Gross volume", true, s.Gross)
		amt("settlement", s.Currency, "refunds", "Refunds", true, s.Refunds)
		amt("settlement", s.Currency, "disputes", "Disputes", true, s.Disputes)
		amt("settlement", s.Currency, "fees", "Stripe fees", true, s.Fees)
		amt("settlement", s.Currency, "dispute_fees", "  of which dispute fees", true, s.DisputeFees)
		amt("settlement", s.Currency, "net", "Net volume", true, s.Net)
		rate("settlement", s.Currency, "effective_fee_rate", "Effective fee rate", s.EffectiveFeeRate)
	}
	amt("all", "", "payments", "Successful payments", false, m.Payments)
	amt("all", "", "new_customers", "New customers", false, m.NewCustomers)
	amt("all", "", "disputes", "Disputes", false, m.Disputes.Disputes)
	amt("all", "", "card_payments", "Successful card payments", false, m.Disputes.CardPayments)
	rate("all", "", "dispute_rate", "Dispute rate", m.Disputes.Rate)
	return fs
}

func (f figure) csv(run *reportRun) []string {
	row := []string{f.section, f.currency, f.key}
	if f.isRate {
		row = append(row, decimal(f.rate.Value), decimal(f.rate.Previous), decimal(f.rate.Change), decimal(f.rate.ChangePct))
	} else {
		a := f.amount
		row = append(row, strconv.FormatInt(a.Value, 10), strconv.FormatInt(a.Previous, 10),
			strconv.FormatInt(a.Change, 10), decimal(a.ChangePct))
	}
	return append(row, run.Period.From.Format("2006-01-02"), run.Period.To.Format("2006-01-02"))
}

// decimal writes a rate as the shortest decimal that reads back the same,
// "" for none.
func decimal(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// levelWords words a dispute level for the text output.
var levelWords = map[reports.DisputeLevel]string{
	reports.DisputeLevelNone:      "no card payments in the period",
	reports.DisputeLevelOK:        "below the card networks' early-warning level (0.65%)",
	reports.DisputeLevelNear:      "WARNING: at or above Visa's early-warning level (0.65%)",
	reports.DisputeLevelOver:      "WARNING: at or above Visa's dispute monitoring level (0.9%)",
	reports.DisputeLevelExcessive: "WARNING: at or above Mastercard's excessive-chargeback level (1.5%)",
}

func writeOverviewText(w io.Writer, run *reportRun, m reports.MoneyReport) error {
	f := localefmt.New("en-US", localefmt.InZone(run.Zone))
	var who []string
	for _, c := range run.Conns {
		who = append(who, fmt.Sprintf("%s (%s)", c.Name, c.ID))
	}
	if len(who) == 0 {
		who = []string{"no connections"}
	}
	name := strings.ReplaceAll(string(m.Period.Kind), "_", " ")
	fmt.Fprintf(w, "%s\n%s: %s, compared with %s. Days in %s.\n", strings.Join(who, ", "),
		strings.ToUpper(name[:1])+name[1:], periodText(m.Period), periodText(m.Previous), zoneText(run.Zone, run.Now))
	if !m.Period.Complete(run.Now) {
		fmt.Fprintln(w, "The period is not over yet.")
	}
	if s := coverageText(m.Coverage, run.Zone); s != "" {
		fmt.Fprintln(w, s)
	}
	section := ""
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, fg := range overviewFigures(m) {
		head := map[string]string{"currency": "Paid in " + strings.ToUpper(fg.currency),
			"settlement": "Settled in " + strings.ToUpper(fg.currency) + " (balance transactions)",
			"all":        "All currencies"}[fg.section]
		if head != section {
			section = head
			fmt.Fprintf(tw, "\n%s\tThis period\tPrevious\tChange\n", head)
		}
		var v, p, ch string
		switch {
		case fg.isRate:
			v, p, ch = pct(fg.rate.Value), pct(fg.rate.Previous), points(fg.rate.Change)
		case fg.money:
			v, p = f.Money(fg.amount.Value, fg.currency), f.Money(fg.amount.Previous, fg.currency)
			ch = signed(f.Money(fg.amount.Change, fg.currency), fg.amount.Change) + changePct(fg.amount.ChangePct)
		default:
			v, p = strconv.FormatInt(fg.amount.Value, 10), strconv.FormatInt(fg.amount.Previous, 10)
			ch = signed(strconv.FormatInt(fg.amount.Change, 10), fg.amount.Change) + changePct(fg.amount.ChangePct)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", fg.label, v, p, ch)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	note := ""
	if m.Disputes.Level != reports.DisputeLevelNone && m.Disputes.Level != reports.DisputeLevelOK {
		note = " The networks act on a calendar month and only above a count of disputes too (docs/metrics.md)."
	}
	_, err := fmt.Fprintf(w, "\nDispute rate: %s.%s\n", levelWords[m.Disputes.Level], note)
	return err
}

// zoneText names a zone for people: its IANA name, or for the computer's
// own zone (which Go knows only as "Local") its abbreviation and offset now.
func zoneText(zone *time.Location, now time.Time) string {
	if zone.String() != "Local" {
		return zone.String()
	}
	return "this computer's time zone (" + now.In(zone).Format("MST, UTC-07:00") + ")"
}

func pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return strconv.FormatFloat(*v*100, 'f', 2, 64) + "%"
}

func points(v *float64) string {
	if v == nil {
		return "–"
	}
	s := strconv.FormatFloat(*v*100, 'f', 2, 64) + " pts"
	if *v > 0 {
		s = "+" + s
	}
	return s
}

func signed(s string, v int64) string {
	if v > 0 {
		return "+" + s
	}
	return s
}

func changePct(v *float64) string {
	if v == nil {
		return ""
	}
	s := strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	if *v > 0 {
		s = "+" + s
	}
	return " (" + s + ")"
}
