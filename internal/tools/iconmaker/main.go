// Command iconmaker draws Ledgerline's 512×512 application icon: a rounded
// indigo square holding a ledger (three ruled lines) crossed by a rising
// line, anti-aliased with golang.org/x/image/vector. Run it from the
// repository root to rewrite Icon.png and assets/Icon.png:
//
//	go run ./internal/tools/iconmaker
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"

	"golang.org/x/image/vector"
)

const size = 512

func main() {
	var buf bytes.Buffer
	if err := png.Encode(&buf, drawIcon()); err != nil {
		fmt.Fprintln(os.Stderr, "iconmaker:", err)
		os.Exit(1)
	}
	for _, path := range []string{"Icon.png", "assets/Icon.png"} {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "iconmaker:", err)
			os.Exit(1)
		}
	}
}

func drawIcon() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	fill(img, roundedRect(24, 24, 488, 488, 96), color.RGBA{0x4b, 0x45, 0xd6, 0xff})
	// The ledger's ruled lines.
	for _, y := range []float32{318, 366, 414} {
		fill(img, roundedRect(104, y, 408, y+20, 10), color.RGBA{0xc9, 0xc6, 0xff, 0xff})
	}
	// A rising trend line with a dot at its end.
	strokePolyline(img, 14, [][2]float32{{104, 250}, {200, 190}, {280, 222}, {392, 118}}, color.White)
	fill(img, circle(392, 118, 30), color.RGBA{0x6e, 0xe7, 0xb7, 0xff})
	return img
}

// fill paints the rasterizer's shape onto img in colour c.
func fill(img *image.RGBA, r *vector.Rasterizer, c color.Color) {
	r.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{})
}

func roundedRect(x0, y0, x1, y1, rad float32) *vector.Rasterizer {
	const k = 0.5523 // control-point factor that makes cubic curves approximate a quarter circle
	r := vector.NewRasterizer(size, size)
	r.MoveTo(x0+rad, y0)
	r.LineTo(x1-rad, y0)
	r.CubeTo(x1-rad+rad*k, y0, x1, y0+rad-rad*k, x1, y0+rad)
	r.LineTo(x1, y1-rad)
	r.CubeTo(x1, y1-rad+rad*k, x1-rad+rad*k, y1, x1-rad, y1)
	r.LineTo(x0+rad, y1)
	r.CubeTo(x0+rad-rad*k, y1, x0, y1-rad+rad*k, x0, y1-rad)
	r.LineTo(x0, y0+rad)
	r.CubeTo(x0, y0+rad-rad*k, x0+rad-rad*k, y0, x0+rad, y0)
	r.ClosePath()
	return r
}

func circle(cx, cy, rad float32) *vector.Rasterizer {
	return roundedRect(cx-rad, cy-rad, cx+rad, cy+rad, rad)
}

// strokePolyline paints a polyline of half-width w with round joints.
func strokePolyline(img *image.RGBA, w float32, pts [][2]float32, c color.Color) {
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		dx, dy := b[0]-a[0], b[1]-a[1]
		n := float32(1 / math.Hypot(float64(dx), float64(dy)))
		px, py := -dy*n*w, dx*n*w
		r := vector.NewRasterizer(size, size)
		r.MoveTo(a[0]+px, a[1]+py)
		r.LineTo(b[0]+px, b[1]+py)
		r.LineTo(b[0]-px, b[1]-py)
		r.LineTo(a[0]-px, a[1]-py)
		r.ClosePath()
		fill(img, r, c)
	}
	for _, p := range pts {
		fill(img, circle(p[0], p[1], w), c)
	}
}
