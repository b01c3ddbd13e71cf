package syncer

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// Selection returns, for each of the warehouse's object types (by name),
// whether connection connID syncs it. Every type is on until the owner
// turns it off. A child type (invoice_line_items, subscription_items)
// comes with its parent's pages, so it is synced only while both it and its
// parent are on.
func (e *Engine) Selection(ctx context.Context, connID string) (map[string]bool, error) {
	return loadSelection(ctx, e.p.Store.Reader(), connID)
}

func loadSelection(ctx context.Context, q querier, connID string) (map[string]bool, error) {
	sel := map[string]bool{}
	for _, t := range warehouse.Types() {
		sel[t.Name] = true
	}
	rows, err := q.QueryContext(ctx, `SELECT object_type, enabled FROM sync_types WHERE connection_id = ?`, connID)
	if err != nil {
		return nil, fmt.Errorf("reading which object types connection %s syncs: %w", connID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var on bool
		if err := rows.Scan(&name, &on); err != nil {
			return nil, fmt.Errorf("reading which object types connection %s syncs: %w", connID, err)
		}
		if _, known := sel[name]; known {
			sel[name] = on
		}
	}
	return sel, rows.Err()
}

// SetEnabled turns syncing of one object type on or off for connection
// connID. Turning a type off keeps its rows and its sync state; the next
// sync leaves it alone. Turning it back on resumes it: from its events when
// they still reach back far enough, else by a re-scan. A sync already
// running picks the change up at its next start (or, with Follow, at its
// next poll). It fails for a name that is not a warehouse type.
func (e *Engine) SetEnabled(ctx context.Context, connID, typeName string, enabled bool) error {
	if _, ok := warehouse.TypeByName(typeName); !ok {
		return fmt.Errorf("%q is not an object type Ledgerline syncs", typeName)
	}
	return e.p.Store.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_types (connection_id, object_type, enabled, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (connection_id, object_type) DO UPDATE SET
			enabled = excluded.enabled, updated_at = excluded.updated_at`,
			connID, typeName, enabled, formatTime(e.now()))
		if err != nil {
			return fmt.Errorf("saving whether connection %s syncs %s: %w", connID, typeName, err)
		}
		return nil
	})
}

// DeleteData deletes connection connID's stored rows of one object type
// and its sync state, so that turning the type on again starts from
// nothing, and gives the space they took back to the disk. It takes the connection's sync lock, so it fails with an error
// wrapping ErrAlreadyRunning while a sync runs.
func (e *Engine) DeleteData(ctx context.Context, connID, typeName string) error {
	t, ok := warehouse.TypeByName(typeName)
	if !ok {
		return fmt.Errorf("%q is not an object type Ledgerline syncs", typeName)
	}
	release, err := acquire(ctx, e.p.LockDir, connID, false)
	if err != nil {
		return err
	}
	defer release()
	err = e.p.Store.WriteTx(ctx, func(tx *sql.Tx) error {
		// The table name comes from the registry, never from input.
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.Table+` WHERE connection_id = ?`, connID); err != nil {
			return fmt.Errorf("deleting the %s of connection %s: %w", typeName, connID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_state WHERE connection_id = ? AND object_type = ?`, connID, typeName); err != nil {
			return fmt.Errorf("deleting the sync state of %s for connection %s: %w", typeName, connID, err)
		}
		return nil
	})
	if err == nil {
		// The freed pages go back to the disk; when that fails they are
		// reused by the next rows instead, so it is not an error here.
		_ = e.p.Store.ReclaimSpace(ctx, nil)
	}
	return err
}
