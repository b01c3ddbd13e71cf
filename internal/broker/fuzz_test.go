package broker

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzAuthorizeParams sends arbitrary query strings to the authorize
// endpoint: it never answers 5xx, and it only ever redirects to Stripe's
// authorize page or to a loopback redirect URI the broker accepts.
func FuzzAuthorizeParams(f *testing.F) {
	app := newTestApp()
	f.Add(app.authorizeParams().Encode())
	f.Add("response_type=code&client_id=ledgerline-desktop&redirect_uri=http://127.0.0.1:5000/callback&state=s&code_challenge=abc&code_challenge_method=plain")
	f.Add("client_id=ledgerline-desktop&redirect_uri=http%3A%2F%2Fevil.example%2Fcallback&state=s")
	f.Add("client_id=ledgerline-desktop&redirect_uri=http://127.0.0.1:5000/callback&redirect_uri=http://evil.example/callback")
	f.Add("client_id=ledgerline-desktop&redirect_uri=http://[::1]:1/callback&mode=live&state=%00")
	f.Add("redirect_uri=http://127.0.0.1:5000@evil.example/callback&client_id=ledgerline-desktop")
	f.Add("%zz&;;==&redirect_uri")
	f.Add("")

	const stripeBase = "https://marketplace.stripe.example"
	b, err := New(Config{
		ClientID: testClientID, SecretKey: testSecretKey, PublicURL: "https://broker.example",
		ConnectBase: stripeBase, APIBase: "https://api.stripe.example",
	})
	if err != nil {
		f.Fatal(err)
	}
	h := b.Handler()
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest(http.MethodGet, pathAuthorize, nil)
		req.URL.RawQuery = rawQuery
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q", rec.Code, rawQuery)
		}
		if rec.Code < 300 || rec.Code >= 400 {
			return
		}
		loc := rec.Header().Get("Location")
		if strings.HasPrefix(loc, stripeBase+"/oauth/v2/authorize?") {
			// Only a request with an acceptable loopback redirect URI gets this far.
			q, _ := url.ParseQuery(rawQuery)
			if len(q["redirect_uri"]) != 1 || !validLoopbackRedirect(q.Get("redirect_uri")) {
				t.Fatalf("sent to Stripe without a valid redirect_uri: %q", rawQuery)
			}
			return
		}
		target, _, _ := strings.Cut(loc, "?")
		if !validLoopbackRedirect(target) {
			t.Fatalf("redirected to %q for %q", loc, rawQuery)
		}
	})
}

// FuzzOpenSealed feeds arbitrary strings to the unsealer: it never panics
// and never accepts anything it did not seal.
func FuzzOpenSealed(f *testing.F) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	other := testSealer(f, "sk_test_someoneelse")
	foreign, _ := other.seal(purposeState, now.Add(time.Hour), stateBody{State: "x"})
	f.Add(foreign)
	f.Add("")
	f.Add("AQ")
	f.Add("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add(strings.Repeat("A", maxEnvelopeChars+1))
	f.Add("not base64 at all!")
	f.Add("eyJwIjoic3RhdGUiLCJleHAiOjk5OTk5OTk5OTk5OTl9")

	s := testSealer(f, testSecretKey)
	f.Fuzz(func(t *testing.T, envelope string) {
		var st stateBody
		if err := s.open(purposeState, envelope, now, &st); err == nil {
			t.Fatalf("opened a state it never sealed: %q", envelope)
		}
		var c codeBody
		if err := s.open(purposeCode, envelope, now, &c); err == nil {
			t.Fatalf("opened a code it never sealed: %q", envelope)
		}
	})
}
