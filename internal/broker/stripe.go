package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const maxStripeResponseBytes = 1 << 20

// stripeClient makes the broker's calls to Stripe. Every call is built from
// the configured bases only (the broker trusts no URL it did not build) and
// its client follows no redirects.
type stripeClient struct {
	http        *http.Client
	flavor      Flavor
	clientID    string
	secretKey   string
	connectBase string
	apiBase     string
	// observe, when set, hears of every call: its name, latency and error.
	observe func(call string, took time.Duration, err error)
}

// stripeTokens is Stripe's token response. It holds tokens: never format
// it into an error or a log line.
type stripeTokens struct {
	AccessToken          string `json:"access_token"`
	TokenType            string `json:"token_type"`
	RefreshToken         string `json:"refresh_token"`
	ExpiresIn            int64  `json:"expires_in"`
	Scope                string `json:"scope"`
	StripeUserID         string `json:"stripe_user_id"`
	Livemode             bool   `json:"livemode"`
	StripePublishableKey string `json:"stripe_publishable_key"`
}

// stripeFailure classifies what went wrong talking to Stripe.
type stripeFailure int

const (
	stripeUnreachable stripeFailure = iota + 1 // network error, timeout
	stripeUnavailable                          // 5xx or 429
	stripeRejected                             // 4xx with an OAuth error code
	stripeUnexpected                           // redirect, odd status, unreadable body
)

// stripeError says how a call to Stripe failed. Its text holds Stripe's
// error code and HTTP status only: Stripe's own descriptions can quote the
// code or token sent, so they are dropped.
type stripeError struct {
	Kind   stripeFailure
	Status int    // 0 when unreachable
	Code   string // Stripe's error code, such as invalid_grant
	err    error  // the transport error, when unreachable
}

func (e *stripeError) Error() string {
	switch e.Kind {
	case stripeUnreachable:
		return fmt.Sprintf("Stripe could not be reached: %v", e.err)
	case stripeRejected:
		return fmt.Sprintf("Stripe refused the request (HTTP %d, %s)", e.Status, e.Code)
	default:
		return fmt.Sprintf("Stripe answered HTTP %d", e.Status)
	}
}

func (e *stripeError) Unwrap() error { return e.err }

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newStripeClient copies cfg.HTTPClient (or builds one with timeouts) and
// makes it follow no redirects: a 3xx from Stripe is an unexpected answer,
// never a hop to an address the broker did not choose.
func newStripeClient(cfg Config) *stripeClient {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = stripeResponseHeaderCap
		hc.Transport = tr
	}
	if hc.Timeout == 0 {
		hc.Timeout = stripeRequestTimeout
	}
	hc.CheckRedirect = noRedirects
	return &stripeClient{
		http: &hc, flavor: cfg.Flavor, clientID: cfg.ClientID, secretKey: cfg.SecretKey,
		connectBase: cfg.ConnectBase, apiBase: cfg.APIBase,
	}
}

// exchangeCode trades Stripe's authorization code for tokens.
func (c *stripeClient) exchangeCode(ctx context.Context, code string) (stripeTokens, error) {
	return c.token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}})
}

// refresh trades a refresh token for new tokens; in the apps flavour the
// answer holds a rotated refresh token.
func (c *stripeClient) refresh(ctx context.Context, refreshToken string) (stripeTokens, error) {
	return c.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
}

func (c *stripeClient) token(ctx context.Context, form url.Values) (stripeTokens, error) {
	endpoint := c.apiBase + "/v1/oauth/token"
	basic := true
	if c.flavor == FlavorConnect {
		endpoint = c.connectBase + "/oauth/token"
		form.Set("client_secret", c.secretKey)
		basic = false
	}
	var t stripeTokens
	if err := c.do(ctx, http.MethodPost, endpoint, form, basic, "", &t); err != nil {
		return stripeTokens{}, err
	}
	if t.AccessToken == "" {
		return stripeTokens{}, &stripeError{Kind: stripeUnexpected, Status: http.StatusOK}
	}
	return t, nil
}

// errTokenNotAccepted means Stripe answered 401 to the token: it is
// revoked, expired or was never valid.
var errTokenNotAccepted = errors.New("Stripe does not accept the token")

// accountFor asks Stripe which account accessToken belongs to. It returns
// errTokenNotAccepted when Stripe answers 401.
func (c *stripeClient) accountFor(ctx context.Context, accessToken string) (string, error) {
	var acct struct {
		ID string `json:"id"`
	}
	err := c.do(ctx, http.MethodGet, c.apiBase+"/v1/account", nil, false, accessToken, &acct)
	var se *stripeError
	if errors.As(err, &se) && se.Status == http.StatusUnauthorized {
		return "", errTokenNotAccepted
	}
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(acct.ID, "acct_") {
		return "", &stripeError{Kind: stripeUnexpected, Status: http.StatusOK}
	}
	return acct.ID, nil
}

// probe asks Stripe for the platform's own account with the secret key:
// the readiness check. Any error is a *stripeError.
func (c *stripeClient) probe(ctx context.Context) error {
	var acct struct{}
	return c.do(ctx, http.MethodGet, c.apiBase+"/v1/account", nil, true, "", &acct)
}

// deauthorize disconnects accountID from the platform, with the secret key.
func (c *stripeClient) deauthorize(ctx context.Context, accountID string) error {
	endpoint := c.apiBase + "/v1/oauth/deauthorize"
	if c.flavor == FlavorConnect {
		endpoint = c.connectBase + "/oauth/deauthorize"
	}
	form := url.Values{"client_id": {c.clientID}, "stripe_user_id": {accountID}}
	var out struct{}
	return c.do(ctx, http.MethodPost, endpoint, form, true, "", &out)
}

// do sends one request. form goes in the body of a POST; basic sends the
// secret key as basic auth; bearer, when set, is sent as a bearer token
// instead. A 2xx JSON answer is decoded into dst; anything else becomes a
// *stripeError.
func (c *stripeClient) do(ctx context.Context, method, endpoint string, form url.Values, basic bool, bearer string, dst any) (err error) {
	if c.observe != nil {
		start := time.Now()
		defer func() { c.observe(callName(endpoint, basic && form == nil), time.Since(start), err) }()
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, body)
	if err != nil {
		return fmt.Errorf("build the request to Stripe: %w", err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ledgerline-broker")
	switch {
	case bearer != "":
		req.Header.Set("Authorization", "Bearer "+bearer)
	case basic:
		req.SetBasicAuth(c.secretKey, "")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &stripeError{Kind: stripeUnreachable, err: redactURLError(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxStripeResponseBytes))
	if err != nil {
		return &stripeError{Kind: stripeUnreachable, Status: resp.StatusCode, err: err}
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		if err := json.Unmarshal(raw, dst); err != nil {
			return &stripeError{Kind: stripeUnexpected, Status: resp.StatusCode}
		}
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &stripeError{Kind: stripeUnavailable, Status: resp.StatusCode}
	case resp.StatusCode >= 400:
		return &stripeError{Kind: stripeRejected, Status: resp.StatusCode, Code: stripeErrorCode(raw)}
	default:
		return &stripeError{Kind: stripeUnexpected, Status: resp.StatusCode}
	}
}

// callName names a call to Stripe for the metrics: token, deauthorize,
// account (a token's account, at revocation) or ready (the probe).
func callName(endpoint string, probe bool) string {
	switch {
	case strings.HasSuffix(endpoint, "/oauth/token"):
		return "token"
	case strings.HasSuffix(endpoint, "/oauth/deauthorize"):
		return "deauthorize"
	case probe:
		return "ready"
	default:
		return "account"
	}
}

// stripeErrorCode reads the error code from Stripe's OAuth error shape
// {"error":"invalid_grant",…} or its API shape {"error":{"code"|"type":…}}.
// It returns "unknown" when neither is there; the code is kept short and
// printable since it ends up in logs.
func stripeErrorCode(raw []byte) string {
	var env struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &env) != nil || len(env.Error) == 0 {
		return "unknown"
	}
	var code string
	if json.Unmarshal(env.Error, &code) != nil {
		var obj struct{ Code, Type string }
		if json.Unmarshal(env.Error, &obj) == nil {
			code = obj.Code
			if code == "" {
				code = obj.Type
			}
		}
	}
	if !isErrorCode(code) {
		return "unknown"
	}
	return code
}

// isErrorCode accepts short snake_case codes such as invalid_grant.
func isErrorCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// redactURLError keeps a transport error's cause but not its URL. The URLs
// the broker builds hold no secret today; this keeps it so if one ever does.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
