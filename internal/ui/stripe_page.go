package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// signIn is the Connect with Stripe run in progress, if any. The shell
// keeps it, so the sign-in goes on while the owner looks at other pages
// (or switches the language), and the Stripe page shows it when rebuilt.
type signIn struct {
	stop context.CancelFunc // nil when no sign-in runs
	page *stripePage        // the Stripe page on show, to update when it ends
	link string             // the run's authorization address, once it has one
}

// stripePage explains what Ledgerline asks Stripe for and starts the
// sign-in. While the person is in the browser it shows a waiting line with
// a Cancel button; the Connect button stays disabled so only one sign-in
// runs at a time.
type stripePage struct {
	basePage
	sh      Shell
	run     *signIn
	root    fyne.CanvasObject
	connect *widget.Button
	cancel  *widget.Button
	waiting *fyne.Container
	link    *linkRow // "Browser didn't open? Copy the link", under waiting
	// unavailable explains, in place of the button, why Connect with
	// Stripe can't run on this computer; nil when it can.
	unavailable *widget.Label
	useKey      *widget.Button
	keyDialog   *apiKeyDialog // open while the person pastes a key
}

func newStripePage(sh Shell, run *signIn) *stripePage {
	p := &stripePage{sh: sh, run: run}
	p.connect = widget.NewButton(i18n.T("stripe.connect"), p.start)
	p.connect.Importance = widget.HighImportance
	p.cancel = widget.NewButton(i18n.T("stripe.cancel"), p.abort)
	p.cancel.Importance = widget.LowImportance
	spin := widget.NewActivity()
	spin.Start()
	p.waiting = container.NewHBox(spin, widget.NewLabel(i18n.T("stripe.waiting")), p.cancel)
	p.waiting.Hide()
	p.link = newLinkRow()

	logo := canvas.NewImageFromResource(stripeLogo)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(32))
	title := container.NewHBox(logo, heading(i18n.T("stripe.title")))

	intro := widget.NewRichTextFromMarkdown(i18n.T("stripe.read_only_markdown"))
	intro.Wrapping = fyne.TextWrapWord

	p.useKey = widget.NewButton(i18n.T("stripe.use_key"), p.askForKey)
	actions := fyne.CanvasObject(container.NewHBox(p.connect, p.useKey))
	if !sh.Services().Connector.CanSignIn() {
		// Never a dead button: say why Connect with Stripe can't run here,
		// and offer the route that can.
		p.unavailable = wrapped(i18n.T("stripe.no_broker"))
		p.unavailable.Importance = widget.WarningImportance
		actions = container.NewVBox(p.unavailable, container.NewHBox(p.useKey))
	}
	card := widget.NewCard("", "", container.NewVBox(intro, actions, p.waiting, p.link.box))
	p.root = container.NewVBox(title, container.New(maxWidth{680}, card))
	p.showRunning(run.stop != nil)
	return p
}

func (p *stripePage) Route() string              { return routeStripe }
func (p *stripePage) Content() fyne.CanvasObject { return p.root }
func (p *stripePage) Crumbs() []Crumb {
	return []Crumb{{i18n.T("connections.title"), routeConnections}, {i18n.T("add_source.title"), routeAddSource}, {"Stripe", ""}}
}

// Shown and Closed tell a sign-in in progress which page to update.
func (p *stripePage) Shown() { p.run.page = p }
func (p *stripePage) Closed() {
	if p.run.page == p {
		p.run.page = nil
	}
}

// showRunning shows the waiting line (and disables Connect) while a
// sign-in runs.
func (p *stripePage) showRunning(on bool) {
	defer p.showLink()
	if on {
		p.connect.Disable()
		p.waiting.Show()
		return
	}
	p.connect.Enable()
	p.waiting.Hide()
}

// start runs the sign-in off the UI goroutine.
func (p *stripePage) start() {
	if p.run.stop != nil {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	run, sh := p.run, p.sh
	run.stop, run.link = stop, ""
	p.showRunning(true)
	sh.ClearMessage()

	var conn domain.Connection
	var err error
	sh.Background(func() { conn, err = sh.Services().Connector.ConnectStripe(ctx) }, func() {
		stop()
		run.stop, run.link = nil, ""
		if run.page != nil {
			run.page.showRunning(false)
		}
		switch {
		case errors.Is(err, domain.ErrCanceled):
			sh.Say(bannerInfo, plain(i18n.T("stripe.canceled")))
		case err != nil:
			sh.ShowError(err)
		default:
			sh.Go(routeConnections)
			sh.Connected(conn, "")
		}
	})
}

// abort cancels a sign-in in progress.
func (p *stripePage) abort() {
	if p.run.stop != nil {
		p.run.stop()
	}
}

// askForKey opens the API-key dialog; a success lands on Connections.
func (p *stripePage) askForKey() {
	p.keyDialog = showAPIKeyDialog(p.sh, i18n.T("apikey.title.connect"), p.sh.Services().Connector.ConnectWithAPIKey,
		func(c domain.Connection, warning string) {
			p.sh.Go(routeConnections)
			p.sh.Connected(c, warning)
		})
}
