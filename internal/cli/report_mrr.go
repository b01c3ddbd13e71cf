package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/csvsafe"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/reports"
)

const mrrUsage = `Usage: ledgerline report mrr [--connection ID | --all] [--period NAME | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--json | --csv]

Monthly recurring revenue now (Stripe Billing's definition), ARR, active
subscribers, ARPU, the last 12 months' MRR and its movements (new, expansion,
contraction, churn, reactivation), subscriber and revenue churn for a period
(--period or --from/--to; default last_month) and lifetime value.
Per currency, in each currency's smallest unit. Works offline; formulas and
JSON keys: docs/metrics.md.

`

// mrrMonths is how many months the history covers.
const mrrMonths = 12

// mrrReport is one connection's `report mrr` figures.
type mrrReport struct {
	Conn   domain.Connection
	Now    reports.MRRNow
	Months []reports.MonthMRR
	Churn  reports.Churn
	LTV    reports.Money
}

func runReportMRR(ctx context.Context, args []string, c common, env Env) error {
	return runFlagsOnlyReport(ctx, reportSpec{Name: "mrr", Usage: mrrUsage, DefaultPeriod: reports.PeriodLastMonth}, args, c, env, writeMRRReport)
}

// writeMRRReport computes `report mrr` for each of run's connections, churn
// over run's period, and writes it in run's format.
func writeMRRReport(ctx context.Context, run *reportRun) error {
	r, now, conns, w := run.Reports, run.Now, run.Conns, run.Out
	from, to := run.Period.From, run.Period.To
	var out []mrrReport
	for _, conn := range conns {
		m := mrrReport{Conn: conn}
		var err error
		if m.Now, err = r.MRRNow(ctx, conn.ID); err != nil {
			return err
		}
		if m.Months, err = r.MRRByMonth(ctx, conn.ID, mrrMonths); err != nil {
			return err
		}
		if m.Churn, err = r.ChurnBetween(ctx, conn.ID, from, to); err != nil {
			return err
		}
		m.LTV = reports.LTV(m.Now.ARPU, m.Churn)
		out = append(out, m)
	}
	switch run.Format {
	case formatJSON:
		return writeMRRJSON(w, now, out)
	case formatCSV:
		return writeMRRCSV(w, out)
	}
	return writeMRRText(w, out)
}

// The JSON of `report mrr`: a contract for scripts, documented in
// docs/metrics.md. Money is an object of currency → integer in the
// currency's smallest unit; rates are fractions (0.05 is 5%).
type mrrJSON struct {
	GeneratedAt string        `json:"generated_at"`
	Connections []mrrConnJSON `json:"connections"`
}

type mrrConnJSON struct {
	ConnectionID      string             `json:"connection_id"`
	Name              string             `json:"name"`
	AsOf              string             `json:"as_of"`
	MRR               reports.Money      `json:"mrr"`
	ARR               reports.Money      `json:"arr"`
	ARPU              reports.Money      `json:"arpu"`
	ActiveSubscribers int                `json:"active_subscribers"`
	Subscribers       map[string]int     `json:"subscribers"`
	UnpricedItems     int                `json:"unpriced_items"`
	Churn             churnJSON          `json:"churn"`
	LTV               reports.Money      `json:"ltv"`
	Months            []monthJSON        `json:"months"`
	Subscriptions     []subscriptionJSON `json:"subscriptions"`
}

type churnJSON struct {
	From                string             `json:"from"`
	To                  string             `json:"to"`
	StartSubscribers    map[string]int     `json:"start_subscribers"`
	ChurnedSubscribers  map[string]int     `json:"churned_subscribers"`
	StartMRR            reports.Money      `json:"start_mrr"`
	ChurnedMRR          reports.Money      `json:"churned_mrr"`
	SubscriberChurnRate map[string]float64 `json:"subscriber_churn_rate"`
	RevenueChurnRate    map[string]float64 `json:"revenue_churn_rate"`
	Coverage            coverageJSON       `json:"coverage"`
}

type monthJSON struct {
	Month              string         `json:"month"` // YYYY-MM
	MRR                reports.Money  `json:"mrr"`
	New                reports.Money  `json:"new"`
	Expansion          reports.Money  `json:"expansion"`
	Contraction        reports.Money  `json:"contraction"`
	Churn              reports.Money  `json:"churn"`
	Reactivation       reports.Money  `json:"reactivation"`
	Subscribers        map[string]int `json:"subscribers"`
	ChurnedSubscribers map[string]int `json:"churned_subscribers"`
	Coverage           coverageJSON   `json:"coverage"`
}

type subscriptionJSON struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Status   string `json:"status"`
	Currency string `json:"currency"`
	MRR      int64  `json:"mrr"`
}

func toMRRJSON(now time.Time, rs []mrrReport) mrrJSON {
	out := mrrJSON{GeneratedAt: rfc3339(now), Connections: []mrrConnJSON{}}
	for _, r := range rs {
		c := mrrConnJSON{ConnectionID: r.Conn.ID, Name: r.Conn.Name, AsOf: rfc3339(r.Now.AsOf), MRR: r.Now.MRR, ARR: r.Now.ARR,
			ARPU: r.Now.ARPU, ActiveSubscribers: r.Now.ActiveSubscribers, Subscribers: r.Now.Subscribers, UnpricedItems: r.Now.UnpricedItems,
			LTV: r.LTV, Months: []monthJSON{}, Subscriptions: []subscriptionJSON{},
			Churn: churnJSON{From: rfc3339(r.Churn.From), To: rfc3339(r.Churn.To),
				StartSubscribers: r.Churn.StartSubscribers, ChurnedSubscribers: r.Churn.ChurnedSubscribers, StartMRR: r.Churn.StartMRR,
				ChurnedMRR: r.Churn.ChurnedMRR, SubscriberChurnRate: r.Churn.SubscriberRate, RevenueChurnRate: r.Churn.RevenueRate,
				Coverage: toCoverageJSON(r.Churn.Coverage)}}
		for _, m := range r.Months {
			c.Months = append(c.Months, monthJSON{Month: m.Month.Format("2006-01"), MRR: m.MRR, New: m.New, Expansion: m.Expansion,
				Contraction: m.Contraction, Churn: m.Churn, Reactivation: m.Reactivation, Subscribers: m.Subscribers,
				ChurnedSubscribers: m.ChurnedSubscribers, Coverage: toCoverageJSON(m.Coverage)})
		}
		for _, s := range r.Now.Subscriptions {
			c.Subscriptions = append(c.Subscriptions, subscriptionJSON{ID: s.ID, Customer: s.Customer, Status: s.Status,
				Currency: s.Currency, MRR: roundMinor(s.MRR)})
		}
		out.Connections = append(out.Connections, c)
	}
	return out
}

func writeMRRJSON(w io.Writer, now time.Time, rs []mrrReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(toMRRJSON(now, rs))
}

// mrrCSVHeader is the header of `report mrr --csv`: one figure a row.
var mrrCSVHeader = []string{"connection_id", "figure", "period", "currency", "value", "object_id"}

func writeMRRCSV(w io.Writer, rs []mrrReport) error {
	cw := csvsafe.NewWriter(w, false)
	_ = cw.Write(mrrCSVHeader)
	row := func(conn, figure, period, cur, value, object string) {
		_ = cw.Write([]string{conn, figure, period, cur, value, object})
	}
	money := func(conn, figure, period string, m reports.Money) {
		for _, cur := range currencies(m) {
			row(conn, figure, period, cur, strconv.FormatInt(m[cur], 10), "")
		}
	}
	for _, r := range rs {
		id, now := r.Conn.ID, "now"
		money(id, "mrr", now, r.Now.MRR)
		money(id, "arr", now, r.Now.ARR)
		money(id, "arpu", now, r.Now.ARPU)
		for _, cur := range sortedKeys(r.Now.Subscribers) {
			row(id, "subscribers", now, cur, strconv.Itoa(r.Now.Subscribers[cur]), "")
		}
		row(id, "active_subscribers", now, "", strconv.Itoa(r.Now.ActiveSubscribers), "")
		period := r.Churn.From.UTC().Format(time.DateOnly) + "/" + r.Churn.To.UTC().Format(time.DateOnly)
		for _, cur := range sortedKeys(r.Churn.SubscriberRate) {
			row(id, "subscriber_churn_rate", period, cur, strconv.FormatFloat(r.Churn.SubscriberRate[cur], 'f', -1, 64), "")
		}
		for _, cur := range sortedKeys(r.Churn.RevenueRate) {
			row(id, "revenue_churn_rate", period, cur, strconv.FormatFloat(r.Churn.RevenueRate[cur], 'f', -1, 64), "")
		}
		money(id, "ltv", now, r.LTV)
		for _, m := range r.Months {
			month := m.Month.Format("2006-01")
			for _, f := range []struct {
				name string
				m    reports.Money
			}{{"month_mrr", m.MRR}, {"new", m.New}, {"expansion", m.Expansion}, {"contraction", m.Contraction},
				{"churn", m.Churn}, {"reactivation", m.Reactivation}} {
				money(id, f.name, month, f.m)
			}
		}
		for _, s := range r.Now.Subscriptions {
			row(id, "subscription_mrr", now, s.Currency, strconv.FormatInt(roundMinor(s.MRR), 10), s.ID)
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeMRRText(w io.Writer, rs []mrrReport) error {
	var b strings.Builder
	if len(rs) == 0 {
		b.WriteString("No connections yet: connect one with ledgerline connect stripe.\n")
	}
	for i, r := range rs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s), as of %s\n", r.Conn.Name, r.Conn.ID, r.Now.AsOf.UTC().Format("2006-01-02 15:04 MST"))
		if len(r.Now.MRR) == 0 {
			b.WriteString("  No active or past-due paid subscriptions: MRR is 0.\n")
		}
		for _, cur := range currencies(r.Now.MRR) {
			fmt.Fprintf(&b, "  %s  MRR %s · ARR %s · active subscribers %d · ARPU %s\n", strings.ToUpper(cur),
				amount(r.Now.MRR[cur]), amount(r.Now.ARR[cur]), r.Now.Subscribers[cur], amount(r.Now.ARPU[cur]))
		}
		fmt.Fprintf(&b, "  Churn %s to %s:\n", r.Churn.From.UTC().Format(time.DateOnly), r.Churn.To.UTC().AddDate(0, 0, -1).Format(time.DateOnly))
		if s := coverageText(r.Churn.Coverage, time.UTC); s != "" {
			fmt.Fprintf(&b, "    %s\n", s)
		}
		if len(r.Churn.StartSubscribers) == 0 {
			b.WriteString("    No subscribers at the start of the period: no churn rate.\n")
		}
		for _, cur := range sortedKeys(r.Churn.StartSubscribers) {
			ltv := "undefined (no churn in the period)"
			if v, ok := r.LTV[cur]; ok {
				ltv = amount(v)
			}
			fmt.Fprintf(&b, "    %s  subscribers %d of %d (%.1f%%) · revenue %s of %s (%.1f%%) · LTV %s\n", strings.ToUpper(cur),
				r.Churn.ChurnedSubscribers[cur], r.Churn.StartSubscribers[cur], 100*r.Churn.SubscriberRate[cur],
				amount(r.Churn.ChurnedMRR[cur]), amount(r.Churn.StartMRR[cur]), 100*r.Churn.RevenueRate[cur], ltv)
		}
		b.WriteString("  MRR by month (new + expansion + reactivation − contraction − churn):\n")
		for _, m := range r.Months {
			if s := coverageText(m.Coverage, time.UTC); s != "" {
				fmt.Fprintf(&b, "    %s %s\n", m.Month.Format("2006-01"), s)
			}
			for _, cur := range currencies(m.MRR) {
				fmt.Fprintf(&b, "    %s %s  %s  +%s new  +%s expansion  +%s reactivation  −%s contraction  −%s churn\n",
					m.Month.Format("2006-01"), strings.ToUpper(cur), amount(m.MRR[cur]), amount(m.New[cur]), amount(m.Expansion[cur]),
					amount(m.Reactivation[cur]), amount(m.Contraction[cur]), amount(m.Churn[cur]))
			}
		}
		if r.Now.UnpricedItems > 0 {
			fmt.Fprintf(&b, "  %d subscription items have no unit amount in the data (tiered prices) and are not counted.\n", r.Now.UnpricedItems)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// amount writes minor units as a decimal with two places (12345 → 123.45).
// Currencies without minor units (JPY) are off by the factor; the JSON and
// CSV carry the integers.
func amount(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// roundMinor rounds a fractional amount to the minor unit.
func roundMinor(v float64) int64 {
	if v < 0 {
		return -int64(-v + 0.5)
	}
	return int64(v + 0.5)
}

// currencies are m's currencies, sorted.
func currencies(m reports.Money) []string { return sortedKeys(m) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
