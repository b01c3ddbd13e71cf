package ui

import (
	"bytes"

	"fyne.io/fyne/v2"

	"github.com/ledgerline/ledgerline/assets"
)

// stripeLogo is the Stripe mark in Stripe's purple. The bundled SVG is a
// bare black path, so the fill is set here rather than keeping two files.
var stripeLogo = fyne.NewStaticResource("stripe.svg",
	bytes.Replace(assets.StripeLogoSVG, []byte("<path "), []byte(`<path fill="#635BFF" `), 1))

// AppIcon is Ledgerline's application icon.
var AppIcon = fyne.NewStaticResource("Icon.png", assets.AppIconPNG)
