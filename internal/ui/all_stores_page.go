package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// routeAllStores is the All stores page.
const routeAllStores = "all-stores"

// allStoresPage adds up the money of every connection — per settlement
// currency and per currency customers paid in — with a filter by store.
// It is reached from the Connections page.
type allStoresPage struct {
	basePage
	sh    Shell
	root  fyne.CanvasObject
	store *widget.Select
	rows  []domain.Connection // the stores the filter offers, as last listed
	money *moneyTab
	// copying paces reading the figures again while a store copies.
	copying copyRefresh
}

func newAllStoresPage(sh Shell) *allStoresPage {
	p := &allStoresPage{sh: sh}
	p.money = newMoneyTab(sh, p.selectedIDs)
	p.store = widget.NewSelect([]string{i18n.T("all_stores.every_store")}, func(string) {
		if p.money.period.SelectedIndex() >= 0 {
			p.money.load()
		}
	})
	p.store.SetSelectedIndex(0)
	filter := container.NewHBox(widget.NewLabel(i18n.T("all_stores.filter")), p.store)
	p.root = container.NewBorder(container.NewVBox(heading(i18n.T("all_stores.title")), filter), nil, nil, nil, p.money.root)
	return p
}

func (p *allStoresPage) Route() string              { return routeAllStores }
func (p *allStoresPage) Content() fyne.CanvasObject { return p.root }
func (p *allStoresPage) Crumbs() []Crumb {
	return []Crumb{{i18n.T("connections.title"), routeConnections}, {i18n.T("all_stores.title"), ""}}
}

// Connections offers every store in the filter, keeping the choice.
func (p *allStoresPage) Connections(rows []domain.Connection, err error) {
	if err != nil {
		p.sh.ShowError(err)
		return
	}
	chosen := p.store.SelectedIndex()
	var keep string
	if chosen > 0 && chosen-1 < len(p.rows) {
		keep = p.rows[chosen-1].ID
	}
	p.rows = rows
	options := []string{i18n.T("all_stores.every_store")}
	index := 0
	for i, c := range rows {
		options = append(options, c.Name)
		if c.ID == keep {
			index = i + 1
		}
	}
	if !slices.Equal(p.store.Options, options) || index != chosen {
		p.store.Options = options
		p.store.SetSelectedIndex(index) // reads the figures again when a period is chosen
	}
	p.money.open() // last month, the first time
}

// selectedIDs are the connections the filter keeps: every one, or one.
func (p *allStoresPage) selectedIDs() []string {
	if i := p.store.SelectedIndex(); i > 0 && i-1 < len(p.rows) {
		return []string{p.rows[i-1].ID}
	}
	ids := make([]string, len(p.rows))
	for i, c := range p.rows {
		ids[i] = c.ID
	}
	return ids
}
