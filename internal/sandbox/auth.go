package sandbox

import (
	"net/http"
	"strings"
)

// credentialKind says what a caller authenticated with.
type credentialKind int

const (
	kindSecretKey     credentialKind = iota + 1 // the platform's sk_test_ key
	kindRestrictedKey                           // an account's rk_test_ key
	kindOAuthToken                              // an access token from /oauth/token or /v1/oauth/token
)

// principal is who a REST request acts for.
type principal struct {
	account *account
	kind    credentialKind
	scope   string // the OAuth scope; empty for API keys
}

// Stripe's messages for requests without usable credentials.
const (
	msgNoAPIKey = "You did not provide an API key. You need to provide your API key in the " +
		"Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
		"See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."
	msgEmptyAPIKey = "You did not provide an API key, though you did set your Authorization header. " +
		"Using Bearer auth, your Authorization header should look something like " +
		"'Authorization: Bearer YOUR_SECRET_KEY'. See https://stripe.com/docs/api#authentication " +
		"for details, or we can help at https://support.stripe.com/."
)

// credentialFrom reads the key or token from the Authorization header, as
// Stripe accepts it: "Bearer KEY" (what stripe-go sends) or Basic auth with
// the key as the username and an empty password. headerSet is true when an
// Authorization header was present at all.
func credentialFrom(r *http.Request) (key string, headerSet bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	if user, _, ok := r.BasicAuth(); ok {
		return strings.TrimSpace(user), true
	}
	scheme, rest, _ := strings.Cut(h, " ")
	if strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest), true
	}
	return "", true
}

// authOutcome is why a credential was or was not accepted.
type authOutcome int

const (
	authOK authOutcome = iota
	authUnknown
	authExpired
)

// resolve maps a credential to the account it acts for: the platform secret
// key to the platform, a restricted key to its account, an OAuth access
// token to the account that authorized it. Revoked keys and tokens count as
// unknown, as for a deleted key at Stripe; expired access tokens are
// reported separately because Stripe says "Expired API Key provided".
func (s *Server) resolve(key string) (principal, authOutcome) {
	a, ok := s.byKey[key]
	if !ok {
		if id, made := s.creds.createdKeyAccount(key); made {
			a, ok = s.byID[id], true
		}
	}
	if ok {
		if s.creds.keyRevoked(key) {
			return principal{}, authUnknown
		}
		kind := kindRestrictedKey
		if a.Platform {
			kind = kindSecretKey
		}
		return principal{account: a, kind: kind}, authOK
	}
	t, ok := s.creds.lookupAccess(key)
	if !ok || t.revoked {
		return principal{}, authUnknown
	}
	if t.expired(s.now()) {
		return principal{}, authExpired
	}
	a, ok = s.byID[t.accountID]
	if !ok {
		return principal{}, authUnknown
	}
	return principal{account: a, kind: kindOAuthToken, scope: t.scope}, authOK
}

// authenticate resolves the request's credential, or answers Stripe's 401
// and returns false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (principal, bool) {
	key, headerSet := credentialFrom(r)
	if key == "" {
		msg := msgNoAPIKey
		if headerSet {
			msg = msgEmptyAPIKey
		}
		writeAPIError(w, http.StatusUnauthorized, apiError{Message: msg, Type: typeInvalidRequest})
		return principal{}, false
	}
	p, outcome := s.resolve(key)
	switch outcome {
	case authOK:
		return p, true
	case authExpired:
		writeAPIError(w, http.StatusUnauthorized, apiError{
			Code:    "api_key_expired",
			DocURL:  "https://stripe.com/docs/error-codes/api-key-expired",
			Message: "Expired API Key provided: " + mask(key),
			Type:    typeInvalidRequest,
		})
	default:
		writeAPIError(w, http.StatusUnauthorized, apiError{
			Message: "Invalid API Key provided: " + mask(key),
			Type:    typeInvalidRequest,
		})
	}
	return principal{}, false
}

// checkPlatformKey checks a credential presented to an OAuth endpoint,
// which only the platform's secret key may call. It returns nil when the key
// is the platform's (and not revoked), else the invalid_client error.
func (s *Server) checkPlatformKey(key string) *oauthError {
	if key == "" {
		return &oauthError{Status: http.StatusUnauthorized, Code: errInvalidClient,
			Description: "No authentication credentials were provided. Send your secret API key " +
				"in the Authorization header using the Bearer authentication method"}
	}
	if key != s.ids.platform.APIKey || s.creds.keyRevoked(key) {
		return &oauthError{Status: http.StatusUnauthorized, Code: errInvalidClient,
			Description: "Invalid API Key provided: " + mask(key)}
	}
	return nil
}
