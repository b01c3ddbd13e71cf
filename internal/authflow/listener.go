package authflow

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

const (
	callbackPath    = "/callback"
	pingTimeout     = 5 * time.Second
	shutdownTimeout = 3 * time.Second
)

// callbackParams is what the browser brought back with the right state.
type callbackParams struct {
	code             string
	errorCode        string
	errorDescription string
}

// callbackHandler answers the loopback server. Only GET /callback with
// exactly one state equal to the one Login made is handed to deliver, and
// only once; every other request gets a page and changes nothing, so the
// flow keeps waiting for the right response (RFC 6749 §10.12, RFC 9700
// §2.1). deliver returns the page to show.
type callbackHandler struct {
	state   string
	host    string // the Host the redirect URI names, "127.0.0.1:PORT"
	deliver func(callbackParams) page
	words   func(PageKind) PageWords // nil: English
	log     *slog.Logger
	claimed atomic.Bool
}

func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.URL == nil || r.URL.Path != callbackPath {
		writePage(w, pageNotFound, h.words)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, pageMethod, h.words)
		return
	}
	// A browser that followed the broker's redirect names exactly the host
	// of our redirect URI; anything else (DNS rebinding, a "localhost" URL)
	// is not our response.
	if r.Host != h.host {
		h.reject(w, "unexpected host")
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		h.reject(w, "malformed query")
		return
	}
	states := q["state"]
	if len(states) != 1 {
		h.reject(w, "missing or repeated state")
		return
	}
	if subtle.ConstantTimeCompare([]byte(states[0]), []byte(h.state)) != 1 {
		h.reject(w, "wrong state")
		return
	}
	if !h.claimed.CompareAndSwap(false, true) {
		writePage(w, pageAlreadyUsed, h.words)
		return
	}
	writePage(w, h.deliver(callbackParams{
		code:             single(q, "code"),
		errorCode:        single(q, "error"),
		errorDescription: single(q, "error_description"),
	}), h.words)
}

func (h *callbackHandler) reject(w http.ResponseWriter, reason string) {
	h.log.Warn("ignored a sign-in response that doesn't belong to this sign-in", "reason", reason)
	writePage(w, pageForeign, h.words)
}

// single returns the one value of key, or "" when it is absent or repeated
// (RFC 6749 §3.1: parameters must not appear twice).
func single(q url.Values, key string) string {
	if v := q[key]; len(v) == 1 {
		return v[0]
	}
	return ""
}

// delivery hands a matching callback to Login and carries the page back.
type delivery struct {
	params callbackParams
	reply  chan<- page
}

// loopback is the one-shot redirect listener on 127.0.0.1 (RFC 8252 §7.3,
// §8.3: loopback IP literal, ephemeral port, loopback interface only).
type loopback struct {
	ln          net.Listener
	srv         *http.Server
	redirectURI string
	received    chan delivery
	done        chan struct{}
	served      chan struct{}
	closeOnce   sync.Once
}

// startLoopback listens on 127.0.0.1 port 0 and serves the callback
// handler for state until close, its pages in words (nil: English).
func startLoopback(ctx context.Context, state string, logger *slog.Logger, words func(PageKind) PageWords) (*loopback, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, domain.E(domain.KindLocalListener, fmt.Errorf("listening on loopback: %w", err))
	}
	host := net.JoinHostPort("127.0.0.1", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	lb := &loopback{
		ln:          ln,
		redirectURI: "http://" + host + callbackPath,
		received:    make(chan delivery),
		done:        make(chan struct{}),
		served:      make(chan struct{}),
	}
	h := &callbackHandler{state: state, host: host, deliver: lb.deliver, words: words, log: logger}
	lb.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       5 * time.Second,
		MaxHeaderBytes:    32 << 10,
		// net/http's own messages could quote a request; keep them out.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() {
		defer close(lb.served)
		_ = lb.srv.Serve(ln)
	}()
	return lb, nil
}

// deliver passes a matching callback to Login and waits for the page to
// show; if Login has already given up it shows pageEnded.
func (lb *loopback) deliver(p callbackParams) page {
	reply := make(chan page, 1)
	select {
	case lb.received <- delivery{params: p, reply: reply}:
	case <-lb.done:
		return pageEnded
	}
	// Login answers every delivery it takes, even when it fails or is
	// canceled, and closes the server only afterwards.
	return <-reply
}

// ping checks that the server answers before the browser is sent to it.
// Any HTTP answer will do (the ping path itself is a 404).
func (lb *loopback) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	addr := "http://" + lb.ln.Addr().String() + "/ping"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return domain.E(domain.KindLocalListener, fmt.Errorf("pinging the loopback listener: %w", err))
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// close stops the server after the handler in flight (if any) has written
// its page; afterwards the port is closed and a new callback is refused.
func (lb *loopback) close() {
	lb.closeOnce.Do(func() {
		close(lb.done)
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := lb.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = lb.srv.Close()
		}
		<-lb.served
	})
}
