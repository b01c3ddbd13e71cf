package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"strconv"
)

// grab captures the window's area of the screen: xwd takes the whole
// screen (reliable for OpenGL windows, which xwd -id may miss), xwdtopnm
// turns it into a PPM, and the window's rectangle is cut out of it.
func grab(ctx context.Context, w window) (*image.RGBA, error) {
	xwd := exec.CommandContext(ctx, "xwd", "-root", "-silent")
	xwd.Env = append(os.Environ(), "DISPLAY="+w.display)
	conv := exec.CommandContext(ctx, "xwdtopnm")
	var stderr bytes.Buffer
	xwd.Stderr, conv.Stderr = &stderr, &stderr
	pipe, err := xwd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	conv.Stdin = pipe
	var ppm bytes.Buffer
	conv.Stdout = &ppm
	if err := xwd.Start(); err != nil {
		return nil, fmt.Errorf("xwd: %w", err)
	}
	if err := conv.Start(); err != nil {
		_ = xwd.Process.Kill()
		_ = xwd.Wait()
		return nil, fmt.Errorf("xwdtopnm: %w", err)
	}
	errConv := conv.Wait()
	errXwd := xwd.Wait()
	if err := errors.Join(errXwd, errConv); err != nil {
		return nil, fmt.Errorf("capturing the screen (xwd | xwdtopnm): %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	screen, err := decodePPM(&ppm)
	if err != nil {
		return nil, fmt.Errorf("reading xwdtopnm's picture: %w", err)
	}
	r := image.Rect(w.x, w.y, w.x+w.w, w.y+w.h)
	if !r.In(screen.Bounds()) {
		return nil, fmt.Errorf("the window %v is not inside the screen %v", r, screen.Bounds())
	}
	img := image.NewRGBA(image.Rect(0, 0, w.w, w.h))
	for y := 0; y < w.h; y++ {
		src := screen.PixOffset(w.x, w.y+y)
		copy(img.Pix[y*img.Stride:y*img.Stride+4*w.w], screen.Pix[src:src+4*w.w])
	}
	return img, nil
}

// decodePPM reads a binary PPM (P6), 8- or 16-bit samples (xwdtopnm
// writes 16-bit ones for some visuals).
func decodePPM(r io.Reader) (*image.RGBA, error) {
	br := bufio.NewReader(r)
	var fields [4]string
	for i := range fields {
		f, err := ppmToken(br)
		if err != nil {
			return nil, err
		}
		fields[i] = f
	}
	if fields[0] != "P6" {
		return nil, fmt.Errorf("not a binary PPM (starts with %q)", fields[0])
	}
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	if err := errors.Join(err1, err2); err != nil || w <= 0 || h <= 0 || w > 1<<14 || h > 1<<14 {
		return nil, fmt.Errorf("bad PPM size %s×%s", fields[1], fields[2])
	}
	maxval, err := strconv.Atoi(fields[3])
	if err != nil || maxval <= 0 || maxval > 65535 {
		return nil, fmt.Errorf("bad PPM maxval %q", fields[3])
	}
	size := 1 // bytes per sample: two, big-endian, above 255 levels
	if maxval > 255 {
		size = 2
	}
	raw := make([]byte, 3*size*w*h)
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("PPM pixels: %w", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i, j := 0, 0; i < len(raw); i, j = i+3*size, j+4 {
		for c := 0; c < 3; c++ {
			v := int(raw[i+c*size])
			if size == 2 {
				v = v<<8 | int(raw[i+c*size+1])
			}
			img.Pix[j+c] = uint8((v*255 + maxval/2) / maxval)
		}
		img.Pix[j+3] = 0xff
	}
	return img, nil
}

// ppmToken reads one header token, skipping whitespace and # comments, and
// the single whitespace byte after it.
func ppmToken(br *bufio.Reader) (string, error) {
	var tok []byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			return "", fmt.Errorf("PPM header: %w", err)
		}
		switch {
		case c == '#' && len(tok) == 0:
			if _, err := br.ReadString('\n'); err != nil {
				return "", fmt.Errorf("PPM header: %w", err)
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if len(tok) > 0 {
				return string(tok), nil
			}
		default:
			tok = append(tok, c)
		}
	}
}

// singleColour reports whether every pixel of img is the same colour: a
// blank window, not a picture.
func singleColour(img *image.RGBA) bool {
	first := img.Pix[:4]
	for i := 4; i < len(img.Pix); i += 4 {
		if !bytes.Equal(img.Pix[i:i+4], first) {
			return false
		}
	}
	return true
}

// samePicture reports whether two captures are pixel for pixel equal.
func samePicture(a, b *image.RGBA) bool {
	return a != nil && b != nil && a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
}

// writePNG saves img as a PNG file.
func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
