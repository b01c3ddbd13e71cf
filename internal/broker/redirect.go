package broker

import (
	"net/url"
	"strings"
)

// The only redirect URIs the broker ever sends a browser back to. RFC 8252
// §7.3 and §8.3: native apps receive the response on a loopback IP literal
// with a port chosen at run time, so the authorization server must accept
// any port; "localhost" is NOT RECOMMENDED (it may resolve off the machine
// or be claimed by another listener), so it is refused. RFC 9700 §2.1 asks
// for exact matching everywhere else, so scheme, host, path and the absence
// of userinfo, query and fragment are compared as exact strings rather than
// parsed with a lenient URL parser.
const (
	loopbackPrefixV4 = "http://127.0.0.1:"
	loopbackPrefixV6 = "http://[::1]:"
	loopbackPath     = "/callback"
)

// validLoopbackRedirect reports whether s is exactly
// http://127.0.0.1:PORT/callback or http://[::1]:PORT/callback with PORT a
// decimal number 1–65535 without leading zeros.
func validLoopbackRedirect(s string) bool {
	var rest string
	switch {
	case strings.HasPrefix(s, loopbackPrefixV4):
		rest = s[len(loopbackPrefixV4):]
	case strings.HasPrefix(s, loopbackPrefixV6):
		rest = s[len(loopbackPrefixV6):]
	default:
		return false
	}
	port, ok := strings.CutSuffix(rest, loopbackPath)
	if !ok || port == "" || len(port) > 5 || port[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(port); i++ {
		c := port[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n >= 1 && n <= 65535
}

// appRedirect builds the URL that sends the browser back to the app's
// loopback listener with params. It must only be called with a redirect URI
// that validLoopbackRedirect accepted, which has no query of its own.
func appRedirect(redirectURI string, params url.Values) string {
	return redirectURI + "?" + params.Encode()
}

// appError builds an RFC 6749 §4.1.2.1 error response for the app's
// redirect URI. state is echoed only when the request carried one.
func appError(redirectURI, code, description, state string) string {
	v := url.Values{"error": {code}, "error_description": {description}}
	if state != "" {
		v.Set("state", state)
	}
	return appRedirect(redirectURI, v)
}
