package warehouse

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// This file owns every query of the payout links: payout_link_items, the
// view over it stripe_payout_links, and their marker sync_payout_links
// (migration 0008 says how they are stored).

// PayoutLinksTable is the table of the links between automatic payouts and
// the balance transactions they paid out.
const PayoutLinksTable = "stripe_payout_links"

// PayoutLink is one balance transaction an automatic payout paid out, with
// the columns stripe_payout_links copies from it.
type PayoutLink struct {
	BalanceTransaction string
	Type               string
	Amount, Fee, Net   int64
	Currency, Source   string
}

// payoutLinkColumns document stripe_payout_links in docs/schema.md, in the
// table's order.
var payoutLinkColumns = []struct{ name, sqlType, doc string }{
	{"connection_id", "TEXT", "The connection (connections.id); deleting the connection deletes the row."},
	{"payout", "TEXT", "The automatic payout (stripe_payouts.id)."},
	{"balance_transaction", "TEXT", "A balance transaction it paid out (stripe_balance_transactions.id)."},
	{"type", "TEXT", "The transaction's type: charge, refund, adjustment, stripe_fee, payout_failure, …"},
	{"amount", "INTEGER", "The transaction's gross amount, in the currency's smallest unit (cents)."},
	{"fee", "INTEGER", "The transaction's fee, in the currency's smallest unit (cents)."},
	{"net", "INTEGER", "The transaction's net amount; a payout's links' net adds up to the payout's amount."},
	{"currency", "TEXT", "Three-letter ISO currency code, lower case (usd)."},
	{"source", "TEXT", "Id of the object that caused the transaction (a charge, refund, dispute, …)."},
}

// ParsePayoutLinks reads one page of GET /v1/balance_transactions?payout=
// for payout, leaving out the payout's own transaction (type payout, source
// the payout): Stripe lists it too, and without it the links' net adds up
// to the payout's amount. last is the id of the page's last object (the
// next page's cursor), left out or not. It fails on an object without an id.
func ParsePayoutLinks(payout string, data [][]byte) (links []PayoutLink, last string, err error) {
	links = make([]PayoutLink, 0, len(data))
	for _, raw := range data {
		var bt struct {
			ID       string `json:"id"`
			Type     string `json:"type"`
			Amount   int64  `json:"amount"`
			Fee      int64  `json:"fee"`
			Net      int64  `json:"net"`
			Currency string `json:"currency"`
			Source   any    `json:"source"` // an id, or the object when expanded
		}
		if err := json.Unmarshal(raw, &bt); err != nil {
			return nil, "", fmt.Errorf("a balance transaction of payout %s is not JSON: %w", payout, err)
		}
		if bt.ID == "" {
			return nil, "", fmt.Errorf("a balance transaction of payout %s has no id", payout)
		}
		last = bt.ID
		source := ""
		switch s := bt.Source.(type) {
		case string:
			source = s
		case map[string]any:
			source, _ = s["id"].(string)
		}
		if bt.Type == "payout" && source == payout {
			continue
		}
		links = append(links, PayoutLink{BalanceTransaction: bt.ID, Type: bt.Type, Amount: bt.Amount,
			Fee: bt.Fee, Net: bt.Net, Currency: bt.Currency, Source: source})
	}
	return links, last, nil
}

// PayoutsWithoutLinks returns the ids of connID's automatic payouts that
// are paid or failed (Stripe lists what both paid out) and whose links are
// not stored yet, created at or after from and, when before is not 0,
// before before (unix seconds), newest first (recent periods reconcile
// first), at most limit of them when limit > 0.
func (w *Warehouse) PayoutsWithoutLinks(ctx context.Context, connID string, from, before int64, limit int) ([]string, error) {
	if before == 0 {
		before = math.MaxInt64
	}
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := w.db.Reader().QueryContext(ctx, `SELECT p.id FROM stripe_payouts p
		WHERE p.connection_id = ? AND p.is_deleted = 0 AND p.automatic = 1 AND p.status IN ('paid', 'failed')
		  AND p.created >= ? AND p.created < ?
		  AND NOT EXISTS (SELECT 1 FROM sync_payout_links s WHERE s.connection_id = p.connection_id AND s.payout = p.id)
		ORDER BY p.created DESC, p.id DESC LIMIT ?`, connID, from, before, limit)
	if err != nil {
		return nil, fmt.Errorf("reading the payouts without links of connection %s: %w", connID, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ApplyPayoutLinks stores all of payout's links in ONE transaction, together
// with the marker that its links are stored (PayoutsWithoutLinks then leaves
// it out) and the sum of their net. Links stored before for the payout are
// replaced. A link whose balance transaction is stored with the same
// columns is stored as the payout and the transaction's id only (the view
// stripe_payout_links joins the rest); any other keeps its own copy of the
// columns. It returns an error wrapping domain.ErrNotFound when connID is
// no connection.
func (w *Warehouse) ApplyPayoutLinks(ctx context.Context, connID, payout string, links []PayoutLink) error {
	syncedAt := w.now().UTC().Format(timeLayout)
	// One link per transaction (the first, should a list repeat one), in id
	// order, so the links of a payout append to the table's pages.
	seen := make(map[string]bool, len(links))
	var sorted []PayoutLink
	var net int64
	for _, l := range links {
		if !seen[l.BalanceTransaction] {
			seen[l.BalanceTransaction] = true
			sorted = append(sorted, l)
			net += l.Net
		}
	}
	slices.SortFunc(sorted, func(a, b PayoutLink) int { return strings.Compare(a.BalanceTransaction, b.BalanceTransaction) })
	err := w.db.WriteTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM connections WHERE id = ?", connID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("connection %s: %w", connID, domain.ErrNotFound)
		}
		if err != nil {
			return err
		}
		var marker int64
		err = tx.QueryRowContext(ctx, `INSERT INTO sync_payout_links (connection_id, payout, links, net, synced_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (connection_id, payout) DO UPDATE SET links = excluded.links, net = excluded.net,
				synced_at = excluded.synced_at
			RETURNING id`, connID, payout, len(sorted), net, syncedAt).Scan(&marker)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM payout_link_items WHERE marker = ?`, marker); err != nil {
			return err
		}
		stored, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM stripe_balance_transactions
			WHERE connection_id = ? AND id = ? AND type IS ? AND amount IS ? AND fee IS ? AND net IS ?
			  AND currency IS ? AND source IS ?)`)
		if err != nil {
			return err
		}
		defer stored.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO payout_link_items
			(marker, balance_transaction, type, amount, fee, net, currency, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, l := range sorted {
			var same bool
			if err := stored.QueryRowContext(ctx, connID, l.BalanceTransaction, nullText(l.Type), l.Amount, l.Fee, l.Net,
				nullText(l.Currency), nullText(l.Source)).Scan(&same); err != nil {
				return err
			}
			args := []any{marker, l.BalanceTransaction, nil, nil, nil, nil, nil, nil}
			if !same {
				args = append(args[:2], nullText(l.Type), l.Amount, l.Fee, l.Net, nullText(l.Currency), nullText(l.Source))
			}
			if _, err := ins.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing the %d links of payout %s of connection %s: %w", len(links), payout, connID, err)
	}
	return nil
}

// PayoutLinkCount is how many links connID has stored, all payouts together
// (the sandbox's truth calls it payout_links).
func (w *Warehouse) PayoutLinkCount(ctx context.Context, connID string) (int64, error) {
	var n int64
	err := w.db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM sync_payout_links m
		JOIN payout_link_items l ON l.marker = m.id WHERE m.connection_id = ?`, connID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting the payout links of connection %s: %w", connID, err)
	}
	return n, nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
