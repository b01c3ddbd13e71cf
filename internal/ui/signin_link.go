package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// SignInLink shows the authorization address of the sign-in in progress
// ("Browser didn't open? Copy the link"), so a person whose browser did not
// open can still finish: under the Stripe page's waiting line for Connect
// with Stripe, in the waiting message at the top for a re-authentication.
// The window's OpenURL calls it, from any goroutine, before it asks for the
// browser.
func (u *UI) SignInLink(url string) {
	u.p.RunOnUI(func() {
		switch {
		case u.signIn.stop != nil:
			u.signIn.link = url
			if u.signIn.page != nil {
				u.signIn.page.showLink()
			}
		case u.reauthRunning:
			u.showReauthLink(url, false)
		}
	})
}

// showReauthLink is the re-authentication's waiting message with "Browser
// didn't open? Copy the link" after it; the link copies the address.
func (u *UI) showReauthLink(url string, copied bool) {
	label := i18n.T("signin.link.copy")
	if copied {
		label = i18n.T("signin.link.copied")
	}
	u.Say(bannerInfo,
		plain(i18n.T("reauth.waiting", i18n.Args{"Name": u.reauthName})+" "+i18n.T("signin.link.banner")+" "),
		&widget.HyperlinkSegment{Text: label, OnTapped: func() {
			fyne.CurrentApp().Clipboard().SetContent(url)
			if u.reauthRunning {
				u.showReauthLink(url, true)
			}
		}})
}

// linkRow is the Stripe page's "Browser didn't open?" line: the words,
// the address in a read-only field that can be selected, and a button
// that copies it.
type linkRow struct {
	box  *fyne.Container
	url  *widget.Entry
	copy *widget.Button
}

func newLinkRow() *linkRow {
	r := &linkRow{url: widget.NewEntry()}
	r.url.Disable() // selectable and copyable, not editable
	r.copy = widget.NewButton(i18n.T("signin.link.copy"), func() {
		fyne.CurrentApp().Clipboard().SetContent(r.url.Text) // the app's: Window.Clipboard is deprecated
		r.copy.SetText(i18n.T("signin.link.copied"))
	})
	r.copy.Importance = widget.LowImportance
	r.box = container.NewVBox(wrapped(i18n.T("signin.link.prompt")), container.NewBorder(nil, nil, nil, r.copy, r.url))
	r.box.Hide()
	return r
}

// showLink shows the sign-in's address while one runs and has one.
func (p *stripePage) showLink() {
	if p.run.stop == nil || p.run.link == "" {
		p.link.box.Hide()
		return
	}
	if p.link.url.Text != p.run.link {
		p.link.url.SetText(p.run.link)
		p.link.copy.SetText(i18n.T("signin.link.copy"))
	}
	p.link.box.Show()
}
