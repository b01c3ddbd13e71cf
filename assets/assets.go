// Package assets holds the images Ledgerline bundles into its binary.
// It has no UI-toolkit dependency: it only hands out bytes.
package assets

import _ "embed"

// StripeLogoSVG is Stripe's "S" mark from the simple-icons project
// (version 16.37.0, CC0 1.0), a single black path on a 24×24 view box.
//
//go:embed stripe.svg
var StripeLogoSVG []byte

// AppIconPNG is Ledgerline's 512×512 application icon.
//
//go:embed Icon.png
var AppIconPNG []byte
