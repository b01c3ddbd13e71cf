package wintest

import (
	"image"
	"image/color"
	"testing"
)

// picture is a w×h picture in one colour with the given pixels painted.
func picture(w, h int, bg color.RGBA, paint map[image.Point]color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, bg)
		}
	}
	for p, c := range paint {
		img.SetRGBA(p.X, p.Y, c)
	}
	return img
}

func TestPictureStatsByHand(t *testing.T) {
	white := color.RGBA{255, 255, 255, 255}
	blank := PictureStats(picture(10, 10, white, nil))
	if blank.Colours != 1 || blank.CommonestPart != 1 {
		t.Errorf("a blank 10×10 picture: %+v, want 1 colour covering all", blank)
	}
	// 100 pixels: 3 painted red, 2 blue → white covers 95 of them.
	red, blue := color.RGBA{200, 0, 0, 255}, color.RGBA{0, 0, 200, 255}
	s := PictureStats(picture(10, 10, white, map[image.Point]color.RGBA{{0, 0}: red, {1, 0}: red, {2, 0}: red, {0, 1}: blue, {1, 1}: blue}))
	if s.Colours != 3 || s.CommonestPart != 0.95 {
		t.Errorf("got %+v, want 3 colours, commonest 0.95", s)
	}
}

func TestDifferenceByHand(t *testing.T) {
	white := color.RGBA{255, 255, 255, 255}
	a := picture(4, 5, white, nil)
	// Of 20 pixels: one 100 levels darker in green (counts at tolerance
	// 48), one 40 darker in every channel (within it).
	b := picture(4, 5, white, map[image.Point]color.RGBA{{0, 0}: {255, 155, 255, 255}, {3, 4}: {215, 215, 215, 255}})
	if got := Difference(a, b, 48); got != 1.0/20 {
		t.Errorf("Difference at tolerance 48 = %v, want 1/20", got)
	}
	if got := Difference(a, b, 0); got != 2.0/20 {
		t.Errorf("Difference at tolerance 0 = %v, want 2/20", got)
	}
	if got := Difference(a, picture(5, 4, white, nil), 48); got != 1 {
		t.Errorf("pictures of different sizes: %v, want 1", got)
	}
}
