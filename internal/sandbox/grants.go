package sandbox

import (
	"net/http"
	"time"
)

// issued is what a successful grant hands out.
type issued struct {
	accountID string
	scope     string
	access    string
	refresh   string
	expiresIn time.Duration // zero for tokens that do not expire
}

// codeRequest is a token request with grant_type=authorization_code.
type codeRequest struct {
	flavour     flavour
	clientID    string
	code        string
	redirectURI string // optional, as at Stripe; checked when present
	refreshTTL  time.Duration
}

// redeemCode exchanges an authorization code for tokens. A code works once,
// only before it expires, only for the client and flavour it was issued to,
// and — when the request names a redirect_uri — only with the one it was
// issued for. Replaying a used code revokes every token issued with it or
// refreshed from those, as Stripe does (RFC 6749 §4.1.2).
func (c *credentialStore) redeemCode(req codeRequest, now time.Time) (issued, *oauthError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ac, ok := c.codes[req.code]
	if !ok {
		return issued{}, grantError("Authorization code does not exist: " + mask(req.code))
	}
	if ac.clientID != req.clientID {
		return issued{}, grantError("Authorization code provided does not belong to you")
	}
	if ac.flavour != req.flavour {
		return issued{}, grantError(wrongFlavourMessage(ac.flavour, "Authorization code"))
	}
	if ac.used {
		c.revokedGrants[ac.grant] = true
		for _, m := range []map[string]*grantToken{c.access, c.refresh} {
			for _, t := range m {
				if t.grant == ac.grant {
					t.revoked = true
				}
			}
		}
		return issued{}, grantError("This authorization code has already been used. " +
			"All tokens issued with this code have been revoked.")
	}
	if !now.Before(ac.expires) {
		return issued{}, grantError("Authorization code expired: " + mask(req.code))
	}
	if req.redirectURI != "" && req.redirectURI != ac.redirectURI {
		return issued{}, grantError("The redirect_uri does not match the one used in the authorization request.")
	}
	ac.used, ac.grant = true, newGrantID()
	out := issued{accountID: ac.accountID, scope: ac.scope}
	out.access, out.refresh = c.issueLocked(ac.flavour, ac.grant, ac.accountID, ac.scope, now, req.refreshTTL, true)
	if ac.flavour == flavourApps {
		out.expiresIn = c.accessTTL
	}
	return out, nil
}

// refreshRequest is a token request with grant_type=refresh_token.
type refreshRequest struct {
	flavour      flavour
	refreshToken string
	scope        string // optional narrowing (Connect: read_write → read_only)
	refreshTTL   time.Duration
}

// useRefresh issues a new access token for a refresh token. Stripe Apps
// refresh tokens rotate: the old one stops working at once and a new one is
// returned; another instance with the same seed, which did not see the use,
// would still accept the old one until it expires (see credentialStore).
// Connect refresh tokens stay valid and are returned unchanged.
// Either way the access tokens issued before keep working until they
// expire or are revoked.
func (c *credentialStore) useRefresh(req refreshRequest, now time.Time) (issued, *oauthError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rt, ok := c.knownLocked(tokenRefresh, req.refreshToken)
	if !ok || rt.revoked {
		return issued{}, grantError("Invalid refresh token: " + mask(req.refreshToken))
	}
	if rt.flavour != req.flavour {
		return issued{}, grantError(wrongFlavourMessage(rt.flavour, "Refresh token"))
	}
	if rt.expired(now) {
		return issued{}, grantError("Refresh token expired: " + mask(req.refreshToken))
	}
	scope := rt.scope
	if req.scope != "" && req.scope != rt.scope {
		if rt.scope != "read_write" || req.scope != "read_only" {
			return issued{}, &oauthError{Status: http.StatusBadRequest, Code: errInvalidScope,
				Description: "The scope " + req.scope + " is broader than the scope of this refresh token (" + rt.scope + ")."}
		}
		scope = req.scope
	}
	out := issued{accountID: rt.accountID, scope: scope}
	if rt.flavour == flavourApps {
		rt.revoked = true
		out.access, out.refresh = c.issueLocked(rt.flavour, rt.grant, rt.accountID, scope, now, req.refreshTTL, true)
		out.expiresIn = c.accessTTL
		return out, nil
	}
	out.access, _ = c.issueLocked(rt.flavour, rt.grant, rt.accountID, scope, now, 0, false)
	out.refresh = req.refreshToken
	return out, nil
}

// grantError is a 400 invalid_grant with a description.
func grantError(description string) *oauthError {
	return &oauthError{Status: http.StatusBadRequest, Code: errInvalidGrant, Description: description}
}

// wrongFlavourMessage explains a code or refresh token brought to the other
// flavour's token endpoint: a sandbox-only situation, worded to help.
func wrongFlavourMessage(issuedBy flavour, what string) string {
	if issuedBy == flavourApps {
		return what + " was issued by Stripe Apps OAuth (/oauth/v2/authorize); exchange it at /v1/oauth/token."
	}
	return what + " was issued by Connect OAuth (/oauth/authorize); exchange it at /oauth/token."
}
