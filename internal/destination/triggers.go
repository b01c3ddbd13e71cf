package destination

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// The change triggers: AFTER INSERT, UPDATE and DELETE on every warehouse
// table, each appending one row to destination_changes inside the writing
// transaction. They exist only while a destination does (Add creates them,
// the last Remove drops them). An upsert that changes nothing (an older
// version) fires no UPDATE trigger, so it logs nothing.
//
// Cost: a trigger makes SQLite keep a statement journal for every
// statement on the table, and with the database's 64 KiB pages each
// upsert copies its touched pages into it: the warehouse's writes run
// about 60% slower while a destination exists (BenchmarkApplyOverhead).
// Logging a page's keys from the warehouse's Apply, one statement per
// page, would avoid it.

// Tables lists the warehouse tables a destination receives.
func Tables() []string {
	var out []string
	for _, t := range warehouse.Types() {
		out = append(out, t.Table)
	}
	return out
}

var triggerOps = []struct{ event, op, row string }{
	{"INSERT", "I", "NEW"},
	{"UPDATE", "U", "NEW"},
	{"DELETE", "D", "OLD"},
}

// nowMS is unix milliseconds in SQLite.
const nowMS = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`

func triggerName(table, op string) string { return "destination_log_" + table + "_" + op }

func createTriggers(ctx context.Context, tx *sql.Tx) error {
	for _, table := range Tables() {
		for _, o := range triggerOps {
			q := fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS %s AFTER %s ON %s BEGIN
				INSERT INTO destination_changes (tbl, connection_id, id, op, at) VALUES ('%s', %s.connection_id, %s.id, '%s', %s);
			END`, triggerName(table, o.op), o.event, table, table, o.row, o.row, o.op, nowMS)
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("creating the change trigger on %s: %w", table, err)
			}
		}
	}
	return nil
}

func dropTriggers(ctx context.Context, tx *sql.Tx) error {
	for _, table := range Tables() {
		for _, o := range triggerOps {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER IF EXISTS `+triggerName(table, o.op)); err != nil {
				return fmt.Errorf("dropping the change trigger on %s: %w", table, err)
			}
		}
	}
	return nil
}

// logExisting logs every row a new destination must copy first: those of
// connID, or of every connection when connID is "".
func logExisting(ctx context.Context, tx *sql.Tx, connID string, now time.Time) error {
	for _, table := range Tables() {
		q := `INSERT INTO destination_changes (tbl, connection_id, id, op, at)
			SELECT '` + table + `', connection_id, id, 'I', ? FROM ` + table + ` WHERE ? = '' OR connection_id = ?`
		if _, err := tx.ExecContext(ctx, q, now.UnixMilli(), connID, connID); err != nil {
			return fmt.Errorf("logging %s for the initial copy: %w", table, err)
		}
	}
	return nil
}

// TriggerCount returns how many change triggers exist (for tests and
// status: 0 when no destination is configured).
func (l *Local) TriggerCount(ctx context.Context) (int, error) {
	var n int
	err := l.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'destination_log_%'`).Scan(&n)
	return n, err
}
