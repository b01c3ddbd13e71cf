package broker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/ledgerline/ledgerline/internal/httplog"
)

const (
	maxBodyBytes  = 16 << 10 // token and revoke forms are a few hundred bytes
	maxQueryBytes = 8 << 10  // an authorize or callback query is under 2 KiB
)

// logPath returns the broker's own paths as they are and any other path as
// "other", since a path is caller-chosen text that could carry anything.
func logPath(p string) string {
	switch p {
	case pathAuthorize, pathStripeCallback, pathToken, pathRevoke, pathHealth, pathLive, pathReady:
		return p
	}
	return "other"
}

type reqInfoKey struct{}

// reqInfo is what withBasics knows of a request and its handler adds to:
// the client's address (for the limits) and the outcome for the log line.
type reqInfo struct {
	client  netip.Addr
	id      string // the request id: in the log line and the X-Request-Id header
	outcome string
}

func infoOf(r *http.Request) *reqInfo {
	if p, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		return p
	}
	return &reqInfo{} // a handler called without withBasics, as in a unit test
}

// clientOf is the client address withBasics found for r.
func clientOf(r *http.Request) netip.Addr { return infoOf(r).client }

// noteOutcome attaches a short, secret-free reason to the request's log
// line, such as "invalid_grant: code expired".
func noteOutcome(r *http.Request, outcome string) { infoOf(r).outcome = outcome }

// addOutcome appends detail to the request's noted outcome.
func addOutcome(r *http.Request, detail string) {
	p := &infoOf(r).outcome
	if *p != "" {
		*p += "; "
	}
	*p += detail
}

// withBasics wraps every endpoint: security headers, body and query limits,
// and one log line per request holding method, path, status, duration and
// the noted outcome — never a query string, header or body.
func (b *Broker) withBasics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := b.now()
		h := w.Header()
		// RFC 9700 §4.2 (Referer leakage), §4.16 (clickjacking); RFC 6749 §5.1 (no-store).
		h.Set("Cache-Control", "no-store")
		h.Set("Pragma", "no-cache")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		if b.hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		info := &reqInfo{client: b.limits.clientAddr(r), id: b.requestID(r)}
		h.Set("X-Request-Id", info.id)
		// One deadline for the whole request (issue 12: two calls to Stripe
		// of 20 s each could outlast the server's write timeout).
		ctx, cancel := context.WithTimeout(r.Context(), b.cfg.RequestTimeout)
		defer cancel()
		r = r.WithContext(context.WithValue(ctx, reqInfoKey{}, info))
		rec := &httplog.StatusRecorder{ResponseWriter: w}
		wait, limit := time.Duration(0), ""
		if limited(r.URL.Path) {
			wait, limit = b.limits.allowRequest(info.client, b.now())
		}
		switch {
		case wait > 0:
			b.writeRateLimited(rec, r, wait, limit)
		case len(r.URL.RawQuery) > maxQueryBytes:
			noteOutcome(r, "query too long")
			http.Error(rec, "The request's query is too long.", http.StatusRequestURITooLong)
		default:
			r.Body = http.MaxBytesReader(rec, r.Body, maxBodyBytes)
			next.ServeHTTP(rec, r)
		}
		b.metrics.request(r.URL.Path, rec.Status)
		attrs := []slog.Attr{
			slog.String("request_id", info.id),
			slog.String("client", info.client.String()),
			slog.String("method", clip(r.Method)),
			slog.String("path", logPath(r.URL.Path)),
			slog.Int("status", rec.Status),
			slog.Duration("duration", b.now().Sub(start)),
		}
		if info.outcome != "" {
			attrs = append(attrs, slog.String("outcome", info.outcome))
		}
		b.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// limited reports whether requests to path count against the limits: the
// OAuth endpoints, and any unknown path; health checks never do.
func limited(path string) bool {
	return path != pathHealth && path != pathLive && path != pathReady
}

// writeRateLimited answers 429 Too Many Requests with Retry-After: an
// RFC 6749 §5.2 JSON error at the app's endpoints, an HTML page where a
// browser asks.
func (b *Broker) writeRateLimited(w http.ResponseWriter, r *http.Request, wait time.Duration, limit string) {
	b.metrics.limited.WithLabelValues(limit).Inc()
	secs := retryAfter(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	desc := "Too many requests; try again in " + strconv.Itoa(secs) + " seconds."
	switch r.URL.Path {
	case pathToken, pathRevoke:
		writeOAuthError(w, r, http.StatusTooManyRequests, "temporarily_unavailable", desc)
	default:
		writePage(w, r, http.StatusTooManyRequests, "Too many requests", desc)
	}
	addOutcome(r, "rate limited")
}

// allowUpstream spends calls calls of the upstream budget for r's client,
// or answers 429 and returns false.
func (b *Broker) allowUpstream(w http.ResponseWriter, r *http.Request, calls int) bool {
	if wait, limit := b.limits.allowUpstream(clientOf(r), calls, b.now()); wait > 0 {
		b.writeRateLimited(w, r, wait, limit)
		return false
	}
	return true
}

// noteGrant tells the limits how Stripe judged a grant r's client sent.
func (b *Broker) noteGrant(r *http.Request, err error) {
	var se *stripeError
	refused := errors.As(err, &se) && se.Kind == stripeRejected && se.Code == "invalid_grant"
	if err == nil || refused {
		b.limits.noteGrant(clientOf(r), refused, b.now())
	}
}

// requestID is the id of r in the logs and the X-Request-Id header: the
// one a trusted proxy set (HAProxy's unique-id, say), when it is short and
// plain, else 16 fresh random hex digits.
func (b *Broker) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && b.limits.trusted(peerAddr(r.RemoteAddr)) && plainID(id) {
		return id
	}
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	return hex.EncodeToString(raw[:])
}

// plainID accepts 1 to 64 of A-Z a-z 0-9 - _ . : — nothing a log reader
// could mistake for structure.
func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// allowOnly answers 405 with an Allow header unless r uses method.
func allowOnly(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	noteOutcome(r, "method not allowed")
	w.Header().Set("Allow", method)
	http.Error(w, "Method not allowed: use "+method+".", http.StatusMethodNotAllowed)
	return false
}

// oauthErrorBody is RFC 6749 §5.2's error response.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeOAuthError answers with an RFC 6749 §5.2 JSON error. description is
// the broker's own wording and never holds a secret, code or token.
func writeOAuthError(w http.ResponseWriter, r *http.Request, status int, code, description string) {
	noteOutcome(r, code+": "+description)
	writeJSON(w, status, oauthErrorBody{Error: code, Description: description})
}

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Ledgerline</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:32rem;margin:10vh auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:2rem}
h1{font-size:1.3rem;margin-top:0}p{line-height:1.5}
</style></head>
<body><main><h1>{{.Title}}</h1><p>{{.Message}}</p>
<p>Close this window and start again from the Ledgerline app.</p></main></body></html>
`))

// writePage answers with a self-contained HTML page (no scripts, no external
// resources). It is used where the broker must not redirect: an untrusted
// redirect URI (RFC 6749 §4.1.2.1, RFC 9700 §4.11) or an unreadable state.
func writePage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	noteOutcome(r, title)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, struct{ Title, Message string }{title, message})
}

// redirect answers 302 Found. RFC 9700 §4.12: never 307, which would make a
// browser repeat a POST body at the next hop.
func redirect(w http.ResponseWriter, location string) {
	w.Header().Set("Location", location)
	w.WriteHeader(http.StatusFound)
}

func (b *Broker) now() time.Time { return b.clock() }
