package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/browse"
	"github.com/ledgerline/ledgerline/internal/csvsafe"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// chooseExportFile asks where to save the tab's current view as CSV. The
// file's columns are internal/browse's stable English keys in every
// language (see browse.Export); only the window's words are translated.
func (t *dataTab) chooseExportFile() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.sh.Say(bannerError, plain(i18n.T("data.export.open_error", i18n.Args{"Reason": errorText(err)})))
			return
		}
		if w == nil {
			return // the person canceled
		}
		out, err := exportFile(w)
		if err != nil {
			t.sh.Say(bannerError, plain(i18n.T("data.export.open_error", i18n.Args{"Reason": errorText(err)})))
			return
		}
		t.exportTo(out, w.URI().Name())
	}, t.sh.Window())
	d.SetFileName(exportFileName(t.view.Name, t.sh.Now()))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
	d.Resize(fyne.NewSize(860, 560)) // only once shown: a file dialog builds itself in Show
}

// exportFile is where an export chosen in the save dialog is written. A
// local file is opened again through csvsafe.Create, so it is 0600 whether
// new or overwritten (Fyne creates it 0644 and keeps an existing file's
// mode); nothing has been written to it yet. Other places (a document
// provider) are written through w as they are.
func exportFile(w fyne.URIWriteCloser) (io.WriteCloser, error) {
	if w.URI().Scheme() != "file" {
		return w, nil
	}
	_ = w.Close()
	return csvsafe.Create(w.URI().Path())
}

// exportFileName is the name Export CSV… suggests: "payments-2026-11-26.csv".
// It stays ASCII with an ISO 8601 date in every language, so the files
// sort by date and travel between systems; it is a name, not a date shown
// to be read, which localefmt writes.
func exportFileName(view string, now time.Time) string {
	return fmt.Sprintf("%s-%s.csv", view, now.Format(time.DateOnly))
}

// exportTo writes the current view (search, filters and order as shown)
// to w in the background, closes it, and says how it went at the top of
// the window.
func (t *dataTab) exportTo(w io.WriteCloser, name string) {
	q := t.q
	t.export.Disable()
	var n int
	var err error
	t.sh.Background(func() {
		n, err = t.sh.Services().Browse.Export(context.Background(), q, w)
		if cerr := w.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}, func() {
		t.export.Enable()
		if errors.As(err, new(*browse.SortLimitError)) {
			t.showError("read_error", err) // in the view's words: narrow the rows first
			return
		}
		if err != nil {
			t.sh.Say(bannerError, withBoldName("data.export.failed", name, i18n.Args{"Reason": errorText(err)})...)
			return
		}
		t.sh.Say(bannerSuccess, withBoldNameN("data."+t.view.Name+".exported", n, t.f.Number(int64(n)), name)...)
	})
}

// withBoldNameN is withBoldName (banner.go) for a plural message: key's
// form for count, with {{.Count}} as countText and {{.Name}} in bold.
func withBoldNameN(key string, count int, countText, name string) []widget.RichTextSegment {
	const mark = "\x00"
	var out []widget.RichTextSegment
	for i, part := range strings.Split(i18n.N(key, count, i18n.Args{"Count": countText, "Name": mark}), mark) {
		if i > 0 {
			out = append(out, bold(name))
		}
		if part != "" {
			out = append(out, plain(part))
		}
	}
	return out
}
