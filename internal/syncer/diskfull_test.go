package syncer

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/testkit"
)

// A sync that fills the disk stops with a sentence's facts — where, how
// much is free, about how much more it needs — keeps every page it
// committed whole, and finishes exactly once there is room.
func TestASyncThatFillsTheDisk(t *testing.T) {
	ctx := context.Background()
	dir, resize := testkit.SmallFS(t, 24<<20)
	s := newSandboxEnvIn(t, dir, sandbox.Options{Seed: 11, Scale: 20000}, nil)

	err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{})
	if !errors.Is(err, domain.KindDiskFull) {
		t.Fatalf("Sync on a small disk = %v, want KindDiskFull", err)
	}
	de := findKind(err, domain.KindDiskFull)
	needed, nerr := strconv.ParseInt(de.Facts[domain.FactNeededBytes], 10, 64)
	if de.Facts[domain.FactPath] != dir || nerr != nil || needed <= spareBytes {
		t.Errorf("facts %v: want the data folder and an estimate above the spare %d bytes", de.Facts, spareBytes)
	}
	var stored int64
	if err := s.db.Reader().QueryRow(`SELECT COALESCE(SUM(objects_synced), 0) FROM sync_state`).Scan(&stored); err != nil || stored == 0 {
		t.Fatalf("%d objects stored before the disk filled (%v): the test proves nothing", stored, err)
	}
	s.integrity()
	// Exactly once after the restart: every committed page was whole, with
	// the state that says how far it got, and none is listed twice.
	resize(256 << 20) // the owner frees space
	if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
		t.Fatalf("Sync with room again: %v", err)
	}
	requireResumedExactly(s.env, s.truth())
}
