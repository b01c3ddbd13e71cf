package destination

import (
	"fmt"
	"strings"
)

// SchemaDoc is docs/postgres-schema.md: how each SQLite column maps to
// its PostgreSQL column, generated from the same table list the
// replicator and the migration use.
func SchemaDoc() string {
	var b strings.Builder
	b.WriteString(`# The PostgreSQL copy's schema

<!-- Generated from internal/destination by
     go test ./internal/destination -run TestPGMigration -update
     Do not edit by hand: the test fails when this file is stale. -->

A PostgreSQL destination (` + "`ledgerline destination add postgres URL`" + `) holds the
same tables as the local warehouse (docs/schema.md), in its schema (default
` + "`ledgerline`" + `), with native types:

| SQLite | PostgreSQL | Note |
|---|---|---|
| TEXT | text | |
| INTEGER (amounts, counts) | bigint | amounts in the currency's smallest unit, as locally |
| REAL | double precision | |
| INTEGER 0/1 | boolean | ` + "`livemode`, `is_deleted`" + ` and the typed flags |
| INTEGER unix s | timestamptz | ` + "`created`" + ` and the other Stripe times |
| TEXT RFC 3339 (` + "`synced_at`" + `) | timestamptz | when Ledgerline last wrote the row locally |
| INTEGER unix ms (` + "`version`" + `) | bigint | unchanged: the newer version wins here too |
| TEXT JSON (` + "`data`" + `) | jsonb | query with ` + "`data->>'field'`" + ` or ` + "`data @> '{...}'`" + ` |

Every table's primary key is ` + "`(connection_id, id)`" + `. Indexes: ` + "`(connection_id, created DESC)`" + `
where objects have a created time, the parent id of child rows, the customer
of invoices and subscriptions, and the deleted rows (partial). There are no
foreign keys: a row can arrive before the row it points at.

Rows are never deleted here. An object deleted in Stripe arrives with
` + "`is_deleted = true`" + ` as it is locally; a row deleted from the local database
(a connection removed, a type's data deleted) stays as a tombstone with
` + "`is_deleted = true`" + `. Filter with ` + "`WHERE NOT is_deleted`" + `.

Two tables are Ledgerline's own: ` + "`ledgerline_migrations`" + ` (the schema's
version) and ` + "`ledgerline_replication`" + ` (per feeding Ledgerline database, the
last local change applied, written in the same transaction as the rows).

Not replicated yet: ` + "`stripe_payout_links`" + ` (payout reconciliation), the sync's
own state tables and the connections table.

## Tables
`)
	for _, t := range tables() {
		fmt.Fprintf(&b, "\n### %s\n\n| Column | SQLite | PostgreSQL |\n|---|---|---|\n", t.name)
		for _, c := range t.columns {
			typ := c.kind.sqlType()
			if c.notNull {
				typ += " not null"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.name, c.sqliteType, typ)
		}
	}
	return b.String()
}
