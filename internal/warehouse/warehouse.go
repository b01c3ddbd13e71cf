package warehouse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/internal/store"
)

// Options configures New.
type Options struct {
	// DB is the open store whose migrations created the warehouse tables.
	DB *store.DB
	// Now is the clock for synced_at. Default time.Now.
	Now func() time.Time
}

// Warehouse writes and counts the rows of the stripe_<plural> tables. It is
// safe for concurrent use; writes queue on the store's single writer.
type Warehouse struct {
	db     *store.DB
	now    func() time.Time
	tables map[string]*tableSQL
}

// New returns a Warehouse over opts.DB.
func New(opts Options) (*Warehouse, error) {
	if opts.DB == nil {
		return nil, errors.New("warehouse: no database given")
	}
	w := &Warehouse{db: opts.DB, now: opts.Now, tables: map[string]*tableSQL{}}
	if w.now == nil {
		w.now = time.Now
	}
	for _, t := range Types() {
		w.tables[t.Name] = buildSQL(t)
	}
	return w, nil
}

// Count is how many rows of one type a connection has: Live ones and
// Deleted ones (is_deleted = 1). It has the shape of the sandbox's
// /_sandbox/truth entries, so tests compare the two directly.
type Count struct {
	Live    int64 `json:"live"`
	Deleted int64 `json:"deleted"`
}

// Counts returns, for each of the 17 types (keyed by Name), how many rows
// connID has. Every type is present, with zeros when it has none. It reads
// through the store's reader pool, so it sees committed pages only and
// never waits for a write.
func (w *Warehouse) Counts(ctx context.Context, connID string) (map[string]Count, error) {
	counts := make(map[string]Count, len(w.tables))
	for name, s := range w.tables {
		var all, deleted int64
		if err := w.db.Reader().QueryRowContext(ctx, s.countAll, connID).Scan(&all); err != nil {
			return nil, fmt.Errorf("counting %s of connection %s: %w", name, connID, err)
		}
		if err := w.db.Reader().QueryRowContext(ctx, s.countDeleted, connID).Scan(&deleted); err != nil {
			return nil, fmt.Errorf("counting deleted %s of connection %s: %w", name, connID, err)
		}
		counts[name] = Count{Live: all - deleted, Deleted: deleted}
	}
	return counts, nil
}

// timeLayout is the store's: RFC 3339 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"
