package syncer

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestReadCoverage reads hand-built sync states: every case's answer is
// worked out from its ranges by hand.
func TestReadCoverage(t *testing.T) {
	e := newEnv(t, "acct_cov", "rk_test_cov")
	ctx := context.Background()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	unix := func(s string) int64 { return at(s).Unix() }
	now := at("2026-12-08T01:00:00Z")
	states := []*typeState{
		// Listed whole: complete however old.
		{Type: "customers", Phase: PhaseReady, StartedAt: now, CompletedAt: now, UpdatedAt: now},
		// One range, its first page stored down to a charge of 3 Dec
		// 10:00:00: that second may hold more charges, so complete from
		// 10:00:01.
		{Type: "charges", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Lo: 0, After: "ch_3", AfterCreated: unix("2026-12-03T10:00:00Z"), N: 100}}},
		// Split: the newer part listed down to 20 Nov, the older part
		// [0, 1 Nov) not started. The missing span with the highest end
		// is below 20 Nov 00:00:01.
		{Type: "refunds", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Lo: unix("2026-11-01T00:00:00Z"), After: "re_9", AfterCreated: unix("2026-11-20T00:00:00Z"), N: 400},
			{Lo: 0, Hi: unix("2026-11-01T00:00:00Z")}}},
		// The older part of a split listed down to 15 Oct, the newer one
		// finished and gone: a bounded range without a cursor misses up
		// to its end, with one, up to the cursor.
		{Type: "invoices", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Lo: 0, Hi: unix("2026-10-01T00:00:00Z")},
			{Lo: unix("2026-10-01T00:00:00Z"), Hi: unix("2026-11-01T00:00:00Z"), After: "in_1", AfterCreated: unix("2026-10-15T12:00:00Z")}}},
		// The newest range has no page yet: nothing is covered.
		{Type: "disputes", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{{Lo: 0}}},
		// A re-scan is a listing like a backfill.
		{Type: "payouts", Phase: PhaseRescan, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Lo: 0, After: "po_1", AfterCreated: unix("2026-09-30T23:59:59Z")}}},
		// Balance transactions: one type value listed down to 1 Dec, the
		// charges' and payouts' ones coming with those listings (covered as
		// they are: charges from 3 Dec 10:00:01, payouts from 1 Oct).
		{Type: "balance_transactions", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Lo: 0, Filter: "stripe_fee", After: "txn_f", AfterCreated: unix("2026-12-01T00:00:00Z")},
			{Via: "charges"}, {Via: "payouts"}}},
		// Subscriptions listing with its items: the items are covered as
		// their parent.
		{Type: "subscriptions", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Lo: 0, After: "sub_1", AfterCreated: unix("2026-06-01T00:00:00Z")}}},
		// A filter value with no page yet beside a Via range: nothing.
		{Type: "credit_notes", Phase: PhaseBackfill, StartedAt: now, UpdatedAt: now, Ranges: []*segment{
			{Via: "disputes"}}},
	}
	err := e.db.WriteTx(ctx, func(tx *sql.Tx) error {
		for _, s := range states {
			if err := saveState(ctx, tx, e.connID, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadCoverage(ctx, e.db.Reader(), e.connID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Coverage{
		"customers":            {Complete: true},
		"charges":              {From: at("2026-12-03T10:00:01Z")},
		"refunds":              {From: at("2026-11-20T00:00:01Z")},
		"invoices":             {From: at("2026-10-15T12:00:01Z")},
		"disputes":             {},
		"payouts":              {From: at("2026-10-01T00:00:00Z")},
		"balance_transactions": {From: at("2026-12-03T10:00:01Z")},
		"subscriptions":        {From: at("2026-06-01T00:00:01Z")},
		"subscription_items":   {From: at("2026-06-01T00:00:01Z")},
		"credit_notes":         {},
		"prices":               {}, // never synced
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s: no coverage", name)
			continue
		}
		if g.Type != name || g.Complete != w.Complete || !g.From.Equal(w.From) {
			t.Errorf("%s: got %+v, want complete %v from %s", name, g, w.Complete, w.From)
		}
	}

	t.Run("Covers says whether a period's start is covered", func(t *testing.T) {
		c := got["charges"]
		if c.Covers(at("2026-12-03T10:00:00Z")) || !c.Covers(at("2026-12-03T10:00:01Z")) || !c.Covers(now) {
			t.Errorf("charges from %s: Covers wrong at the edge", c.From)
		}
		if got["disputes"].Covers(now) {
			t.Error("disputes never listed cover now")
		}
		if !got["customers"].Covers(time.Unix(0, 0)) {
			t.Error("complete customers don't cover 1970")
		}
	})
}

// Near the top of a listing a worker keeps few pages when it splits, so
// several workers list the newest weeks side by side; deeper down it keeps
// splitChunk, so ranges (each ending in a part-filled page) stay few.
func TestChunksAreSmallNearTheTop(t *testing.T) {
	for _, c := range []struct {
		got     int64
		perType int
		want    int64
	}{
		{100, 6, firstChunk},         // one page so far
		{1200, 6, firstChunk},        // 12 pages over 6 workers: 2 each
		{3000, 6, 5},                 // 30 pages: 5 each
		{12000, 6, splitChunk},       // 120 pages: 20 each
		{500000, 6, splitChunk},      // deep in a large listing
		{3000, 1, splitChunk},        // one worker: no side by side
		{3000, 0, splitChunk},        // no bound given
		{0, 6, firstChunk},           // nothing brought yet
		{12000 - 100, 6, 19},         // just under
		{2 * 100 * 6, 6, firstChunk}, // exactly two pages each
	} {
		if got := chunkPages(c.got, c.perType); got != c.want {
			t.Errorf("chunkPages(%d objects, %d workers) = %d pages, want %d", c.got, c.perType, got, c.want)
		}
	}
}
