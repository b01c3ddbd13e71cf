package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// reportColumn is a column of a reportTable: its title's catalog key, its
// width, and how its cells align (amounts to the trailing edge).
type reportColumn struct {
	key   string
	width float32
	align fyne.TextAlign
}

// reportCell is what one cell shows: a text, and an icon before it when
// set. A mark that matters is said in words, with the icon beside them:
// never by colour alone.
type reportCell struct {
	text string
	icon fyne.Resource
}

// reportTable is a read-only table of a report's rows with bold column
// titles from the catalog. rows says how many rows there are, cell what
// one shows; onSelect (when set) gets the row a person selects.
type reportTable struct {
	table *widget.Table
	cols  []reportColumn
}

func newReportTable(cols []reportColumn, rows func() int, cell func(row, col int) reportCell, onSelect func(row int)) *reportTable {
	t := &reportTable{cols: cols}
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(nil), nil, l)
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < 0 || id.Row >= rows() || id.Col < 0 || id.Col >= len(cols) {
				return
			}
			c := cell(id.Row, id.Col)
			box := o.(*fyne.Container)
			l, icon := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Icon)
			l.Alignment = cols[id.Col].align
			l.SetText(c.text)
			icon.SetResource(c.icon)
			icon.Hidden = c.icon == nil
			box.Refresh()
		})
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			l := o.(*widget.Label)
			l.Alignment = cols[id.Col].align
			l.SetText(i18n.T(cols[id.Col].key))
		}
	}
	for i, c := range cols {
		t.table.SetColumnWidth(i, c.width)
	}
	if onSelect != nil {
		t.table.OnSelected = func(id widget.TableCellID) {
			if id.Row >= 0 && id.Row < rows() {
				onSelect(id.Row)
			}
		}
	}
	return t
}
