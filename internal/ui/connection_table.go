package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// The Data Sources table's columns, in order.
const (
	colName = iota
	colType
	colAccount
	colMode
	colStatus
	colLastSync
	colAction
	numCols
)

// columnKeys are the columns' catalog keys; the action column has no title.
var columnKeys = [numCols]string{"connections.column.name", "connections.column.type", "connections.column.account",
	"connections.column.mode", "connections.column.status", "connections.column.last_sync", ""}
var columnWidths = [numCols]float32{200, 115, 145, 70, 240, 130, 150}

// connectionTable is the Data Sources table. Fyne's table creates cells
// only for visible rows, so a thousand connections cost what a screenful
// does. A tap on any cell of a row opens that connection's details.
type connectionTable struct {
	table    *widget.Table
	rows     []domain.Connection
	sh       Shell // the clock, who is offline, the sync progress
	onOpen   func(domain.Connection)
	onReauth func(domain.Connection)
}

// cell is one table cell's template: an optional logo, a label and an
// optional chip; update shows the parts its column needs.
type cell struct {
	widget.BaseWidget
	box    *fyne.Container
	logo   *canvas.Image
	label  *widget.Label
	chip   *chip
	action *widget.Button
	row    int // the row the cell shows, for the action button
}

func (t *connectionTable) newCell() *cell {
	c := &cell{logo: canvas.NewImageFromResource(stripeLogo), label: widget.NewLabel(""), chip: newChip()}
	c.logo.FillMode = canvas.ImageFillContain
	c.logo.SetMinSize(fyne.NewSquareSize(16))
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.action = widget.NewButton(i18n.T("details.reauthenticate"), func() {
		if c.row >= 0 && c.row < len(t.rows) {
			t.onReauth(t.rows[c.row])
		}
	})
	c.action.Importance = widget.HighImportance
	c.box = container.NewBorder(nil, nil, container.NewCenter(c.logo), nil, container.NewStack(c.label, c.chip.root, container.NewCenter(c.action)))
	c.ExtendBaseWidget(c)
	return c
}

func (c *cell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.box) }

func newConnectionTable(sh Shell, onOpen, onReauth func(domain.Connection)) *connectionTable {
	t := &connectionTable{sh: sh, onOpen: onOpen, onReauth: onReauth}
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.rows), numCols },
		func() fyne.CanvasObject { return t.newCell() },
		func(id widget.TableCellID, o fyne.CanvasObject) { t.updateCell(id, o.(*cell)) },
	)
	t.table.ShowHeaderColumn = false
	t.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < numCols {
			title := ""
			if key := columnKeys[id.Col]; key != "" {
				title = strings.ToUpper(i18n.T(key))
			}
			o.(*widget.Label).SetText(title)
		}
	}
	for i, w := range columnWidths {
		t.table.SetColumnWidth(i, w)
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		t.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(t.rows) && id.Col != colAction {
			t.onOpen(t.rows[id.Row])
		}
	}
	return t
}

func (t *connectionTable) setRows(rows []domain.Connection) {
	t.rows = rows
	t.table.Refresh()
}

func (t *connectionTable) updateCell(id widget.TableCellID, c *cell) {
	if id.Row < 0 || id.Row >= len(t.rows) {
		return
	}
	conn := t.rows[id.Row]
	c.row = id.Row
	c.logo.Hidden = id.Col != colType
	c.chip.root.Hidden = id.Col != colStatus && id.Col != colMode
	c.action.Hidden = id.Col != colAction || !conn.NeedsReauth()
	c.label.Hidden = !c.chip.root.Hidden || id.Col == colAction
	c.label.TextStyle = fyne.TextStyle{Bold: id.Col == colName}
	switch id.Col {
	case colName:
		c.label.SetText(conn.Name)
	case colType:
		c.label.SetText(typeLabel(conn))
	case colAccount:
		c.label.SetText(conn.ShortAccountID())
	case colMode:
		if conn.Livemode {
			c.chip.set(strings.ToUpper(modeLabel(conn)), toneGood)
		} else {
			c.chip.set(strings.ToUpper(modeLabel(conn)), toneMuted)
		}
	case colStatus:
		if p, _ := t.sh.SyncProgress(conn.ID); syncing(p) && conn.Status == domain.StatusConnected {
			c.chip.set(i18n.T("connections.syncing", i18n.Args{"Percent": formatter().Percent(p.Fraction(), 0)}), toneGood)
		} else if t.sh.Offline(conn.ID) {
			c.chip.set(offlineText(conn, t.sh.Now()), toneWarn)
		} else {
			c.chip.set(statusLabel(conn.Status), statusTone(conn.Status))
		}
	case colLastSync:
		c.label.SetText(relative(conn.LastSyncAt, t.sh.Now(), i18n.T("time.never")))
	}
	c.box.Refresh()
}
