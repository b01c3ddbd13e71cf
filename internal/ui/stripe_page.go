package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// stripePage explains what Ledgerline asks Stripe for and starts the
// sign-in. While the person is in the browser it shows a waiting line with
// a Cancel button; the Connect button stays disabled so only one sign-in
// runs at a time.
type stripePage struct {
	ui      *UI
	root    fyne.CanvasObject
	connect *widget.Button
	cancel  *widget.Button
	waiting *fyne.Container
	stop    context.CancelFunc
	// unavailable explains, in place of the button, why Connect with
	// Stripe can't run on this computer; nil when it can.
	unavailable *widget.Label
	useKey      *widget.Button
	keyDialog   *apiKeyDialog // open while the person pastes a key
}

// noBrokerText is shown when no sign-in service is configured.
const noBrokerText = "Connect with Stripe needs Ledgerline's sign-in service, and none is set up on this computer. " +
	"Ask whoever gave you Ledgerline for its address and start Ledgerline with LEDGERLINE_BROKER_URL set to it, " +
	"or connect with a restricted API key instead."

// readOnlyMarkdown tells the person what the access lets Ledgerline read.
const readOnlyMarkdown = `**Ledgerline will ask Stripe for read-only access to:**

- payments, refunds, disputes and payouts
- invoices, subscriptions, plans and coupons
- customers, products and prices

Your browser opens Stripe's sign-in page. You need Administrator access to the Stripe account.
Tokens are kept in your system keychain, never in files.`

func newStripePage(u *UI) *stripePage {
	p := &stripePage{ui: u}
	p.connect = widget.NewButton("Connect with Stripe", p.start)
	p.connect.Importance = widget.HighImportance
	p.cancel = widget.NewButton("Cancel", p.abort)
	p.cancel.Importance = widget.LowImportance
	spin := widget.NewActivity()
	spin.Start()
	p.waiting = container.NewHBox(spin, widget.NewLabel("Waiting for Stripe in your browser…"), p.cancel)
	p.waiting.Hide()

	logo := canvas.NewImageFromResource(stripeLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(32))
	title := container.NewHBox(logo, heading("Stripe authorization"))

	intro := widget.NewRichTextFromMarkdown(readOnlyMarkdown)
	intro.Wrapping = fyne.TextWrapWord

	p.useKey = widget.NewButton("Use an API key instead", p.askForKey)
	actions := fyne.CanvasObject(container.NewHBox(p.connect, p.useKey))
	if !u.p.Connector.CanSignIn() {
		// Never a dead button: say why Connect with Stripe can't run here,
		// and offer the route that can.
		p.unavailable = wrapped(noBrokerText)
		p.unavailable.Importance = widget.WarningImportance
		actions = container.NewVBox(p.unavailable, container.NewHBox(p.useKey))
	}
	card := widget.NewCard("", "", container.NewVBox(intro, actions, p.waiting))
	p.root = container.NewVBox(
		breadcrumb(crumb{"Connections", u.showConnections}, crumb{"Add a Data Source", u.showAddSource}, crumb{"Stripe", nil}),
		title,
		container.New(maxWidth{680}, card),
	)
	return p
}

// start runs the sign-in off the UI goroutine.
func (p *stripePage) start() {
	if p.stop != nil {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	p.stop = stop
	p.connect.Disable()
	p.waiting.Show()
	p.ui.banner.Hide()

	var conn domain.Connection
	var err error
	p.ui.background(func() { conn, err = p.ui.p.Connector.ConnectStripe(ctx) }, func() {
		stop()
		p.stop = nil
		p.connect.Enable()
		p.waiting.Hide()
		switch {
		case errors.Is(err, domain.ErrCanceled):
			p.ui.banner.Show(bannerInfo, plain("Sign-in canceled. Nothing was connected."))
		case err != nil:
			p.ui.showError(err)
		default:
			p.ui.showConnections()
			p.ui.showConnected(conn, "")
		}
	})
}

// abort cancels a sign-in in progress.
func (p *stripePage) abort() {
	if p.stop != nil {
		p.stop()
	}
}

// askForKey opens the API-key dialog; a success lands on Connections.
func (p *stripePage) askForKey() {
	p.keyDialog = p.ui.showAPIKeyDialog("Connect with an API key", p.ui.p.Connector.ConnectWithAPIKey,
		func(c domain.Connection, warning string) {
			p.ui.showConnections()
			p.ui.showConnected(c, warning)
		})
}
