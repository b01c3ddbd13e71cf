package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// dataPageSize is how many rows one background read brings.
const dataPageSize = 100

// searchDelay is how long typing must pause before a search runs.
const searchDelay = 300 * time.Millisecond

// dataTab is one of a connection page's tables (Payments, Invoices,
// Customers, Subscriptions): search, a status and a date filter, sortable
// columns, a count, Export CSV… and a row's fields on a click. Every read
// runs off the UI goroutine; the table shows "…" in rows still on their way.
// Its words are the catalog's "data.<view>.…" messages (data_cells.go) and
// its numbers, money and dates are written by f, both in the language the
// tab was built in: a language switch rebuilds the page.
type dataTab struct {
	sh     Shell
	view   browse.View
	connID string
	q      browse.Query
	f      *localefmt.Formatter

	root    fyne.CanvasObject
	search  *widget.Entry
	status  *widget.Select
	period  *widget.Select
	count   *widget.Label
	export  *widget.Button
	table   *widget.Table
	empty   *widget.Label
	rows    *rowLoader
	total   int // rows matching, -1 while counting
	opened  bool
	gen     int                // bumped on every query change
	cancel  context.CancelFunc // ends the current query's count
	typing  *time.Timer
	details *rowDetails // the row dialog while it is open
}

func newDataTab(sh Shell, v browse.View, connID string) *dataTab {
	t := &dataTab{sh: sh, view: v, connID: connID, f: formatter(), total: -1,
		q: browse.Query{ConnID: connID, View: v.Name}}
	t.rows = newRowLoader(sh, dataPageSize, t.refreshRows, t.showReadError)

	t.search = widget.NewEntry()
	t.search.SetPlaceHolder(t.words("search_hint"))
	t.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	t.search.OnChanged = func(string) { t.searchSoon() }
	t.search.OnSubmitted = func(string) { t.applySearch() }

	t.status = widget.NewSelect(append([]string{i18n.T("data.all_statuses")}, statusOptions(v.Statuses)...), func(string) { t.applyFilters() })
	t.status.SetSelectedIndex(0)
	if len(v.Statuses) == 0 {
		t.status.Hide()
	}
	t.period = widget.NewSelect(periodLabels(), func(string) { t.applyFilters() })
	t.period.SetSelectedIndex(0)
	t.count = widget.NewLabel("")
	t.export = widget.NewButtonWithIcon(i18n.T("data.export"), theme.DocumentSaveIcon(), t.chooseExportFile)

	t.table = widget.NewTableWithHeaders(t.size, t.newCell, t.updateCell)
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject { return newSortHeader() }
	t.table.UpdateHeader = t.updateHeader
	t.table.OnSelected = t.selected
	for i, c := range v.Columns {
		w := c.Width
		if w == 0 {
			w = 140
		}
		t.table.SetColumnWidth(i, w)
	}
	t.empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	t.empty.Hide()

	filters := container.NewHBox(t.status, t.period, t.count)
	bar := container.NewBorder(nil, nil, container.New(fixedWidth{340}, t.search), t.export, filters)
	t.root = container.NewBorder(bar, nil, nil, nil, container.NewStack(t.table, container.NewCenter(t.empty)))
	return t
}

// statusOptions words the view's statuses for the filter.
func statusOptions(statuses []string) []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = statusText(s)
	}
	return out
}

// words is the view's own message: t.words("empty") is the catalog's
// "data.payments.empty" on the Payments tab.
func (t *dataTab) words(name string, args ...i18n.Args) string {
	return i18n.T("data."+t.view.Name+"."+name, args...)
}

// plural is the view's plural message name for n, its {{.Count}} written by
// the tab's formatter: "1,234 payments".
func (t *dataTab) plural(name string, n int, args ...i18n.Args) string {
	data := i18n.Args{}
	if len(args) > 0 {
		for k, v := range args[0] {
			data[k] = v
		}
	}
	data["Count"] = t.f.Number(int64(n))
	return i18n.N("data."+t.view.Name+"."+name, n, data)
}

// columnTitle is the header of the view's column with this key.
func (t *dataTab) columnTitle(key string) string {
	for _, c := range t.view.Columns {
		if c.Key == key {
			return columnTitle(t.view.Name, c)
		}
	}
	return key
}

// showError says at the top of the window why rows could not be shown:
// a sort over too many rows in the view's own words, anything else as the
// view's sentence called name ("open_error", "read_error") with the
// error's catalog sentence as its reason.
func (t *dataTab) showError(name string, err error) {
	var tooMany *browse.SortLimitError
	if errors.As(err, &tooMany) {
		t.sh.Say(bannerError, plain(t.plural("too_many_to_sort", tooMany.Limit,
			i18n.Args{"Column": t.columnTitle(tooMany.Column)})))
		return
	}
	t.sh.Say(bannerError, plain(t.words(name, i18n.Args{"Reason": errorText(err)})))
}

// open runs the first query, the first time the tab is shown.
func (t *dataTab) open() {
	if t.opened {
		return
	}
	t.opened = true
	t.reload()
}

// close stops the tab's background reads (the page is going away).
func (t *dataTab) close() {
	if t.cancel != nil {
		t.cancel()
	}
	if t.typing != nil {
		t.typing.Stop()
	}
	t.rows.stop()
}

func (t *dataTab) searchSoon() {
	if t.typing != nil {
		t.typing.Stop()
	}
	t.typing = time.AfterFunc(searchDelay, func() { t.sh.OnUI(t.applySearch) })
}

func (t *dataTab) applySearch() {
	if text := strings.TrimSpace(t.search.Text); text != t.q.Search {
		q := t.q
		q.Search = text
		t.run(q)
	}
}

func (t *dataTab) applyFilters() {
	if t.status == nil || t.period == nil || t.count == nil {
		return // still being built
	}
	q := t.q
	q.Status = ""
	if i := t.status.SelectedIndex(); i > 0 && i-1 < len(t.view.Statuses) {
		q.Status = t.view.Statuses[i-1]
	}
	q.From, q.To = periodAt(t.period.SelectedIndex()).span(t.sh.Now())
	if q != t.q {
		t.run(q)
	}
}

// sortBy sorts by a column, newest or largest first; again flips it.
func (t *dataTab) sortBy(key string) {
	q := t.q
	current := q.SortBy
	if current == "" {
		current = "created"
	}
	if current == key {
		q.Asc = !q.Asc
	} else {
		q.SortBy, q.Asc = key, false
	}
	t.run(q)
}

// reload runs the current query again from the top.
func (t *dataTab) reload() { t.run(t.q) }

// run opens q in the background and shows its rows; when q is refused (a
// sort that would take too long, say), the previous query stays on show
// and the reason is shown at the top of the window.
func (t *dataTab) run(q browse.Query) {
	if !t.opened {
		t.q = q
		return
	}
	if t.cancel != nil {
		t.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	t.gen++
	gen := t.gen
	t.count.SetText(i18n.T("data.loading"))
	var pager RowPager
	var err error
	t.sh.Background(func() { pager, err = t.sh.Services().Browse.Open(ctx, q) }, func() {
		if gen != t.gen {
			return
		}
		if err != nil {
			t.count.SetText(t.countText())
			if !errors.Is(err, context.Canceled) {
				t.showError("open_error", err)
			}
			return
		}
		t.q = q
		t.total = -1
		t.rows.reset(pager)
		t.rows.want(0) // the first screen comes before the count
		t.table.UnselectAll()
		t.table.ScrollToTop()
		t.refreshRows()
		t.countRows(ctx, gen, pager)
	})
}

func (t *dataTab) countRows(ctx context.Context, gen int, pager RowPager) {
	t.count.SetText(i18n.T("data.counting"))
	var n int
	var err error
	t.sh.Background(func() { n, err = pager.Count(ctx) }, func() {
		if gen != t.gen {
			return
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return
			}
			t.count.SetText("")
			t.showError("open_error", err)
			if errors.Is(err, browse.ErrTooManyToSort) {
				q := t.q // back to newest first, which any number of rows can be
				q.SortBy, q.Asc = "", false
				t.run(q)
			}
			return
		}
		t.total = n
		t.count.SetText(t.countText())
		t.refreshRows()
	})
}

// countText is "12,345 payments" ("12 345 betalningar"), or "Counting…".
func (t *dataTab) countText() string {
	if t.total < 0 {
		return i18n.T("data.counting")
	}
	return t.plural("count", t.total)
}

// size is the table's dimensions: every matching row once counted, the
// first page's rows until then.
func (t *dataTab) size() (int, int) {
	n := t.total
	if n < 0 {
		n = max(t.rows.loaded(), 0)
	}
	return n, len(t.view.Columns)
}

func (t *dataTab) refreshRows() {
	rows, _ := t.size()
	if rows == 0 && (t.total == 0 || t.rows.loaded() == 0) {
		t.empty.SetText(t.emptyText())
		t.empty.Show()
	} else {
		t.empty.Hide()
	}
	t.table.Refresh()
}

func (t *dataTab) emptyText() string {
	if t.q.Search != "" || t.q.Status != "" || !t.q.From.IsZero() || !t.q.To.IsZero() {
		return t.words("no_match")
	}
	return t.words("empty")
}

func (t *dataTab) showReadError(err error) {
	if !errors.Is(err, context.Canceled) && !errors.Is(err, browse.ErrTooManyToSort) { // the count says so
		t.showError("read_error", err)
	}
}

func (t *dataTab) newCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (t *dataTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	row, ok := t.rows.row(id.Row)
	if !ok || id.Col >= len(t.view.Columns) {
		l.Alignment = fyne.TextAlignLeading
		l.SetText("…")
		return
	}
	text, align := cellText(t.f, t.view.Columns[id.Col], row, id.Col)
	l.Alignment = align
	l.SetText(text)
}

func (t *dataTab) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	h := o.(*sortHeader)
	if id.Col < 0 || id.Col >= len(t.view.Columns) {
		h.set("", false, 0, nil)
		return
	}
	c := t.view.Columns[id.Col]
	sortedBy := t.q.SortBy
	if sortedBy == "" {
		sortedBy = "created"
	}
	dir := 0
	if c.Key == sortedBy {
		dir = -1
		if t.q.Asc {
			dir = 1
		}
	}
	h.set(columnTitle(t.view.Name, c), c.Sortable, dir, func() { t.sortBy(c.Key) })
}

// selected opens the row's fields; the selection itself is not kept.
func (t *dataTab) selected(id widget.TableCellID) {
	t.table.UnselectAll()
	if row, ok := t.rows.row(id.Row); ok {
		t.showDetails(row.ID)
	}
}
