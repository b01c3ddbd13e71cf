package warehouse

import (
	"fmt"
	"strings"
)

// schemaMarkdown renders docs/schema.md from the registry. indexes maps a
// table to descriptions of its indexes as the database has them ("name
// (col, col) WHERE …"); a test reads them from a migrated database, writes
// the file with -update and fails when the file is stale.
func schemaMarkdown(indexes map[string][]string) string {
	var b strings.Builder
	b.WriteString(`# Warehouse schema

<!-- Generated from internal/warehouse's registry by
     go test ./internal/warehouse -run TestSchemaDoc -update
     Do not edit by hand: the test fails when this file is stale. -->

Ledgerline keeps a copy of each connected Stripe account in
` + "`<data dir>/ledgerline.db`" + ` (SQLite), one table per object type. Every
table has the same first columns, its own typed columns, and ` + "`data`" + `, the whole
object as compact JSON (null fields left out) for anything the typed columns lack.

- Amounts are integers in the currency's smallest unit (cents for usd).
- Times from Stripe are unix seconds (` + "`datetime(created, 'unixepoch')`" + ` reads
  them); ` + "`synced_at`" + ` is RFC 3339 text in UTC.
- Ids that point at other objects are plain text columns: join them to the
  ` + "`id`" + ` of the other table, on the same ` + "`connection_id`" + `.
- Deleted objects stay, with ` + "`is_deleted = 1`" + `; filter them out with
  ` + "`WHERE is_deleted = 0`" + `.
- Deleting a connection deletes all of its rows.

Examples:

` + "```sql" + `
-- Revenue per day over the last 30 days
SELECT date(created, 'unixepoch') AS day, currency, sum(amount - amount_refunded) / 100.0 AS revenue
FROM stripe_charges
WHERE connection_id = :conn AND status = 'succeeded' AND is_deleted = 0
  AND created >= unixepoch('now', '-30 days')
GROUP BY day, currency ORDER BY day;

-- Charges with their customer's email and invoice number
SELECT ch.id, ch.amount, cu.email, inv.number
FROM stripe_charges ch
LEFT JOIN stripe_customers cu ON cu.connection_id = ch.connection_id AND cu.id = ch.customer
LEFT JOIN stripe_invoices inv ON inv.connection_id = ch.connection_id AND inv.id = ch.invoice
WHERE ch.connection_id = :conn
ORDER BY ch.created DESC, ch.id DESC LIMIT 50;

-- A field without a typed column
SELECT id, json_extract(data, '$.payment_method_details.card.last4') AS last4
FROM stripe_charges WHERE connection_id = :conn LIMIT 10;
` + "```" + `

## Columns of every table

| Column | Type | Meaning |
|---|---|---|
`)
	for _, c := range Common() {
		if c.Name != "data" {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Name, c.SQLType, c.Doc)
		}
	}
	b.WriteString("| *typed columns* | | One table's own columns, listed below. |\n")
	for _, c := range Common() {
		if c.Name == "data" {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Name, c.SQLType, c.Doc)
		}
	}
	b.WriteString("\nPrimary key: `(connection_id, id DESC)` (descending, like the `created` indexes: a sync " +
		"writes newest first and Stripe's ids sort by time, so its inserts append).\n\n## Tables\n\n")
	for _, t := range Types() {
		fmt.Fprintf(&b, "- [`%s`](#%s)\n", t.Table, t.Table)
	}
	fmt.Fprintf(&b, "- [`%s`](#%s) (links, not objects)\n", PayoutLinksTable, PayoutLinksTable)
	for _, t := range Types() {
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", t.Table, t.Doc)
		fmt.Fprintf(&b, "Stripe object `%s`, listed at `%s`", t.Object, t.ListPath)
		if len(t.ListParams) > 0 {
			fmt.Fprintf(&b, "?%s", t.ListParams.Encode())
		}
		b.WriteString(".")
		if t.Parent != "" {
			fmt.Fprintf(&b, " Embedded in `stripe_%s` objects under `%s`.", t.Parent, t.EmbeddedField)
		}
		if len(t.EventPrefixes) > 0 {
			fmt.Fprintf(&b, " Updated by events `%s*`.", strings.Join(t.EventPrefixes, "*`, `"))
		}
		b.WriteString("\n\n| Column | Type | From JSON | Meaning |\n|---|---|---|---|\n")
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", c.Name, c.Kind, strings.Join(c.From, "`, then `"), c.Doc)
		}
		if ix := indexes[t.Table]; len(ix) > 0 {
			b.WriteString("\nIndexes: ")
			for i, x := range ix {
				if i > 0 {
					b.WriteString("; ")
				}
				fmt.Fprintf(&b, "`%s`", x)
			}
			b.WriteString(".\n")
		}
	}
	payoutLinksMarkdown(&b, indexes[PayoutLinksTable])
	return b.String()
}

// payoutLinksMarkdown documents stripe_payout_links, a view of links
// rather than objects, with columns of its own.
func payoutLinksMarkdown(b *strings.Builder, _ []string) {
	fmt.Fprintf(b, "\n### %s\n\n", PayoutLinksTable)
	b.WriteString("Which balance transactions each automatic payout paid out, as Stripe lists them at " +
		"`/v1/balance_transactions?payout=po_…`: one row per payout and transaction, for automatic payouts " +
		"that are paid or failed (Stripe can't say what a manual payout paid out). The payout's own " +
		"`payout` transaction, which that list includes too, is left out, so a payout's links add up to " +
		"its amount: `SUM(net) = stripe_payouts.amount`. A payout's links are fetched once and written in one " +
		"transaction; they don't change afterwards. Every sync fetches them for the payouts created in the last 7 days " +
		"once it sees them paid or failed; older payouts' arrive only while a following sync runs (the window's " +
		"auto-sync, `ledgerline sync --follow`), newest first, so after a one-shot `ledgerline sync` they may be missing.\n\n" +
		"It is a view, queried like a table. Underneath, `sync_payout_links` has one row per payout whose links " +
		"are stored (`id`, `connection_id`, `payout`, the number of `links`, the sum of their `net`, `synced_at`), " +
		"and `payout_link_items` one row per link: the marker's `id` and the `balance_transaction`; the other " +
		"columns come from `stripe_balance_transactions`, except for a transaction that was not stored when " +
		"the links were written, whose link keeps its own copy. So a link costs about 60 bytes.\n\n")
	b.WriteString("| Column | Type | Meaning |\n|---|---|---|\n")
	for _, c := range payoutLinkColumns {
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", c.name, c.sqlType, c.doc)
	}
	b.WriteString("\nLooked up by `(connection_id, payout)`, through `sync_payout_links`' unique index and " +
		"`payout_link_items`' primary key `(marker, balance_transaction)`.")
	b.WriteString("\n\n```sql\n-- The transactions of a payout, and whether they add up to it\n" +
		"SELECT l.balance_transaction, l.type, l.amount, l.fee, l.net, l.source\n" +
		"FROM stripe_payout_links l WHERE l.connection_id = :conn AND l.payout = :payout;\n" +
		"SELECT p.id, p.amount, s.net AS linked FROM stripe_payouts p\n" +
		"JOIN sync_payout_links s ON s.connection_id = p.connection_id AND s.payout = p.id\n" +
		"WHERE p.connection_id = :conn AND s.net <> p.amount;\n```\n")
}
