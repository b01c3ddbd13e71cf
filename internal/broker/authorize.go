package broker

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
)

// stateBody is what the broker seals into the state it hands Stripe: the
// app's request, so the callback needs no server-side session.
type stateBody struct {
	RedirectURI string `json:"ru"`
	State       string `json:"st"`
	Challenge   string `json:"cc"`
	Mode        string `json:"m"`
}

// codeBody is what the broker seals into the one-time code it hands the
// app: Stripe's authorization code, bound to the app's PKCE challenge and
// redirect URI. ID names the code for the replay set.
type codeBody struct {
	ID          string `json:"id"`
	StripeCode  string `json:"sc"`
	RedirectURI string `json:"ru"`
	Challenge   string `json:"cc"`
	Mode        string `json:"m"`
}

const maxAppStateChars = 256

// handleAuthorize checks the app's authorization request and sends the
// browser on to Stripe. A bad client_id or redirect_uri gets an HTML page
// and no redirect (RFC 6749 §4.1.2.1, RFC 9700 §4.11); any other problem is
// reported to the app's loopback redirect URI.
func (b *Broker) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if !allowOnly(w, r, http.MethodGet) {
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writePage(w, r, http.StatusBadRequest, "Malformed request", "The sign-in request could not be read.")
		return
	}
	redirectURI, ok := single(q, "redirect_uri")
	if !ok || !validLoopbackRedirect(redirectURI) {
		writePage(w, r, http.StatusBadRequest, "Invalid redirect address",
			"The sign-in request names a redirect address the broker does not accept. Only the Ledgerline app's own address on this computer (http://127.0.0.1:PORT/callback or http://[::1]:PORT/callback) is allowed.")
		return
	}
	if id, ok := single(q, "client_id"); !ok || id != ClientID {
		writePage(w, r, http.StatusBadRequest, "Unknown application",
			"The sign-in request does not come from the Ledgerline app this broker serves.")
		return
	}

	state, ok := single(q, "state")
	if !ok || !validAppState(state) {
		state = "" // never echo a state that is missing, repeated or malformed
	}
	fail := func(code, description string) {
		noteOutcome(r, code+": "+description)
		redirect(w, appError(redirectURI, code, description, state))
	}
	if name, dup := repeated(q, "response_type", "state", "code_challenge", "code_challenge_method", "mode"); dup {
		fail("invalid_request", "The parameter "+name+" was given more than once.")
		return
	}
	switch rt := q.Get("response_type"); rt {
	case "code":
	case "":
		fail("invalid_request", "response_type is missing; it must be code.")
		return
	default:
		fail("unsupported_response_type", "Only response_type=code is supported.")
		return
	}
	switch {
	case q.Get("state") == "":
		fail("invalid_request", "state is missing; the app must send a fresh random state.")
		return
	case state == "":
		fail("invalid_request", "state must be 1 to 256 printable ASCII characters.")
		return
	}
	challenge := q.Get("code_challenge")
	switch {
	case challenge == "":
		fail("invalid_request", "code_challenge is missing; PKCE (RFC 7636) with S256 is required.")
		return
	case !validS256Challenge(challenge):
		fail("invalid_request", "code_challenge must be the 43-character base64url SHA-256 of the code verifier.")
		return
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256; plain is not accepted.")
		return
	}
	mode := q.Get("mode")
	switch mode {
	case "":
		mode = b.mode
	case "test", "live":
		if mode != b.mode {
			fail("invalid_request", "This broker serves only "+b.mode+" mode; it cannot connect an account in "+mode+" mode.")
			return
		}
	default:
		fail("invalid_request", "mode must be test or live.")
		return
	}

	sealed, err := b.seal.seal(purposeState, b.now().Add(stateLifetime), stateBody{
		RedirectURI: redirectURI, State: state, Challenge: challenge, Mode: mode,
	})
	if err != nil {
		fail("server_error", "The broker could not prepare the sign-in; try again.")
		return
	}
	noteOutcome(r, "sent to Stripe")
	redirect(w, b.stripeAuthorizeURL(sealed))
}

// stripeAuthorizeURL is Stripe's authorization page for the flavour, with
// the broker's own registered redirect URI and the sealed state.
func (b *Broker) stripeAuthorizeURL(sealedState string) string {
	if b.cfg.Flavor == FlavorConnect {
		return b.cfg.ConnectBase + "/oauth/authorize?" + url.Values{
			"response_type": {"code"},
			"client_id":     {b.cfg.ClientID},
			"scope":         {"read_only"},
			"redirect_uri":  {b.callbackURL()},
			"state":         {sealedState},
		}.Encode()
	}
	return b.cfg.ConnectBase + "/oauth/v2/authorize?" + url.Values{
		"client_id":    {b.cfg.ClientID},
		"redirect_uri": {b.callbackURL()},
		"state":        {sealedState},
	}.Encode()
}

// handleStripeCallback receives Stripe's answer, opens the sealed state and
// sends the browser back to the app with a one-time broker code (or the
// error). A state that does not open gets an HTML page: without it the
// broker cannot know, and must not guess, where to send the browser.
func (b *Broker) handleStripeCallback(w http.ResponseWriter, r *http.Request) {
	if !allowOnly(w, r, http.MethodGet) {
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writePage(w, r, http.StatusBadRequest, "Malformed request", "Stripe's answer could not be read.")
		return
	}
	sealedState, ok := single(q, "state")
	var st stateBody
	if ok {
		err = b.seal.open(purposeState, sealedState, b.now(), &st)
	}
	switch {
	case !ok || err != nil && !errors.Is(err, errSealExpired):
		writePage(w, r, http.StatusBadRequest, "Sign-in not recognised",
			"This answer from Stripe does not belong to a sign-in that this broker started.")
		return
	case err != nil:
		writePage(w, r, http.StatusBadRequest, "Sign-in expired",
			"The sign-in took longer than 10 minutes.")
		return
	case !validLoopbackRedirect(st.RedirectURI): // defence in depth; sealed values were checked
		writePage(w, r, http.StatusBadRequest, "Sign-in not recognised", "The sign-in holds an address the broker does not accept.")
		return
	}
	fail := func(code, description string) {
		noteOutcome(r, code+": "+description)
		redirect(w, appError(st.RedirectURI, code, description, st.State))
	}
	if stripeErr := q.Get("error"); stripeErr != "" {
		switch stripeErr {
		case "access_denied":
			fail("access_denied", "The Stripe account owner did not allow access.")
		case "temporarily_unavailable":
			fail("temporarily_unavailable", "Stripe is temporarily unavailable; try again in a moment.")
		default:
			fail("server_error", "Stripe did not complete the sign-in.")
		}
		return
	}
	stripeCode, ok := single(q, "code")
	if !ok || !isToken(stripeCode, 512) {
		fail("server_error", "Stripe's answer held no usable authorization code.")
		return
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id) // crypto/rand.Read never fails on supported platforms
	code, err := b.seal.seal(purposeCode, b.now().Add(codeLifetime), codeBody{
		ID: base64.RawURLEncoding.EncodeToString(id), StripeCode: stripeCode,
		RedirectURI: st.RedirectURI, Challenge: st.Challenge, Mode: st.Mode,
	})
	if err != nil {
		fail("server_error", "The broker could not finish the sign-in; try again.")
		return
	}
	noteOutcome(r, "code issued")
	redirect(w, appRedirect(st.RedirectURI, url.Values{"code": {code}, "state": {st.State}}))
}

// single returns the one value of name, and false when it is missing or
// given more than once (RFC 6749 §3.1: parameters must not repeat).
func single(q url.Values, name string) (string, bool) {
	v := q[name]
	if len(v) != 1 || v[0] == "" {
		return "", false
	}
	return v[0], true
}

// repeated returns the first of names that appears more than once.
func repeated(q url.Values, names ...string) (string, bool) {
	for _, n := range names {
		if len(q[n]) > 1 {
			return n, true
		}
	}
	return "", false
}

// validAppState accepts RFC 6749 Appendix A.5's state: VSCHAR (0x20–0x7E),
// here at most 256 characters.
func validAppState(s string) bool {
	if s == "" || len(s) > maxAppStateChars {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
