package authflow

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
)

// PageKind names a page the loopback server shows in the browser.
type PageKind string

const (
	// PageConnected: the sign-in came back and Ledgerline is connected.
	PageConnected PageKind = "connected"
	// PageDenied: the person clicked Deny in Stripe.
	PageDenied PageKind = "denied"
	// PageFailed: the sign-in came back but failed; the app says why.
	PageFailed PageKind = "failed"
	// PageForeign: a response that isn't the sign-in Ledgerline started.
	PageForeign PageKind = "foreign"
	// PageAlreadyUsed: the sign-in was already handled.
	PageAlreadyUsed PageKind = "already_used"
	// PageEnded: Ledgerline stopped waiting before the response came.
	PageEnded PageKind = "ended"
	// PageNotFound and PageMethod: anything but GET /callback.
	PageNotFound PageKind = "not_found"
	PageMethod   PageKind = "method"
)

// PageKinds are every page the browser may be shown.
func PageKinds() []PageKind {
	return []PageKind{PageConnected, PageDenied, PageFailed, PageForeign, PageAlreadyUsed, PageEnded, PageNotFound, PageMethod}
}

// PageWords are a page's words in one language: Lang is its BCP 47 tag
// (for <html lang>), Title its heading, Message the sentence under it.
type PageWords struct {
	Lang, Title, Message string
}

// EnglishPage is every page's English words: what the command line's
// sign-in shows (Config.Pages nil). The window passes its catalog instead,
// so the page speaks the window's language.
func EnglishPage(k PageKind) PageWords {
	w := PageWords{Lang: "en"}
	switch k {
	case PageConnected:
		w.Title, w.Message = "Ledgerline is connected", "Your Stripe account is linked — you can close this tab and return to Ledgerline."
	case PageDenied:
		w.Title, w.Message = "Ledgerline couldn't connect to Stripe", "Access was denied in Stripe, so nothing was connected. Return to Ledgerline to try again."
	case PageFailed:
		w.Title, w.Message = "Ledgerline couldn't connect to Stripe", "Ledgerline couldn't finish connecting to Stripe. Return to Ledgerline to see why and to try again."
	case PageForeign:
		w.Title, w.Message = "Sign-in response not recognized", "This sign-in response doesn't belong to the sign-in Ledgerline started, so Ledgerline ignored it. Close this tab and return to Ledgerline."
	case PageAlreadyUsed:
		w.Title, w.Message = "Sign-in already handled", "Ledgerline has already handled this sign-in. You can close this tab."
	case PageEnded:
		w.Title, w.Message = "Sign-in ended", "This sign-in has ended in Ledgerline. Return to Ledgerline and click Connect with Stripe to start again."
	case PageNotFound:
		w.Title, w.Message = "Not found", "There is nothing here. Return to Ledgerline."
	case PageMethod:
		w.Title, w.Message = "Not allowed", "Ledgerline only accepts the sign-in response here."
	}
	return w
}

// page is one answer of the loopback server. Pages are self-contained: no
// script, image, font or link, so the browser fetches nothing else and the
// callback URL (which holds the code) leaks through no Referer (RFC 9700
// §4.2.4).
type page struct {
	status int
	kind   PageKind
	ok     bool
}

var (
	pageConnected   = page{status: http.StatusOK, kind: PageConnected, ok: true}
	pageForeign     = page{status: http.StatusBadRequest, kind: PageForeign}
	pageAlreadyUsed = page{status: http.StatusBadRequest, kind: PageAlreadyUsed}
	pageEnded       = page{status: http.StatusGone, kind: PageEnded}
	pageNotFound    = page{status: http.StatusNotFound, kind: PageNotFound}
	pageMethod      = page{status: http.StatusMethodNotAllowed, kind: PageMethod}
)

// failurePage tells the person the sign-in failed; the window says why in
// their language (err's kind), so the page only sends them back to it.
func failurePage(err error) page {
	if errors.Is(err, ErrDenied) {
		return page{status: http.StatusBadRequest, kind: PageDenied}
	}
	return page{status: http.StatusBadRequest, kind: PageFailed}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Ledgerline</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f8fa;color:#1a1f36}
main{max-width:32rem;margin:15vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);text-align:center}
.mark{font-size:2.5rem;line-height:1}
.ok .mark{color:#1a7f37}
.fail .mark{color:#cf222e}
h1{font-size:1.4rem;margin:1rem 0 .5rem}
p{margin:0;line-height:1.5}
</style>
</head>
<body>
<main class="{{if .OK}}ok{{else}}fail{{end}}">
<div class="mark" aria-hidden="true">{{if .OK}}&#10003;{{else}}!{{end}}</div>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
</main>
</body>
</html>
`))

// setSecurityHeaders goes on every loopback answer.
func setSecurityHeaders(h http.Header) {
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

// writePage answers with page p in words (EnglishPage when nil).
func writePage(w http.ResponseWriter, p page, words func(PageKind) PageWords) {
	if words == nil {
		words = EnglishPage
	}
	pw := words(p.kind)
	if pw.Title == "" {
		pw = EnglishPage(p.kind)
	}
	if pw.Lang == "" {
		pw.Lang = "en"
	}
	var buf bytes.Buffer
	data := struct {
		Lang, Title, Message string
		OK                   bool
	}{pw.Lang, pw.Title, pw.Message, p.ok}
	if err := pageTemplate.Execute(&buf, data); err != nil {
		// The template is fixed and its data are strings: this cannot fail,
		// but a bare answer beats a broken one.
		buf.Reset()
		buf.WriteString(pw.Title)
	}
	h := w.Header()
	setSecurityHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	// One-shot server: let the browser drop the connection so the port
	// closes for good when Login returns.
	h.Set("Connection", "close")
	w.WriteHeader(p.status)
	_, _ = w.Write(buf.Bytes())
}
