package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// PayoutRow is one payout of the payouts report (docs/metrics.md,
// "Payouts").
type PayoutRow struct {
	ConnectionID string
	ID           string
	ArrivalDate  time.Time // UTC, as Stripe gives it
	Amount       int64     // in Currency's smallest unit
	Currency     string
	Status       string // paid, pending, in_transit, canceled or failed
	Automatic    bool
	Method       string // standard or instant
	Type         string // bank_account or card
	BankLast4    string // "" unless data.destination is an expanded bank account
	// LinksSynced says the payout's links (the balance transactions it
	// paid out) are stored: sync_payout_links has its row. Links and
	// LinkedNet mean something only then.
	LinksSynced bool
	Links       int64
	LinkedNet   int64 // Σ net of the linked balance transactions
	// Reconciled: LinksSynced and LinkedNet == Amount.
	Reconciled bool
}

// PayoutTransaction is one balance transaction a payout paid out.
type PayoutTransaction struct {
	ID                string
	Type              string // charge, refund, adjustment, stripe_fee, …
	ReportingCategory string // "" when the balance transaction is not stored
	Gross, Fee, Net   int64
	Currency          string
	Created           time.Time // zero when the balance transaction is not stored
	Source            string    // ch_…, re_…, du_…
	Customer          string    // of the source charge (a refund's charge), when stored
	Description       string    // of the source charge (a refund's charge), when stored
}

// PayoutDetail is a payout with the transactions it paid out, sorted by
// created (then id): Stripe's payout reconciliation, one row per
// transaction.
type PayoutDetail struct {
	Payout       PayoutRow
	Transactions []PayoutTransaction
}

// qPayouts reads the payouts of one connection through the index on
// (connection_id, created). Stripe creates a payout before it arrives, and
// arrival_date is the arrival day's midnight, so a payout arriving before
// the period ends was created before the period's end plus a day; payouts
// are few (one a day on Stripe's automatic schedule), so reading every
// earlier one's index entry costs little.
const qPayouts = `SELECT p.connection_id, p.id, coalesce(p.arrival_date, 0), coalesce(p.amount, 0), coalesce(p.currency, ''),
		coalesce(p.status, ''), coalesce(p.automatic, 0), coalesce(p.method, ''), coalesce(p.type, ''),
		coalesce(CASE WHEN json_extract(p.data, '$.destination.object') = 'bank_account'
			THEN json_extract(p.data, '$.destination.last4') END, ''),
		s.id IS NOT NULL, coalesce(s.links, 0), coalesce(s.net, 0)
	FROM stripe_payouts p
	LEFT JOIN sync_payout_links s ON s.connection_id = p.connection_id AND s.payout = p.id
	WHERE p.connection_id = ? AND p.created < ? AND p.is_deleted = 0
	  AND p.arrival_date >= ? AND p.arrival_date < ?`

// qPayoutByID reads one payout by its primary key.
const qPayoutByID = `SELECT p.connection_id, p.id, coalesce(p.arrival_date, 0), coalesce(p.amount, 0), coalesce(p.currency, ''),
		coalesce(p.status, ''), coalesce(p.automatic, 0), coalesce(p.method, ''), coalesce(p.type, ''),
		coalesce(CASE WHEN json_extract(p.data, '$.destination.object') = 'bank_account'
			THEN json_extract(p.data, '$.destination.last4') END, ''),
		s.id IS NOT NULL, coalesce(s.links, 0), coalesce(s.net, 0)
	FROM stripe_payouts p
	LEFT JOIN sync_payout_links s ON s.connection_id = p.connection_id AND s.payout = p.id
	WHERE p.connection_id = ? AND p.id = ? AND p.is_deleted = 0`

// qPayoutLinks reads a payout's links over its marker and the links'
// primary key, each with its balance transaction (whose columns a link
// holds only when it was not stored, see migration 0008) and its source
// charge (or the refund's charge) over their primary keys.
const qPayoutLinks = `SELECT l.balance_transaction, coalesce(l.type, b.type, ''), coalesce(b.reporting_category, ''),
		coalesce(l.amount, b.amount, 0), coalesce(l.fee, b.fee, 0), coalesce(l.net, b.net, 0),
		coalesce(l.currency, b.currency, ''), coalesce(b.created, 0), coalesce(l.source, b.source, ''),
		coalesce(c.customer, rc.customer, ''), coalesce(c.description, rc.description, '')
	FROM sync_payout_links m
	JOIN payout_link_items l ON l.marker = m.id
	LEFT JOIN stripe_balance_transactions b ON b.connection_id = m.connection_id AND b.id = l.balance_transaction
	LEFT JOIN stripe_charges c ON c.connection_id = m.connection_id AND c.id = coalesce(l.source, b.source)
	LEFT JOIN stripe_refunds r ON r.connection_id = m.connection_id AND r.id = coalesce(l.source, b.source)
	LEFT JOIN stripe_charges rc ON rc.connection_id = m.connection_id AND rc.id = r.charge
	WHERE m.connection_id = ? AND m.payout = ?
	ORDER BY coalesce(b.created, 0), l.balance_transaction`

func scanPayout(row interface{ Scan(...any) error }) (PayoutRow, error) {
	var p PayoutRow
	var arrival int64
	err := row.Scan(&p.ConnectionID, &p.ID, &arrival, &p.Amount, &p.Currency, &p.Status, &p.Automatic,
		&p.Method, &p.Type, &p.BankLast4, &p.LinksSynced, &p.Links, &p.LinkedNet)
	p.ArrivalDate = time.Unix(arrival, 0).UTC()
	p.Reconciled = p.LinksSynced && p.LinkedNet == p.Amount
	return p, err
}

// Payouts lists the payouts of the connections connIDs whose arrival_date
// falls in p, newest arrival first (then by connection and id, newest id
// first). Deleted payouts are left out. It reads SQLite only; errors are
// the database's.
func (r *Reports) Payouts(ctx context.Context, connIDs []string, p Period) ([]PayoutRow, error) {
	out := []PayoutRow{}
	for _, id := range connIDs {
		rows, err := r.db.QueryContext(ctx, qPayouts, id, p.To.Unix()+24*60*60, p.From.Unix(), p.To.Unix())
		if err != nil {
			return nil, fmt.Errorf("listing the payouts of connection %s: %w", id, err)
		}
		for rows.Next() {
			row, err := scanPayout(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("listing the payouts of connection %s: %w", id, err)
			}
			out = append(out, row)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("listing the payouts of connection %s: %w", id, err)
		}
	}
	sortPayouts(out)
	return out, nil
}

func sortPayouts(ps []PayoutRow) {
	slices.SortFunc(ps, func(a, b PayoutRow) int {
		if c := b.ArrivalDate.Compare(a.ArrivalDate); c != 0 {
			return c
		}
		if c := strings.Compare(a.ConnectionID, b.ConnectionID); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}

// Payout is connID's payout payoutID with the balance transactions it paid
// out, sorted by created. An unknown (or deleted) payout is
// domain.KindNotFound with facts what=payout and value=payoutID.
func (r *Reports) Payout(ctx context.Context, connID, payoutID string) (PayoutDetail, error) {
	p, err := scanPayout(r.db.QueryRowContext(ctx, qPayoutByID, connID, payoutID))
	if errors.Is(err, sql.ErrNoRows) {
		return PayoutDetail{}, domain.E(domain.KindNotFound, fmt.Errorf("payout %s of connection %s: %w", payoutID, connID, domain.ErrNotFound),
			domain.FactWhat, "payout", domain.FactValue, payoutID, domain.FactConnectionID, connID)
	}
	if err != nil {
		return PayoutDetail{}, fmt.Errorf("reading payout %s of connection %s: %w", payoutID, connID, err)
	}
	d := PayoutDetail{Payout: p, Transactions: []PayoutTransaction{}}
	rows, err := r.db.QueryContext(ctx, qPayoutLinks, connID, payoutID)
	if err != nil {
		return PayoutDetail{}, fmt.Errorf("reading the transactions of payout %s: %w", payoutID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t PayoutTransaction
		var created int64
		if err := rows.Scan(&t.ID, &t.Type, &t.ReportingCategory, &t.Gross, &t.Fee, &t.Net, &t.Currency,
			&created, &t.Source, &t.Customer, &t.Description); err != nil {
			return PayoutDetail{}, fmt.Errorf("reading the transactions of payout %s: %w", payoutID, err)
		}
		if created != 0 {
			t.Created = time.Unix(created, 0).UTC()
		}
		d.Transactions = append(d.Transactions, t)
	}
	if err := rows.Err(); err != nil {
		return PayoutDetail{}, fmt.Errorf("reading the transactions of payout %s: %w", payoutID, err)
	}
	return d, nil
}
