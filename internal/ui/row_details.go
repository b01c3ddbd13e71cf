package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
)

// rowDetails is the dialog that shows every field of one object, as Stripe
// sent it: nested fields as "billing_details.address.city".
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
		if err != nil {
			t.sh.ShowError(err)
			return
		}
		t.details = newRowDetails(t.sh, singular(t.view.Title)+" "+id, id, fields)
	})
}

func newRowDetails(sh Shell, title, id string, fields []browse.Field) *rowDetails {
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
	copyID := widget.NewButtonWithIcon("Copy ID", theme.ContentCopyIcon(), func() {
		sh.Window().Clipboard().SetContent(id)
	})
	copyJSON := widget.NewButtonWithIcon("Copy all fields", theme.ContentCopyIcon(), func() {
		sh.Window().Clipboard().SetContent(fieldsText(d.fields))
	})
	count := widget.NewLabel(fmt.Sprintf("%d fields", len(fields)))
	body := container.NewBorder(container.NewHBox(copyID, copyJSON, count), nil, nil, nil, d.list)
	d.dialog = dialog.NewCustom(title, "Close", body, sh.Window())
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

// singular is "Payment" for "Payments".
func singular(title string) string {
	return strings.TrimSuffix(title, "s")
}
