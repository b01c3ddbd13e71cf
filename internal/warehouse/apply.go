package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Apply writes one page of rows of type t for connection connID in ONE
// transaction on the store's writer, then calls extra(tx) (when not nil;
// the sync engine saves its cursor there) and commits. When anything fails,
// extra included, nothing of the page is written.
//
// For each row: the objects it brought expanded (Row.Expanded) are written
// to their own type's table, each by the same rules; a row whose stored version is greater is left alone (an
// older state never overwrites a newer one; an equal version overwrites);
// Deleted rows get is_deleted = 1, a tombstone row when the id was never
// seen, and keep their stored columns when the object was only a deletion
// stub ({"id", "object", "deleted"}). For a parent row that was written,
// its Children are upserted too; the parent's other stored children are
// marked deleted when the parent is Deleted, or when ChildrenComplete says
// Children are all of them.
//
// It returns an error wrapping domain.ErrNotFound when connID is no
// connection, and a clear error for a type not in the registry or a row
// that Prepare did not make for t.
func (w *Warehouse) Apply(ctx context.Context, connID string, t Type, rows []Row, extra func(*sql.Tx) error) error {
	s, ok := w.tables[t.Name]
	if !ok {
		return fmt.Errorf("warehouse: unknown object type %q", t.Name)
	}
	var child, inner *tableSQL
	if s.t.Child != "" {
		child = w.tables[s.t.Child]
	}
	if s.t.Expands != nil {
		inner = w.tables[s.t.Expands.Type]
	}
	syncedAt := w.now().UTC().Format(timeLayout)
	err := w.db.WriteTx(ctx, func(tx *sql.Tx) error {
		var livemode bool
		err := tx.QueryRowContext(ctx, "SELECT livemode FROM connections WHERE id = ?", connID).Scan(&livemode)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("connection %s: %w", connID, domain.ErrNotFound)
		}
		if err != nil {
			return err
		}
		p := &pageWriter{ctx: ctx, tx: tx, connID: connID, livemode: livemode, syncedAt: syncedAt, inner: inner}
		defer p.close()
		for i := range rows {
			if err := p.write(s, child, &rows[i]); err != nil {
				return err
			}
		}
		if extra != nil {
			if err := extra(tx); err != nil {
				return fmt.Errorf("page not saved: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing %d %s of connection %s: %w", len(rows), t.Name, connID, err)
	}
	return nil
}

// pageWriter writes the rows of one page inside its transaction, preparing
// each statement once per page.
type pageWriter struct {
	ctx      context.Context
	tx       *sql.Tx
	connID   string
	livemode bool
	syncedAt string
	inner    *tableSQL // the table of the page type's expanded objects
	stmts    map[string]*sql.Stmt
	args     []any
}

// write writes r (and its children and expanded objects) and reports
// nothing but failure.
func (p *pageWriter) write(s, child *tableSQL, r *Row) error {
	applied, err := p.writeRow(s, r)
	if err != nil {
		return err
	}
	for i := range r.Expanded {
		if p.inner == nil {
			return fmt.Errorf("%s %s: an expanded object, but the type expands nothing", s.t.Object, r.ID)
		}
		// Each under its own version: an expanded object never overwrites
		// a newer state of itself.
		if _, err := p.writeRow(p.inner, &r.Expanded[i]); err != nil {
			return fmt.Errorf("%s %s: %w", s.t.Object, r.ID, err)
		}
	}
	if !applied || child == nil {
		return nil
	}
	for i := range r.Children {
		c := r.Children[i]
		if c.ParentID == "" {
			c.ParentID = r.ID
		}
		if _, err := p.writeRow(child, &c); err != nil {
			return fmt.Errorf("%s %s: %w", s.t.Object, r.ID, err)
		}
	}
	var mark string
	switch {
	case r.Deleted:
		mark = child.parentGone
	case r.ChildrenComplete:
		mark = child.orphans
	default:
		return nil
	}
	if err := p.exec(mark, p.syncedAt, r.Version, p.connID, r.ID, r.Version); err != nil {
		return fmt.Errorf("%s %s: marking removed %s deleted: %w", s.t.Object, r.ID, child.t.Name, err)
	}
	return nil
}

// writeRow upserts (or tombstones) one row and reports whether it changed
// the table, which it does not when the stored version is newer.
func (p *pageWriter) writeRow(s *tableSQL, r *Row) (bool, error) {
	if r.ID == "" {
		return false, fmt.Errorf("a %s row has no id", s.t.Object)
	}
	livemode := p.livemode
	if r.Livemode.Valid {
		livemode = r.Livemode.Bool
	}
	var query string
	if r.Deleted && r.stub {
		query = s.tombstone
		p.args = append(p.args[:0], p.connID, r.ID, livemode, p.syncedAt, r.Version, r.Data)
	} else {
		if len(r.Values) != len(s.t.Columns) {
			return false, fmt.Errorf("%s %s has %d column values, not the %d of its table (was it prepared for another type?)",
				s.t.Object, r.ID, len(r.Values), len(s.t.Columns))
		}
		if r.Data == "" {
			return false, fmt.Errorf("%s %s has no data", s.t.Object, r.ID)
		}
		query = s.upsert
		var created any
		if r.Created != 0 {
			created = r.Created
		}
		p.args = append(p.args[:0], p.connID, r.ID, created, livemode, r.Deleted, p.syncedAt, r.Version)
		start := len(p.args)
		p.args = append(p.args, r.Values...)
		if s.parentIdx >= 0 && r.ParentID != "" {
			p.args[start+s.parentIdx] = r.ParentID
		}
		p.args = append(p.args, r.Data)
	}
	st, err := p.stmt(query)
	if err != nil {
		return false, err
	}
	res, err := st.ExecContext(p.ctx, p.args...)
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", s.t.Object, r.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", s.t.Object, r.ID, err)
	}
	return n > 0, nil
}

func (p *pageWriter) exec(query string, args ...any) error {
	st, err := p.stmt(query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(p.ctx, args...)
	return err
}

// stmt prepares query once per page.
func (p *pageWriter) stmt(query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(p.ctx, query)
	if err != nil {
		return nil, err
	}
	if p.stmts == nil {
		p.stmts = map[string]*sql.Stmt{}
	}
	p.stmts[query] = st
	return st, nil
}

func (p *pageWriter) close() {
	for _, st := range p.stmts {
		st.Close()
	}
}
