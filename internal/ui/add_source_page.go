package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// addSourcePage shows one tile per kind of data source. Stripe is the one
// Ledgerline supports; the others say plainly that they are not there yet.
type addSourcePage struct {
	basePage
	root   fyne.CanvasObject
	stripe *tile
}

func newAddSourcePage(sh Shell) *addSourcePage {
	p := &addSourcePage{}
	logo := canvas.NewImageFromResource(stripeLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(44))
	p.stripe = newTile("Stripe", logo, func() { sh.Go(routeStripe) })

	tiles := []fyne.CanvasObject{p.stripe}
	for _, name := range []string{"PayPal", "Shopify", i18n.T("add_source.csv_file")} {
		icon := widget.NewIcon(theme.NewDisabledResource(theme.StorageIcon()))
		tiles = append(tiles, newTile(i18n.T("add_source.later", i18n.Args{"Name": name}), container.NewGridWrap(fyne.NewSquareSize(44), icon), nil))
	}
	p.root = container.NewVBox(
		heading(i18n.T("add_source.title")),
		widget.NewLabel(i18n.T("add_source.intro")),
		container.NewGridWrap(fyne.NewSize(190, 124), tiles...),
	)
	return p
}

func (p *addSourcePage) Route() string              { return routeAddSource }
func (p *addSourcePage) Content() fyne.CanvasObject { return p.root }
func (p *addSourcePage) Crumbs() []Crumb {
	return []Crumb{{i18n.T("connections.title"), routeConnections}, {i18n.T("add_source.title"), ""}}
}
