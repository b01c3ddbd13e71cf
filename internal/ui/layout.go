package ui

import "fyne.io/fyne/v2"

// maxWidth lays out its objects stacked at the top left, w wide (narrower
// only when the window is), each as tall as it needs at that width. Cards
// of wrapped text use it so they read like a column, not a banner.
type maxWidth struct{ w float32 }

func (m maxWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	s.Width = m.w
	return s
}

func (m maxWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := fyne.Min(size.Width, m.w)
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(w, fyne.Max(o.MinSize().Height, size.Height)))
	}
}
