package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMigrationKeepsPayoutLinksAndAddsUpRollups(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	writeFile(t, path, "")
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	// Given a database from before the compact links and the rollups,
	raw := rawDB(t, path)
	if err := migrate(ctx, raw, path, ms[:6], time.Now); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO connections (id, provider, name, account_id, livemode, auth_method, status, connected_at)
			VALUES ('conn_a', 'stripe', 'A', 'acct_a', 0, 'api_key', 'connected', '2026-11-26T13:56:20.123Z')`,
		// txn_1 stored as linked, txn_2 stored with another fee, txn_3 not stored.
		`INSERT INTO stripe_balance_transactions (connection_id, id, created, livemode, synced_at, version, type,
			reporting_category, amount, fee, net, currency, source, data) VALUES
			('conn_a', 'txn_1', 7200, 0, 'x', 1, 'charge', 'charge', 1000, 59, 941, 'usd', 'ch_1', '{}'),
			('conn_a', 'txn_2', 7300, 0, 'x', 1, 'charge', 'charge', 500, 45, 455, 'usd', 'ch_2', '{}')`,
		`INSERT INTO stripe_charges (connection_id, id, created, livemode, synced_at, version, amount, currency, status,
			payment_method_type, data) VALUES
			('conn_a', 'ch_1', 7200, 0, 'x', 1, 1000, 'usd', 'succeeded', 'card', '{}'),
			('conn_a', 'ch_2', 7300, 0, 'x', 1, 500, 'usd', 'succeeded', NULL, '{}'),
			('conn_a', 'ch_3', 3599, 0, 'x', 1, 700, 'eur', 'succeeded', 'card', '{}'),
			('conn_a', 'ch_4', 3600, 0, 'x', 1, 800, 'eur', 'failed', 'card', '{}')`,
		`INSERT INTO stripe_payout_links (connection_id, payout, balance_transaction, type, amount, fee, net, currency, source) VALUES
			('conn_a', 'po_1', 'txn_1', 'charge', 1000, 59, 941, 'usd', 'ch_1'),
			('conn_a', 'po_1', 'txn_2', 'charge', 500, 44, 456, 'usd', 'ch_2'),
			('conn_a', 'po_1', 'txn_3', 'stripe_fee', -20, 0, -20, 'usd', NULL)`,
		`INSERT INTO sync_payout_links (connection_id, payout, links, synced_at) VALUES ('conn_a', 'po_1', 3, 'x')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	// when this Ledgerline opens it,
	db, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// then the links read as before, txn_1 by its id only,
	read := func(q string) []string {
		rows, err := db.reader.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.TrimSpace(fmt.Sprintln(vals...)))
		}
		return out
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", what, got, want)
		}
	}
	check("the links", read(`SELECT * FROM stripe_payout_links ORDER BY balance_transaction`), []string{
		"conn_a po_1 txn_1 charge 1000 59 941 usd ch_1",
		"conn_a po_1 txn_2 charge 500 44 456 usd ch_2",
		"conn_a po_1 txn_3 stripe_fee -20 0 -20 usd <nil>"})
	check("the copies", read(`SELECT balance_transaction, amount IS NOT NULL FROM payout_link_items ORDER BY 1`),
		[]string{"txn_1 0", "txn_2 1", "txn_3 1"})
	check("the marker", read(`SELECT payout, links, net FROM sync_payout_links`), []string{"po_1 3 1377"})
	// and the rollups hold the rows stored before, hour by hour.
	check("the charges' rollup", read(`SELECT hour, currency, payments, gross, card_payments FROM report_charges_hourly ORDER BY 1, 2`),
		[]string{"0 eur 1 700 1", "7200 usd 2 1500 1"})
	check("the balance rollup", read(`SELECT hour, currency, category, amount, fee FROM report_balance_hourly`),
		[]string{"7200 usd charge 1500 104"})
}
