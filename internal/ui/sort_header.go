package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// sortHeader is a data table's column header: its title, and an arrow when
// the table is sorted by it. Tapping a sortable header sorts by it (again:
// the other way round). A screen reader hears its title with how the table
// is sorted and what a click does (AccessibilityLabel).
type sortHeader struct {
	widget.BaseWidget
	label    *widget.Label
	arrow    *widget.Icon
	sortable bool
	dir      int
	onTap    func()
}

var _ fyne.Accessible = (*sortHeader)(nil)

func newSortHeader() *sortHeader {
	h := &sortHeader{label: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), arrow: widget.NewIcon(nil)}
	h.label.Truncation = fyne.TextTruncateEllipsis
	h.ExtendBaseWidget(h)
	return h
}

// set shows title; dir is 0 when the table is not sorted by this column,
// 1 ascending, -1 descending.
func (h *sortHeader) set(title string, sortable bool, dir int, onTap func()) {
	h.label.SetText(title)
	h.sortable, h.dir, h.onTap = sortable, dir, onTap
	switch dir {
	case 1:
		h.arrow.SetResource(theme.MenuDropUpIcon())
	case -1:
		h.arrow.SetResource(theme.MenuDropDownIcon())
	default:
		h.arrow.SetResource(nil)
	}
}

func (h *sortHeader) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, h.arrow, h.label))
}

// Tapped sorts by this column when it is sortable.
func (h *sortHeader) Tapped(*fyne.PointEvent) {
	if h.sortable && h.onTap != nil {
		h.onTap()
	}
}

// Cursor is a pointing hand over sortable headers.
func (h *sortHeader) Cursor() desktop.Cursor {
	if h.sortable {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// AccessibilityLabel is the title, and for a sortable column the order it
// is sorted in and what a click does: "Amount, sorted in descending
// order. Click to sort in ascending order."
func (h *sortHeader) AccessibilityLabel() string {
	title := h.label.Text
	if !h.sortable {
		return title
	}
	args := i18n.Args{"Column": title}
	switch {
	case h.dir > 0:
		return i18n.T("data.sort.ascending", args)
	case h.dir < 0:
		return i18n.T("data.sort.descending", args)
	}
	return i18n.T("data.sort.unsorted", args)
}

// AccessibilityRole is a button for a sortable column, text otherwise.
func (h *sortHeader) AccessibilityRole() fyne.AccessibleRole {
	if h.sortable {
		return fyne.AccessibleRoleButton
	}
	return fyne.AccessibleRoleText
}
