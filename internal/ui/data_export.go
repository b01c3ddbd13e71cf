package ui

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"github.com/dustin/go-humanize"
)

// chooseExportFile asks where to save the tab's current view as CSV.
func (t *dataTab) chooseExportFile() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			t.sh.ShowError(fmt.Errorf("The file could not be opened: %w", err))
			return
		}
		if w == nil {
			return // the person canceled
		}
		t.exportTo(w, w.URI().Name())
	}, t.sh.Window())
	d.SetFileName(fmt.Sprintf("%s-%s.csv", t.view.Name, t.sh.Now().Format("2006-01-02")))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
	d.Resize(fyne.NewSize(860, 560)) // only once shown: a file dialog builds itself in Show
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
		if err != nil {
			t.sh.ShowError(fmt.Errorf("The export to %s stopped: %w", name, err))
			return
		}
		noun := t.noun
		if n == 1 {
			noun = singular(t.noun)
		}
		t.sh.Say(bannerSuccess, plain(fmt.Sprintf("Exported %s %s to ", humanize.Comma(int64(n)), noun)), bold(name), plain("."))
	})
}
