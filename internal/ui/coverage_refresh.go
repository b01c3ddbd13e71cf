package ui

import (
	"slices"
	"time"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// copyingRefreshEvery is how often, at most, a tab whose figures are still
// being copied reads them again as the sync moves on: a report over a
// large account takes up to a tenth of a second, and a line that changes
// every couple of seconds is enough to see the copy reach back.
const copyingRefreshEvery = 2 * time.Second

// copyRefresh paces those reads for one page.
type copyRefresh struct {
	last   time.Time // when the figures were last read again (wall clock)
	synced int64     // how many objects the sync had stored then
	caught map[string]bool
}

// due reports whether figures still being copied should be read again for
// the sync snapshot pr: the sync has stored more since the last read, and
// copyingRefreshEvery has passed. It measures the pace by the wall clock,
// not the window's clock, which stands still in tests.
func (c *copyRefresh) due(pr syncer.Progress) bool {
	var n int64
	for _, t := range pr.Types {
		n += t.Synced
	}
	if n == c.synced || time.Since(c.last) < copyingRefreshEvery {
		return false
	}
	c.last, c.synced = time.Now(), n
	return true
}

// subsCoverage is the coverage of the Recurring revenue tab's period
// figures: last month's churn and the months of MRR.
func subsCoverage(s subscriptionFigures) reports.Completeness {
	cs := []reports.Completeness{s.churn.Coverage}
	for _, m := range s.months {
		cs = append(cs, m.Coverage)
	}
	return joinCoverage(cs...)
}

// refreshWhileCopying reads the figures of the tab on show again when they
// are still being copied and the sync has stored more (see copyRefresh);
// once the sync has caught up, caughtUp reads them a last time.
func (p *detailsPage) refreshWhileCopying(pr syncer.Progress) {
	var reload func()
	switch tab := p.selectedTab(); {
	case tab == tabMoney && p.money != nil && p.money.shown != nil && p.money.shown.Coverage.Incomplete():
		reload = p.money.load
	case tab == tabSubs && p.subs != nil && p.subs.shown != nil && subsCoverage(*p.subs.shown).Incomplete():
		reload = p.subs.load
	case tab == tabRisk && p.risk != nil && p.risk.shown != nil && p.risk.shown.FailedCoverage.Incomplete():
		reload = p.risk.load
	}
	if reload != nil && p.copying.due(pr) {
		reload()
	}
}

// Progress reads All stores' figures again while they are still being
// copied and a sync of one of the stores shown moves on.
func (p *allStoresPage) Progress(pr syncer.Progress) {
	if m := p.money.shown; m == nil || !m.Coverage.Incomplete() || !slices.Contains(p.selectedIDs(), pr.ConnectionID) {
		return
	}
	if p.copying.caughtUp(pr) || p.copying.due(pr) {
		p.money.load()
	}
}

// caughtUp reports whether pr is the first snapshot of its connection's
// sync that has caught up (the figures are read a last time then).
func (c *copyRefresh) caughtUp(pr syncer.Progress) bool {
	caught := pr.Stage == syncer.StageDone || pr.Stage == syncer.StageFollowing
	if c.caught == nil {
		c.caught = map[string]bool{}
	}
	first := caught && !c.caught[pr.ConnectionID]
	c.caught[pr.ConnectionID] = caught
	return first
}
