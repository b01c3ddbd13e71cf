// Package reports computes the figures a connection's overview shows from
// the synced tables: gross volume, refunds, failed payments, open and
// overdue invoices, and revenue by month, each per currency, with deleted
// objects left out. It reads SQLite only and imports no UI toolkit.
package reports

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Money is an amount per currency, in each currency's smallest unit
// (cents): {"usd": 129900, "eur": 4500}.
type Money map[string]int64

// Overview is a connection's headline figures. Months are calendar months
// in UTC.
type Overview struct {
	GrossThisMonth   Money // succeeded charges created this month
	GrossLastMonth   Money // succeeded charges created last month
	RefundsThisMonth Money // succeeded refunds created this month
	FailedThisMonth  Money // failed charges created this month
	FailedCount      int   // how many charges failed this month
	OpenInvoices     Money // what open invoices still ask for (amount_remaining)
	OverdueInvoices  Money // the part of that whose due date has passed
}

// Reports computes figures over a store's read connection.
type Reports struct {
	db  *sql.DB
	now func() time.Time
}

// New returns Reports over a read-only connection pool (store.DB.Reader).
func New(db *sql.DB, now func() time.Time) *Reports {
	if now == nil {
		now = time.Now
	}
	return &Reports{db: db, now: now}
}

// monthStart is the first instant of t's month in UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// Overview computes connID's headline figures as of now.
func (r *Reports) Overview(ctx context.Context, connID string) (Overview, error) {
	now := r.now()
	this := monthStart(now)
	last := this.AddDate(0, -1, 0)
	var o Overview
	var err error
	sum := func(dst *Money, q string, args ...any) {
		if err == nil {
			*dst, err = r.money(ctx, q, args...)
		}
	}
	const charges = `SELECT currency, sum(amount) FROM stripe_charges
		WHERE connection_id = ? AND is_deleted = 0 AND status = ? AND created >= ? AND created < ? GROUP BY currency`
	sum(&o.GrossThisMonth, charges, connID, "succeeded", this.Unix(), this.AddDate(0, 1, 0).Unix())
	sum(&o.GrossLastMonth, charges, connID, "succeeded", last.Unix(), this.Unix())
	sum(&o.FailedThisMonth, charges, connID, "failed", this.Unix(), this.AddDate(0, 1, 0).Unix())
	sum(&o.RefundsThisMonth, `SELECT currency, sum(amount) FROM stripe_refunds
		WHERE connection_id = ? AND is_deleted = 0 AND status = 'succeeded' AND created >= ? GROUP BY currency`, connID, this.Unix())
	sum(&o.OpenInvoices, `SELECT currency, sum(amount_remaining) FROM stripe_invoices
		WHERE connection_id = ? AND is_deleted = 0 AND status = 'open' GROUP BY currency`, connID)
	sum(&o.OverdueInvoices, `SELECT currency, sum(amount_remaining) FROM stripe_invoices
		WHERE connection_id = ? AND is_deleted = 0 AND status = 'open' AND due_date < ? GROUP BY currency`, connID, now.Unix())
	if err != nil {
		return Overview{}, err
	}
	if err := r.db.QueryRowContext(ctx, `SELECT count(*) FROM stripe_charges
		WHERE connection_id = ? AND is_deleted = 0 AND status = 'failed' AND created >= ?`, connID, this.Unix()).Scan(&o.FailedCount); err != nil {
		return Overview{}, fmt.Errorf("counting failed payments: %w", err)
	}
	return o, nil
}

// money runs a "currency, sum" query.
func (r *Reports) money(ctx context.Context, q string, args ...any) (Money, error) {
	rows, err := r.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("computing the overview: %w", err)
	}
	defer rows.Close()
	m := Money{}
	for rows.Next() {
		var cur sql.NullString
		var amount sql.NullInt64
		if err := rows.Scan(&cur, &amount); err != nil {
			return nil, fmt.Errorf("computing the overview: %w", err)
		}
		m[cur.String] += amount.Int64
	}
	return m, rows.Err()
}
