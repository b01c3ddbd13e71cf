package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// addSourcePage shows one tile per kind of data source. Stripe is the one
// Ledgerline supports; the others say plainly that they are not there yet.
type addSourcePage struct {
	root   fyne.CanvasObject
	stripe *tile
}

func newAddSourcePage(u *UI) *addSourcePage {
	p := &addSourcePage{}
	logo := canvas.NewImageFromResource(stripeLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(44))
	p.stripe = newTile("Stripe", logo, u.showStripe)

	tiles := []fyne.CanvasObject{p.stripe}
	for _, name := range []string{"PayPal", "Shopify", "CSV file"} {
		icon := widget.NewIcon(theme.NewDisabledResource(theme.StorageIcon()))
		tiles = append(tiles, newTile(name+" — coming later", container.NewGridWrap(fyne.NewSquareSize(44), icon), nil))
	}
	intro := widget.NewLabel("Choose where your payment and invoice data comes from.")
	p.root = container.NewVBox(
		breadcrumb(crumb{"Connections", u.showConnections}, crumb{"Add a Data Source", nil}),
		heading("Add a Data Source"),
		intro,
		container.NewGridWrap(fyne.NewSize(190, 124), tiles...),
	)
	return p
}

// crumb is one step of a breadcrumb; a nil action marks the current page.
type crumb struct {
	title string
	open  func()
}

// breadcrumb renders "Connections › Add a Data Source › Stripe" with every
// step but the last as a link.
func breadcrumb(steps ...crumb) fyne.CanvasObject {
	row := container.NewHBox()
	for i, s := range steps {
		if i > 0 {
			row.Add(widget.NewLabel("›"))
		}
		if s.open == nil {
			row.Add(widget.NewLabel(s.title))
			continue
		}
		link := widget.NewButton(s.title, s.open)
		link.Importance = widget.LowImportance
		row.Add(link)
	}
	return row
}
