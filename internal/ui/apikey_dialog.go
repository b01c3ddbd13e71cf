package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// apiKeyHelp tells the owner which key to make and where.
const apiKeyHelp = `Ledgerline can read your account with a **restricted API key** instead of signing in.

1. In Stripe's dashboard, open **Developers › API keys**.
2. Click **Create restricted key**, choose **Read** for the data you want in Ledgerline, and create it.
3. Copy the key (it starts with rk_live_, or rk_test_ in test mode) and paste it here.

The key is checked with Stripe and kept only in your system keychain.`

// apiKeyDialog asks for a key, checks it with Stripe through submit, and
// keeps itself open with the reason when the key is refused. Its methods
// run on the UI goroutine.
type apiKeyDialog struct {
	ui      *UI
	dlg     *dialog.CustomDialog
	entry   *widget.Entry
	problem *widget.Label
	submit  *widget.Button
	cancel  *widget.Button
	run     func(ctx context.Context, key string) (domain.Connection, string, error)
	done    func(c domain.Connection, warning string)
	stop    context.CancelFunc
}

// showAPIKeyDialog opens the dialog. run does the work off the UI
// goroutine; done runs on the UI goroutine after a success.
func (u *UI) showAPIKeyDialog(title string, run func(ctx context.Context, key string) (domain.Connection, string, error),
	done func(c domain.Connection, warning string)) *apiKeyDialog {
	d := &apiKeyDialog{ui: u, run: run, done: done}
	help := widget.NewRichTextFromMarkdown(apiKeyHelp)
	help.Wrapping = fyne.TextWrapWord
	d.entry = widget.NewPasswordEntry()
	d.entry.SetPlaceHolder("rk_live_…")
	d.entry.OnSubmitted = func(string) { d.start() }
	d.problem = wrapped("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Hide()
	d.submit = widget.NewButton("Connect", d.start)
	d.submit.Importance = widget.HighImportance
	d.cancel = widget.NewButton("Cancel", d.close)
	d.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(help, d.entry, d.problem), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.submit})
	d.dlg.Resize(fyne.NewSize(560, 420))
	d.dlg.Show()
	u.win.Canvas().Focus(d.entry)
	return d
}

func (d *apiKeyDialog) start() {
	if d.stop != nil {
		return
	}
	key := d.entry.Text
	ctx, stop := context.WithCancel(context.Background())
	d.stop = stop
	d.submit.Disable()
	d.entry.Disable()
	d.problem.Hide()
	var conn domain.Connection
	var warning string
	var err error
	d.ui.background(func() { conn, warning, err = d.run(ctx, key) }, func() {
		stop()
		d.stop = nil
		d.submit.Enable()
		d.entry.Enable()
		if err != nil {
			d.problem.SetText(err.Error())
			d.problem.Show()
			return
		}
		d.entry.SetText("") // don't keep the key in a widget longer than needed
		d.dlg.Hide()
		d.done(conn, warning)
	})
}

func (d *apiKeyDialog) close() {
	if d.stop != nil {
		d.stop()
	}
	d.entry.SetText("")
	d.dlg.Hide()
}
