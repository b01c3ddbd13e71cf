package reports

import (
	"io"
	"strconv"
	"time"

	"github.com/ledgerline/ledgerline/internal/csvsafe"
)

// PayoutCSVHeader are the columns of a payout's reconciliation CSV, one
// row per balance transaction the payout paid out, like Stripe's payout
// reconciliation report. The names are stable: scripts read them
// (docs/metrics.md, "Payouts").
var PayoutCSVHeader = []string{"payout", "balance_transaction", "created", "type", "reporting_category", "currency",
	"gross", "fee", "net", "source", "customer", "description"}

// WritePayoutCSV writes d's reconciliation as CSV to w: PayoutCSVHeader,
// then one row per transaction in d's order. Amounts are integers in the
// currency's smallest unit; created is RFC 3339 in UTC, empty when the
// balance transaction is not stored. Unless raw, every cell is guarded
// by internal/csvsafe, as every export's, so a spreadsheet that opens the
// file runs no formula a customer's name or a description carried in. Both the window's
// "Export reconciliation CSV…" and `ledgerline report payout --csv` write
// with it, so the two files are the same bytes. Errors are w's.
func WritePayoutCSV(w io.Writer, d PayoutDetail, raw bool) error {
	cw := csvsafe.NewWriter(w, raw)
	row := make([]string, len(PayoutCSVHeader))
	if err := cw.Write(PayoutCSVHeader); err != nil {
		return err
	}
	for _, t := range d.Transactions {
		created := ""
		if !t.Created.IsZero() {
			created = t.Created.UTC().Format(time.RFC3339)
		}
		for i, v := range []string{d.Payout.ID, t.ID, created, t.Type, t.ReportingCategory, t.Currency,
			strconv.FormatInt(t.Gross, 10), strconv.FormatInt(t.Fee, 10), strconv.FormatInt(t.Net, 10),
			t.Source, t.Customer, t.Description} {
			row[i] = v
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
