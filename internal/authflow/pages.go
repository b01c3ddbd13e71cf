package authflow

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
)

// page is one answer of the loopback server. Pages are self-contained: no
// script, image, font or link, so the browser fetches nothing else and the
// callback URL (which holds the code) leaks through no Referer (RFC 9700
// §4.2.4).
type page struct {
	status  int
	title   string
	message string
	ok      bool
}

var (
	pageConnected = page{status: http.StatusOK, ok: true,
		title:   "Ledgerline is connected",
		message: "Your Stripe account is linked — you can close this tab and return to Ledgerline."}
	pageForeign = page{status: http.StatusBadRequest,
		title:   "Sign-in response not recognized",
		message: "This sign-in response doesn't belong to the sign-in Ledgerline started, so Ledgerline ignored it. Close this tab and return to Ledgerline."}
	pageAlreadyUsed = page{status: http.StatusBadRequest,
		title:   "Sign-in already handled",
		message: "Ledgerline has already handled this sign-in. You can close this tab."}
	pageEnded = page{status: http.StatusGone,
		title:   "Sign-in ended",
		message: "This sign-in has ended in Ledgerline. Return to Ledgerline and click Connect with Stripe to start again."}
	pageNotFound = page{status: http.StatusNotFound,
		title:   "Not found",
		message: "There is nothing here. Return to Ledgerline."}
	pageMethod = page{status: http.StatusMethodNotAllowed,
		title:   "Not allowed",
		message: "Ledgerline only accepts the sign-in response here."}
)

// failurePage tells the person the sign-in failed; the window says why in
// their language (err's kind), so the page only sends them back to it.
func failurePage(err error) page {
	msg := "Ledgerline couldn't finish connecting to Stripe. Return to Ledgerline to see why and to try again."
	if errors.Is(err, ErrDenied) {
		msg = "Access was denied in Stripe, so nothing was connected. Return to Ledgerline to try again."
	}
	return page{status: http.StatusBadRequest, title: "Ledgerline couldn't connect to Stripe", message: msg}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
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

func writePage(w http.ResponseWriter, p page) {
	var buf bytes.Buffer
	data := struct {
		Title, Message string
		OK             bool
	}{p.title, p.message, p.ok}
	if err := pageTemplate.Execute(&buf, data); err != nil {
		// The template is fixed and its data are strings: this cannot fail,
		// but a bare answer beats a broken one.
		buf.Reset()
		buf.WriteString(p.title)
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
