package ui

import (
	"context"

	"github.com/ledgerline/ledgerline/internal/browse"
)

// rowLoader keeps the pages of rows a data table has shown, and fetches the
// pages it asks for one at a time off the UI goroutine, newest request
// first: dragging the scroll bar from the first row to the millionth asks
// for many pages on the way, and only the last few are still wanted. All
// of its fields belong to the UI goroutine.
type rowLoader struct {
	sh       Shell
	pageSize int
	maxPages int // pages kept; the farthest from the last asked for go first
	pager    RowPager
	gen      int // bumped by reset: answers for an older query are dropped
	ctx      context.Context
	cancel   context.CancelFunc
	pages    map[int][]browse.Row
	failed   map[int]bool // not asked again until reset (no retry loop)
	wanted   []int        // pages asked for and not loaded, most recent last
	busy     bool
	onLoaded func()      // the table shows the new rows
	onError  func(error) // a page could not be read
}

// maxWanted is how many asked-for pages wait at most; older ones are
// forgotten (the table asks again if they come back into view).
const maxWanted = 4

func newRowLoader(sh Shell, pageSize int, onLoaded func(), onError func(error)) *rowLoader {
	l := &rowLoader{sh: sh, pageSize: pageSize, maxPages: 40, onLoaded: onLoaded, onError: onError}
	l.reset(nil)
	return l
}

// reset drops every page and serves p's rows from now on; a fetch in flight
// for the previous pager is canceled and its answer ignored.
func (l *rowLoader) reset(p RowPager) {
	if l.cancel != nil {
		l.cancel()
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	l.gen++
	l.pager = p
	l.pages = map[int][]browse.Row{}
	l.failed = map[int]bool{}
	l.wanted = nil
	l.busy = false
}

// stop cancels any fetch in flight; the loader is done.
func (l *rowLoader) stop() {
	l.reset(nil)
}

// row returns row i if its page is loaded, and otherwise asks for the page.
func (l *rowLoader) row(i int) (browse.Row, bool) {
	pg, at := i/l.pageSize, i%l.pageSize
	if rows, ok := l.pages[pg]; ok {
		if at < len(rows) {
			return rows[at], true
		}
		return browse.Row{}, false
	}
	l.want(pg)
	return browse.Row{}, false
}

// loaded reports how many rows page 0 holds once it is read, -1 before.
func (l *rowLoader) loaded() int {
	if rows, ok := l.pages[0]; ok {
		return len(rows)
	}
	return -1
}

func (l *rowLoader) want(pg int) {
	if l.pager == nil || l.failed[pg] {
		return
	}
	for i, w := range l.wanted {
		if w == pg {
			l.wanted = append(l.wanted[:i], l.wanted[i+1:]...)
			break
		}
	}
	l.wanted = append(l.wanted, pg)
	if len(l.wanted) > maxWanted {
		l.wanted = l.wanted[len(l.wanted)-maxWanted:]
	}
	l.next()
}

// next fetches the most recently wanted page when no fetch is running.
func (l *rowLoader) next() {
	if l.busy || len(l.wanted) == 0 {
		return
	}
	last := len(l.wanted) - 1
	pg := l.wanted[last]
	l.wanted = l.wanted[:last]
	if _, ok := l.pages[pg]; ok {
		l.next()
		return
	}
	l.busy = true
	gen, pager, ctx := l.gen, l.pager, l.ctx
	go func() {
		rows, err := pager.Rows(ctx, pg*l.pageSize, l.pageSize)
		l.sh.OnUI(func() {
			if gen != l.gen {
				return
			}
			l.busy = false
			if err != nil {
				l.failed[pg] = true
				l.onError(err)
			} else {
				l.keep(pg, rows)
				l.onLoaded()
			}
			l.next()
		})
	}()
}

func (l *rowLoader) keep(pg int, rows []browse.Row) {
	l.pages[pg] = rows
	for len(l.pages) > l.maxPages {
		far, dist := -1, -1
		for p := range l.pages {
			d := p - pg
			if d < 0 {
				d = -d
			}
			if d > dist {
				far, dist = p, d
			}
		}
		delete(l.pages, far)
	}
}
