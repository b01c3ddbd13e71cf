package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// apiKeyDialog asks for a key, checks it with Stripe through submit, and
// keeps itself open with the reason when the key is refused. Its methods
// run on the UI goroutine.
type apiKeyDialog struct {
	sh      Shell
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
func showAPIKeyDialog(sh Shell, title string, run func(ctx context.Context, key string) (domain.Connection, string, error),
	done func(c domain.Connection, warning string)) *apiKeyDialog {
	d := &apiKeyDialog{sh: sh, run: run, done: done}
	help := widget.NewRichTextFromMarkdown(i18n.T("apikey.help_markdown"))
	help.Wrapping = fyne.TextWrapWord
	d.entry = widget.NewPasswordEntry()
	d.entry.SetPlaceHolder(i18n.T("apikey.placeholder"))
	d.entry.OnSubmitted = func(string) { d.start() }
	d.problem = wrapped("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Hide()
	d.submit = widget.NewButton(i18n.T("apikey.connect"), d.start)
	d.submit.Importance = widget.HighImportance
	d.cancel = widget.NewButton(i18n.T("apikey.cancel"), d.close)
	d.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(help, d.entry, d.problem), sh.Window())
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.submit})
	d.dlg.Resize(fyne.NewSize(560, 420))
	d.dlg.Show()
	sh.Window().Canvas().Focus(d.entry)
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
	d.sh.Background(func() { conn, warning, err = d.run(ctx, key) }, func() {
		stop()
		d.stop = nil
		d.submit.Enable()
		d.entry.Enable()
		if err != nil {
			d.problem.SetText(errorText(err))
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
