package wintest

import "image"

// Stats describe a picture: how many distinct colours it has and what share
// of its pixels the commonest colour covers (1 for a blank window).
type Stats struct {
	Colours       int
	CommonestPart float64
}

// PictureStats counts img's colours.
func PictureStats(img *image.RGBA) Stats {
	seen := map[[3]uint8]int{}
	for i := 0; i+3 < len(img.Pix); i += 4 {
		seen[[3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}]++
	}
	most := 0
	for _, n := range seen {
		most = max(most, n)
	}
	px := len(img.Pix) / 4
	if px == 0 {
		return Stats{}
	}
	return Stats{Colours: len(seen), CommonestPart: float64(most) / float64(px)}
}

// Difference compares two pictures of the same size pixel by pixel: the
// share of pixels whose brightest channel differs by more than tolerance
// (0–255) levels. Pictures of different sizes differ wholly (1).
func Difference(a, b *image.RGBA, tolerance int) float64 {
	if a.Bounds().Size() != b.Bounds().Size() || len(a.Pix) == 0 {
		return 1
	}
	differ := 0
	for i := 0; i+3 < len(a.Pix); i += 4 {
		d := 0
		for c := 0; c < 3; c++ {
			d = max(d, abs(int(a.Pix[i+c])-int(b.Pix[i+c])))
		}
		if d > tolerance {
			differ++
		}
	}
	return float64(differ) / float64(len(a.Pix)/4)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
