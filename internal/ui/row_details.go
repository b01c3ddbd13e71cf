package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// rowDetails is the dialog that shows every field of one object, as Stripe
// sent it: nested fields as "billing_details.address.city". The paths and
// values are Stripe's, untranslated (they are what a person copies into a
// support ticket or a script); the dialog's own words are the catalog's.
type rowDetails struct {
	dialog dialog.Dialog
	fields []browse.Field
	list   *widget.List
}

// showDetails reads the object's fields off the UI goroutine and opens them.
func (t *dataTab) showDetails(id string) {
	var fields []browse.Field
	var err error
	t.sh.Background(func() {
		fields, err = t.sh.Services().Browse.Object(context.Background(), t.view.Name, t.connID, id)
	}, func() {
		args := i18n.Args{"ID": id}
		switch {
		case errors.Is(err, domain.ErrNotFound):
			t.sh.Say(bannerError, plain(i18n.T("data.details.not_found", args)))
			return
		case err != nil:
			args["Reason"] = errorText(err)
			t.sh.Say(bannerError, plain(i18n.T("data.details.read_error", args)))
			return
		}
		t.details = newRowDetails(t.sh, t.f, t.words("details_title", args), id, fields)
	})
}

func newRowDetails(sh Shell, f *localefmt.Formatter, title, id string, fields []browse.Field) *rowDetails {
	d := &rowDetails{fields: fields}
	d.list = widget.NewList(
		func() int { return len(d.fields) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			value := widget.NewLabel("")
			value.Truncation = fyne.TextTruncateEllipsis
			return container.New(twoColumns{0.42}, name, value)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(d.fields[i].Path)
			c.Objects[1].(*widget.Label).SetText(oneLine(d.fields[i].Value))
		},
	)
	copyID := widget.NewButtonWithIcon(i18n.T("data.details.copy_id"), theme.ContentCopyIcon(), func() {
		sh.Window().Clipboard().SetContent(id)
	})
	copyJSON := widget.NewButtonWithIcon(i18n.T("data.details.copy_all"), theme.ContentCopyIcon(), func() {
		sh.Window().Clipboard().SetContent(fieldsText(d.fields))
	})
	count := widget.NewLabel(i18n.N("data.details.fields", len(fields), i18n.Args{"Count": f.Number(int64(len(fields)))}))
	body := container.NewBorder(container.NewHBox(copyID, copyJSON, count), nil, nil, nil, d.list)
	d.dialog = dialog.NewCustom(title, i18n.T("data.details.close"), body, sh.Window())
	d.dialog.Show()
	d.dialog.Resize(fyne.NewSize(760, 560))
	return d
}

// fieldsText is the fields as "path: value" lines, for the clipboard.
func fieldsText(fields []browse.Field) string {
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "%s: %s\n", f.Path, f.Value)
	}
	return b.String()
}

func oneLine(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "\n", " ")
}
