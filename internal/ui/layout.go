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

// fixedWidth lays its objects out w wide and as tall as they need: a
// search box that neither shrinks to nothing nor takes the whole bar.
type fixedWidth struct{ w float32 }

func (f fixedWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	s.Width = f.w
	return s
}

func (f fixedWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) { fill(objects, size) }

// twoColumns puts its first object in the left share of the width and its
// second in the rest: a field's name and its value.
type twoColumns struct{ share float32 }

func (c twoColumns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s = fyne.NewSize(s.Width+m.Width, fyne.Max(s.Height, m.Height))
	}
	return s
}

func (c twoColumns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	left := size.Width * c.share
	if len(objects) > 0 {
		objects[0].Move(fyne.NewPos(0, 0))
		objects[0].Resize(fyne.NewSize(left, size.Height))
	}
	if len(objects) > 1 {
		objects[1].Move(fyne.NewPos(left, 0))
		objects[1].Resize(fyne.NewSize(size.Width-left, size.Height))
	}
}

// atLeast lays its objects out over all the space it gets, and asks for
// min: a chart that fills the window's width but never forces it wider.
type atLeast struct{ min fyne.Size }

func (a atLeast) MinSize([]fyne.CanvasObject) fyne.Size { return a.min }

func (a atLeast) Layout(objects []fyne.CanvasObject, size fyne.Size) { fill(objects, size) }

// fill lays every object over the whole of size.
func fill(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
