package main

import (
	"bytes"
	"image"
	"strings"
	"testing"
)

func TestDecodePPM(t *testing.T) {
	t.Run("reads an 8-bit picture with a comment in its header", func(t *testing.T) {
		in := append([]byte("P6\n# from xwdtopnm\n2 1\n255\n"), 10, 20, 30, 200, 210, 220)
		img, err := decodePPM(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds() != image.Rect(0, 0, 2, 1) {
			t.Fatalf("bounds %v", img.Bounds())
		}
		want := []byte{10, 20, 30, 255, 200, 210, 220, 255}
		if !bytes.Equal(img.Pix, want) {
			t.Fatalf("pixels %v, want %v", img.Pix, want)
		}
	})
	t.Run("scales 16-bit samples down to 8 bits", func(t *testing.T) {
		in := append([]byte("P6 1 1 65535\n"), 0xff, 0xff, 0x80, 0x80, 0x00, 0x00)
		img, err := decodePPM(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if want := []byte{255, 128, 0, 255}; !bytes.Equal(img.Pix, want) {
			t.Fatalf("pixels %v, want %v", img.Pix, want)
		}
	})
	t.Run("refuses a text PPM and a short one", func(t *testing.T) {
		if _, err := decodePPM(strings.NewReader("P3\n1 1\n255\n1 2 3\n")); err == nil {
			t.Fatal("a P3 file was accepted")
		}
		if _, err := decodePPM(strings.NewReader("P6\n2 2\n255\n\x01\x02")); err == nil {
			t.Fatal("a truncated file was accepted")
		}
	})
}

func TestPictureChecks(t *testing.T) {
	blank := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for i := range blank.Pix {
		blank.Pix[i] = 0xee
	}
	drawn := image.NewRGBA(blank.Rect)
	copy(drawn.Pix, blank.Pix)
	drawn.Pix[len(drawn.Pix)-2] = 0 // one pixel of another colour
	t.Run("a one-colour window is blank, one other pixel is not", func(t *testing.T) {
		if !singleColour(blank) {
			t.Fatal("a one-colour picture was not called blank")
		}
		if singleColour(drawn) {
			t.Fatal("a picture with two colours was called blank")
		}
	})
	t.Run("tells equal pictures from different ones", func(t *testing.T) {
		if !samePicture(blank, blank) || samePicture(blank, drawn) || samePicture(nil, blank) {
			t.Fatal("samePicture got it wrong")
		}
	})
}
