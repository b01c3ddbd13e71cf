package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// connectionsPage is the main page: the Data Sources table with the Add a
// Data Source button at its top right, or a first-run explanation when
// there is nothing to show yet.
type connectionsPage struct {
	ui      *UI
	root    fyne.CanvasObject
	add     *widget.Button
	refresh *widget.Button
	busy    *widget.Activity
	table   *connectionTable
	empty   fyne.CanvasObject
	loading *widget.Label
	body    *fyne.Container
}

func newConnectionsPage(u *UI) *connectionsPage {
	p := &connectionsPage{ui: u}
	p.add = widget.NewButtonWithIcon("Add a Data Source", theme.ContentAddIcon(), u.showAddSource)
	p.add.Importance = widget.HighImportance
	p.table = newConnectionTable(u.now, u.offline, u.progress, u.showDetails, u.reauthenticate)
	p.refresh = widget.NewButtonWithIcon("Check status", theme.ViewRefreshIcon(), u.checkNow)
	p.busy = widget.NewActivity()
	p.busy.Hide()
	if u.p.Status == nil {
		p.refresh.Hide()
	}
	p.loading = widget.NewLabel("Loading connections…")
	p.empty = p.emptyState()
	p.body = container.NewStack(p.loading)

	sub := widget.NewLabelWithStyle("Data Sources", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	header := container.NewVBox(
		heading("Connections"),
		container.NewBorder(nil, nil, sub, container.NewHBox(p.busy, p.refresh, p.add)),
	)
	p.root = container.NewBorder(header, nil, nil, nil, p.body)
	return p
}

// emptyState tells a first-time user what Ledgerline does and what to click.
func (p *connectionsPage) emptyState() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("No data sources yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabelWithStyle(
		"Connect your Stripe account to keep a copy of your payments, invoices and customers on this computer.\n"+
			"Click Add a Data Source to begin. Ledgerline only reads your data; it never changes anything in Stripe.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	body.Wrapping = fyne.TextWrapWord
	start := widget.NewButtonWithIcon("Add a Data Source", theme.ContentAddIcon(), p.ui.showAddSource)
	logo := canvas.NewImageFromResource(stripeLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(40))
	card := container.NewVBox(logo, title, body, container.NewCenter(start))
	return container.NewVBox(layout.NewSpacer(), container.NewCenter(container.New(maxWidth{560}, card)), layout.NewSpacer())
}

// setConnections shows rows, or the empty state when there are none.
func (p *connectionsPage) setConnections(rows []domain.Connection) {
	p.table.setRows(rows)
	if len(rows) == 0 {
		p.body.Objects = []fyne.CanvasObject{p.empty}
	} else {
		p.body.Objects = []fyne.CanvasObject{p.table.table}
	}
	p.body.Refresh()
}

// setLoadError replaces the table with a sentence saying what went wrong.
func (p *connectionsPage) setLoadError(err error) {
	msg := widget.NewLabel("Ledgerline could not read your connections: " + err.Error())
	msg.Wrapping = fyne.TextWrapWord
	p.body.Objects = []fyne.CanvasObject{container.NewVBox(msg)}
	p.body.Refresh()
}

// heading is a page title in the theme's heading size.
func heading(text string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyleHeading})
}

// checking shows or hides the sign that a status check is running.
func (p *connectionsPage) checking(on bool) {
	if on {
		p.refresh.Disable()
		p.busy.Show()
		p.busy.Start()
		return
	}
	p.busy.Stop()
	p.busy.Hide()
	p.refresh.Enable()
}
