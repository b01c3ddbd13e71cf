package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// connectionsPage is the main page: the Data Sources table with the Add a
// Data Source button at its top right, or a first-run explanation when
// there is nothing to show yet.
type connectionsPage struct {
	basePage
	sh      Shell
	root    fyne.CanvasObject
	add     *widget.Button
	refresh *widget.Button
	// allStores opens the money of every connection added up.
	allStores *widget.Button
	busy      *widget.Activity
	table     *connectionTable
	empty     fyne.CanvasObject
	loading   *widget.Label
	body      *fyne.Container
}

func newConnectionsPage(sh Shell) *connectionsPage {
	p := &connectionsPage{sh: sh}
	p.add = widget.NewButtonWithIcon(i18n.T("connections.add"), theme.ContentAddIcon(), func() { sh.Go(routeAddSource) })
	p.add.Importance = widget.HighImportance
	p.table = newConnectionTable(sh, func(c domain.Connection) { sh.Go(routeConnection(c.ID, "")) }, sh.Reauthenticate)
	p.refresh = widget.NewButtonWithIcon(i18n.T("connections.check_status"), theme.ViewRefreshIcon(), sh.CheckStatus)
	p.allStores = widget.NewButtonWithIcon(i18n.T("connections.all_stores"), theme.GridIcon(), func() { sh.Go(routeAllStores) })
	if sh.Services().Money == nil {
		p.allStores.Hide()
	}
	p.busy = widget.NewActivity()
	p.busy.Hide()
	if sh.Services().Status == nil {
		p.refresh.Hide()
	}
	p.loading = widget.NewLabel(i18n.T("connections.loading"))
	p.empty = p.emptyState()
	p.body = container.NewStack(p.loading)

	sub := widget.NewLabelWithStyle(i18n.T("connections.data_sources"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	header := container.NewVBox(
		heading(i18n.T("connections.title")),
		container.NewBorder(nil, nil, sub, container.NewHBox(p.busy, p.refresh, p.allStores, p.add)),
	)
	p.root = container.NewBorder(header, nil, nil, nil, p.body)
	return p
}

func (p *connectionsPage) Route() string              { return routeConnections }
func (p *connectionsPage) Content() fyne.CanvasObject { return p.root }

// Connections shows rows, or the empty state when there are none, or what
// kept them from being read.
func (p *connectionsPage) Connections(rows []domain.Connection, err error) {
	p.checking(p.sh.Checking())
	if err != nil {
		p.setLoadError(err)
		return
	}
	p.table.setRows(rows)
	if len(rows) == 0 {
		p.body.Objects = []fyne.CanvasObject{p.empty}
	} else {
		p.body.Objects = []fyne.CanvasObject{p.table.table}
	}
	p.body.Refresh()
}

// Progress redraws the status column while a sync copies data.
func (p *connectionsPage) Progress(pr syncer.Progress) {
	p.table.table.Refresh()
}

// Shortcut: Ctrl+R checks every connection's status.
func (p *connectionsPage) Shortcut(a Action) bool {
	if a.Kind != ActionRefresh {
		return false
	}
	p.sh.CheckStatus()
	return true
}

// emptyState tells a first-time user what Ledgerline does and what to click.
func (p *connectionsPage) emptyState() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(i18n.T("connections.empty.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabelWithStyle(i18n.T("connections.empty.body"), fyne.TextAlignCenter, fyne.TextStyle{})
	body.Wrapping = fyne.TextWrapWord
	start := widget.NewButtonWithIcon(i18n.T("connections.add"), theme.ContentAddIcon(), func() { p.sh.Go(routeAddSource) })
	logo := canvas.NewImageFromResource(stripeLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(40))
	card := container.NewVBox(logo, title, body, container.NewCenter(start))
	return container.NewVBox(layout.NewSpacer(), container.NewCenter(container.New(maxWidth{560}, card)), layout.NewSpacer())
}

// setLoadError replaces the table with a sentence saying what went wrong.
func (p *connectionsPage) setLoadError(err error) {
	msg := wrapped(i18n.T("connections.load_error", i18n.Args{"Reason": errorText(err)}))
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
