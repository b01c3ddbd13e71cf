package sandbox

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

// parsePages parses the authorize and error pages. The files are embedded,
// so an error means the binary was built from broken templates.
func parsePages() (*template.Template, error) {
	return template.ParseFS(templateFiles, "templates/*.html")
}

// authorizePage is the data of templates/authorize.html.
type authorizePage struct {
	AppName    string
	ReadWrite  bool
	Accounts   []pageAccount
	Nonce      string
	ReturnHost string
	Error      string
}

// pageAccount is one radio button on the authorize page.
type pageAccount struct {
	ID, Name, Country, Initial string
	Color                      template.CSS
	Checked                    bool
}

// errorPage is the data of templates/error.html.
type errorPage struct{ Title, Message string }

// pageSecurityHeaders keep the pages self-contained and unframeable; the
// form may still post to itself and be redirected to the client.
func pageSecurityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: under no-referrer Chromium sends
	// "Origin: null" with the form's POST, which the origin check must
	// refuse. Cross-origin requests (the redirect to the client) still get
	// no Referer, so no code leaks through it.
	h.Set("Referrer-Policy", "same-origin")
}

// renderError shows the error page. It is used wherever redirecting would
// be wrong: the client or redirect_uri is not trusted, or the page expired.
func (s *Server) renderError(w http.ResponseWriter, status int, title, message string) {
	pageSecurityHeaders(w)
	w.WriteHeader(status)
	if err := s.pages.ExecuteTemplate(w, "error.html", errorPage{Title: title, Message: message}); err != nil {
		s.log.Error("error page failed to render", slog.Any("err", err))
	}
}

// renderAuthorize shows the authorize page for a pending authorization.
func (s *Server) renderAuthorize(w http.ResponseWriter, status int, p pendingAuthorization, nonce, chosen, problem string) {
	page := authorizePage{
		AppName:   s.opts.AppName,
		ReadWrite: p.scope == "read_write",
		Nonce:     nonce,
		Error:     problem,
	}
	if u, err := url.Parse(p.redirectURI); err == nil {
		page.ReturnHost = u.Host
	}
	for i, a := range s.ids.accounts {
		page.Accounts = append(page.Accounts, pageAccount{
			ID: a.ID, Name: a.Name, Country: a.Country,
			Initial: strings.ToUpper(a.Name[:1]),
			Color:   template.CSS(a.PrimaryColor), // "#rrggbb", made by the sandbox itself
			Checked: a.ID == chosen || (chosen == "" && i == 0),
		})
	}
	pageSecurityHeaders(w)
	w.WriteHeader(status)
	if err := s.pages.ExecuteTemplate(w, "authorize.html", page); err != nil {
		s.log.Error("authorize page failed to render", slog.Any("err", err))
	}
}

// showAuthorize serves GET on a flavour's authorize URL. An unknown
// client_id or an unacceptable redirect_uri gets an error page and never a
// redirect; other parameter errors are sent back to the (validated)
// redirect_uri as OAuth errors; a good request gets the page.
func (s *Server) showAuthorize(fl flavour) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != s.ids.clientID {
			s.renderError(w, http.StatusBadRequest, "Unknown application",
				"The link you followed names an application (client_id) that this Stripe sandbox does not know.")
			return
		}
		redirectURI, err := s.resolveRedirect(q.Get("redirect_uri"))
		if err != nil {
			s.renderError(w, http.StatusBadRequest, "Invalid redirect URI", sentence(err.Error()))
			return
		}
		p := pendingAuthorization{flavour: fl, clientID: s.ids.clientID, redirectURI: redirectURI, state: q.Get("state")}
		if fl == flavourConnect {
			scope, code, desc := connectScope(q)
			if code != "" {
				http.Redirect(w, r, withQuery(redirectURI, url.Values{
					"error": {code}, "error_description": {desc}, "state": {p.state}}), http.StatusFound)
				return
			}
			p.scope = scope
		} else {
			p.scope = appsScope
		}
		nonce := s.creds.addPending(p, s.now())
		s.renderAuthorize(w, http.StatusOK, p, nonce, "", "")
	}
}

// answerAuthorize serves the page's POST. The hidden nonce names the pending
// authorization (so the client, redirect_uri, state and scope cannot be
// changed in the form) and is good for one answer; a cross-origin POST is
// refused. "Authorize access" redirects with ?code=ac_…&state=…, "Deny" with
// Stripe's access_denied error.
func (s *Server) answerAuthorize(fl flavour) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			s.renderError(w, http.StatusForbidden, "Request refused",
				"This authorization was submitted from another site, so it was not accepted.")
			return
		}
		if err := r.ParseForm(); err != nil {
			s.renderError(w, http.StatusBadRequest, "Request refused", "The form could not be read.")
			return
		}
		nonce := r.PostForm.Get("authorization_request")
		p, ok := s.creds.peekPending(nonce, s.now())
		if !ok || p.flavour != fl {
			s.renderError(w, http.StatusBadRequest, "This page has expired",
				"This authorization page was already answered or is too old.")
			return
		}
		switch r.PostForm.Get("action") {
		case "deny":
			if _, ok := s.creds.takePending(nonce, s.now()); !ok {
				s.renderError(w, http.StatusBadRequest, "This page has expired", "This authorization page was already answered.")
				return
			}
			s.log.Info("authorization denied", slog.String("flavour", string(fl)))
			http.Redirect(w, r, withQuery(p.redirectURI, url.Values{
				"error": {"access_denied"}, "error_description": {"The user denied your request"}, "state": {p.state},
			}), http.StatusFound)
		case "authorize":
			acct, ok := s.byID[r.PostForm.Get("account")]
			if !ok || acct.Platform {
				s.renderAuthorize(w, http.StatusBadRequest, p, nonce, "", "Choose an account to connect.")
				return
			}
			if _, ok := s.creds.takePending(nonce, s.now()); !ok {
				s.renderError(w, http.StatusBadRequest, "This page has expired", "This authorization page was already answered.")
				return
			}
			code := s.creds.addCode(authCode{
				flavour: fl, clientID: p.clientID, accountID: acct.ID, scope: p.scope,
				redirectURI: p.redirectURI, expires: s.now().Add(s.opts.CodeTTL),
			})
			s.log.Info("authorization granted", slog.String("flavour", string(fl)), slog.String("account", acct.ID))
			v := url.Values{"code": {code}, "state": {p.state}}
			if fl == flavourConnect {
				v.Set("scope", p.scope)
			}
			http.Redirect(w, r, withQuery(p.redirectURI, v), http.StatusFound)
		default:
			s.renderAuthorize(w, http.StatusBadRequest, p, nonce, r.PostForm.Get("account"),
				"Choose “Authorize access” or “Deny”.")
		}
	}
}

// sameOrigin reports whether a form POST came from the sandbox's own page.
// Browsers send Origin on form POSTs; a request without it (a script, an
// old browser) is let through, as is usual for a local test double.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// withQuery adds v to a URL's query, dropping empty values (an absent state
// is not sent back as "state=").
func withQuery(raw string, v url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // validated earlier; unreachable
	}
	q := u.Query()
	for k, vals := range v {
		if len(vals) > 0 && vals[0] != "" {
			q.Set(k, vals[0])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// sentence capitalizes an error message and ends it with a full stop, for
// showing it on a page.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
