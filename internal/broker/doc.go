// Package broker is Ledgerline's token broker: a small HTTPS service, run by
// the app's publisher, that holds the Stripe platform's client id and secret
// key and serves the desktop app as an OAuth 2.0 authorization server for
// native apps (RFC 8252), following the OAuth security BCP (RFC 9700).
//
// # Why a broker
//
// Stripe's OAuth (Stripe Apps and Connect) needs the platform's secret key
// at its token endpoint, has no PKCE and redirects only to pre-registered
// HTTPS URIs. A desktop app cannot keep a secret (RFC 8252 §8.5), so the
// broker keeps it and speaks to the app the way RFC 8252 asks: loopback
// redirect URIs on any port (§7.3), PKCE with S256 (§8.1), and state.
//
// # The flow
//
//  1. GET /oauth/authorize from the app (through the system browser). The
//     redirect_uri must be exactly http://127.0.0.1:PORT/callback or
//     http://[::1]:PORT/callback; anything else gets an HTML error page and
//     no redirect, so the broker is never an open redirector (RFC 9700 §4.11).
//     Other bad parameters go back to that loopback URI as RFC 6749
//     §4.1.2.1 errors. A good request is sent on to Stripe with the broker's
//     own registered redirect URI (BROKER_PUBLIC_URL/oauth/stripe/callback)
//     and a sealed state holding the app's redirect_uri, state,
//     code_challenge and mode, valid 10 minutes.
//  2. GET /oauth/stripe/callback from Stripe. The sealed state is opened
//     (tampered or expired: HTML error page). Stripe's error goes back to the
//     app as access_denied (or server_error); Stripe's authorization code is
//     sealed, with the app's code_challenge, redirect_uri and mode, into a
//     one-time broker code valid 60 seconds, and the browser is sent to the
//     app's loopback URI with that code and the app's own state.
//  3. POST /oauth/token from the app (authorization_code): the broker opens
//     its code, checks redirect_uri and BASE64URL(SHA256(code_verifier))
//     against the bound challenge (constant time), and only then exchanges
//     Stripe's code with the secret key and returns Stripe's tokens.
//     refresh_token grants are forwarded to Stripe; Stripe's rotated refresh
//     token is returned as is.
//  4. POST /oauth/revoke from the app, with its refresh token
//     (token_type_hint=refresh_token): the broker renews the token at
//     Stripe with the secret key — proof that it was issued to this
//     platform, and Stripe's answer names the account — then deauthorizes
//     that account. Access tokens and API keys are refused
//     (unsupported_token_type) before any call to Stripe: an expired access
//     token proves nothing, and a key that merely reads an account must not
//     disconnect it. The answer is the truth about the grant: 200
//     {"revoked":true} only when Stripe holds no grant any more; 400
//     invalid_grant when Stripe no longer renews the token; 502/503 when
//     Stripe failed, carrying the rotated tokens if the renewal had already
//     happened, so the app can keep them and try again.
//
// # No store: state sealed into the parameters
//
// The broker keeps no sessions, no codes and no tokens, so any number of
// replicas can run behind a load balancer. Everything a later step needs
// travels inside the parameters, sealed with AES-256-GCM (see seal.go for
// the envelope format): confidential, tamper-evident, expiring, and bound
// to a purpose ("state" or "code") so one can never be used as the other.
// The key comes from BROKER_SEALING_KEY or, when that is unset, is derived
// with HKDF-SHA256 from the secret key, so replicas sharing the config
// agree. Stripe's tokens never pass through the browser; Stripe's own code
// does, but only encrypted, and it is useless without the PKCE verifier that
// only the app holds.
//
// # Replay
//
// The guarantee against a replayed broker code is Stripe's: its
// authorization codes are single use, so a second exchange is refused with
// invalid_grant, which the broker passes on. Each process also remembers,
// in a bounded in-memory set, the ids of codes it has redeemed within their
// 60-second life, to turn a replay away before calling Stripe. That set is
// an optimisation only: another replica, or this one after a restart, does
// not know the id, and Stripe still refuses.
//
// # Limits
//
// Every request except the health checks spends one token of its client
// address's bucket and one of the overall bucket (golang.org/x/time/rate);
// an empty bucket is 429 with Retry-After. Behind a load balancer the
// client is taken from X-Forwarded-For only when the peer is one of
// BROKER_TRUSTED_PROXIES. Tokens are shape-checked before any call to
// Stripe (a refresh token is rt_ and letters and digits; a broker code must
// open its seal), and the calls that remain are held to an overall upstream
// budget (BROKER_RATE_UPSTREAM per second), reserved before the first call
// of a request. A client whose grants Stripe refuses with invalid_grant
// three times in a row waits 1 s, 2 s, 4 s … (up to 10 minutes) before the
// broker asks Stripe for it again; an accepted grant clears that.
//
// # Operations
//
// /livez (and /healthz) say the process serves; /readyz says whether Stripe
// answers the broker's secret key (asked at most every 30 s; a failure is
// kept 5 s) and turns 503 once Drain is called, as cmd/ledgerline-broker
// does on SIGTERM. Prometheus metrics (requests by endpoint and outcome,
// calls to Stripe by call and result with their latency, 429s by the limit
// reached) come from MetricsHandler, which the command serves only on
// BROKER_METRICS_ADDR. Every request runs under one deadline
// (Config.RequestTimeout) that covers all of its calls to Stripe.
//
// # What is never logged
//
// One line per request: its id (also in the X-Request-Id header), the
// client's address, method, path (the broker's own paths; any other is
// logged as "other"), status, duration and a short outcome in the broker's
// own words. Never a query string, a body, a header, the secret key, a code,
// a token, a verifier or a state. Stripe's error descriptions are not passed
// on or logged either, since they can quote what was sent.
//
// # Other RFC 9700 measures
//
// Every response carries Cache-Control: no-store, Referrer-Policy:
// no-referrer (§4.2), X-Content-Type-Options: nosniff and frame-ancestors
// 'none' / X-Frame-Options: DENY (§4.16); redirects are 302, never 307
// (§4.12). The app talks to this one authorization server only, so the
// mix-up defence of §4.4 (an iss parameter) is not needed. Stripe's
// refresh tokens rotate in the apps flavour (§4.14).
package broker
