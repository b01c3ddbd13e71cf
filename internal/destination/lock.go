package destination

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// One writer per schema: a session-level advisory lock whose key is a hash
// of the schema's name, held by the replicating connection for as long as
// it lives (PostgreSQL frees it when the connection ends, even when the
// process is killed). The connection's application_name ("ledgerline
// HOST pid N") says who holds it.

// lockKey is the schema's advisory lock key (positive, so pg_locks'
// classid<<32|objid equals it).
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("ledgerline:" + schema))
	return int64(h.Sum64() & 0x7fffffffffffffff)
}

// tryLock takes schema's writer lock on conn. When another session holds
// it, the error is domain.KindDestBusy naming the holder.
func tryLock(ctx context.Context, conn *pgx.Conn, schema string) error {
	key := lockKey(schema)
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil {
		return fmt.Errorf("taking the writer lock of schema %s: %w", schema, err)
	}
	if ok {
		return nil
	}
	holder, err := lockHolder(ctx, conn, key)
	if err != nil {
		return err
	}
	return domain.E(domain.KindDestBusy, errors.New("advisory lock held by "+holder), domain.FactHolder, holder, domain.FactSchema, schema)
}

// lockHolder names the session holding key: its application_name and
// client address as pg_stat_activity shows them.
func lockHolder(ctx context.Context, conn *pgx.Conn, key int64) (string, error) {
	var app, addr string
	var pid int32
	err := conn.QueryRow(ctx, `SELECT COALESCE(a.application_name, ''), COALESCE(host(a.client_addr), 'local socket'), a.pid
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
		  AND ((l.classid::int8 << 32) | l.objid::int8) = $1 LIMIT 1`, key).Scan(&app, &addr, &pid)
	if errors.Is(err, pgx.ErrNoRows) {
		return "a session that has just ended", nil
	}
	if err != nil {
		return "", fmt.Errorf("looking up who holds the writer lock: %w", err)
	}
	if app == "" {
		app = "a session"
	}
	return fmt.Sprintf("%s, from %s, server process %d", app, addr, pid), nil
}
