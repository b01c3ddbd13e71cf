package sandbox

import "time"

// grantToken is what an instance knows of an access or refresh token it
// issued or has verified.
type grantToken struct {
	flavour   flavour
	accountID string
	scope     string
	expires   time.Time // zero: never expires
	revoked   bool
	grant     grantID // the authorization it descends from; a replay of that code revokes the token
}

// expired reports whether t has passed its lifetime at now.
func (t *grantToken) expired(now time.Time) bool {
	return !t.expires.IsZero() && !now.Before(t.expires)
}

// grantKey is one account's authorization in one flavour.
type grantKey struct {
	flavour   flavour
	accountID string
}

// issueLocked mints an access token (and, when withRefresh, a refresh
// token) for the authorization grant and records them. Connect access
// tokens never expire; Stripe Apps ones live for the current access TTL and
// their refresh tokens for refreshTTL. Callers hold c.mu.
func (c *credentialStore) issueLocked(fl flavour, grant grantID, accountID, scope string, now time.Time, refreshTTL time.Duration, withRefresh bool) (access, refresh string) {
	claims := tokenClaims{kind: tokenAccess, flavour: fl, accountID: accountID, scope: scope, issued: now, grant: grant}
	if fl == flavourApps {
		claims.expires = now.Add(c.accessTTL)
	}
	access = c.minter.mint(claims)
	c.access[access] = &grantToken{flavour: fl, accountID: accountID, scope: scope, expires: claims.expires, grant: grant}
	if withRefresh {
		claims.kind, claims.expires = tokenRefresh, time.Time{}
		if fl == flavourApps {
			claims.expires = now.Add(refreshTTL)
		}
		refresh = c.minter.mint(claims)
		c.refresh[refresh] = &grantToken{flavour: fl, accountID: accountID, scope: scope, expires: claims.expires, grant: grant}
	}
	return access, refresh
}

// knownLocked returns this instance's record of a token of kind: the one
// it keeps, or — for a token it has not seen, from another instance with
// the same seed — a new record made from the token's verified claims,
// revoked if its grant was revoked here or it was issued no later than
// its account's last deauthorization here. False for a token that does not
// verify. Callers hold c.mu.
func (c *credentialStore) knownLocked(kind tokenKind, token string) (*grantToken, bool) {
	m := c.access
	if kind == tokenRefresh {
		m = c.refresh
	}
	if t, ok := m[token]; ok {
		return t, true
	}
	cl, ok := c.minter.verify(token)
	if !ok || cl.kind != kind {
		return nil, false
	}
	t := &grantToken{flavour: cl.flavour, accountID: cl.accountID, scope: cl.scope, expires: cl.expires, grant: cl.grant}
	cutoff, deauthorized := c.deauthorized[grantKey{cl.flavour, cl.accountID}]
	t.revoked = c.revokedGrants[cl.grant] || (deauthorized && !cl.issued.After(cutoff))
	m[token] = t
	return t, true
}

// revokeGrant revokes every access and refresh token of one account in one
// flavour (both flavours when fl is empty) and reports how many known
// tokens it revoked. Tokens from other instances that this one has not
// seen yet are refused too when they turn up, if issued no later than now.
func (c *credentialStore) revokeGrant(fl flavour, accountID string, now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range []flavour{flavourConnect, flavourApps} {
		if fl == "" || fl == f {
			c.deauthorized[grantKey{f, accountID}] = now
		}
	}
	n := 0
	for _, m := range []map[string]*grantToken{c.access, c.refresh} {
		for _, t := range m {
			if t.accountID == accountID && (fl == "" || t.flavour == fl) && !t.revoked {
				t.revoked = true
				n++
			}
		}
	}
	return n
}

// hasLiveGrant reports whether an account has an unrevoked refresh or
// access token in a flavour that this instance issued or has seen:
// whether the app is still "connected" to it.
func (c *credentialStore) hasLiveGrant(fl flavour, accountID string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range []map[string]*grantToken{c.access, c.refresh} {
		for _, t := range m {
			if t.accountID == accountID && t.flavour == fl && !t.revoked && !t.expired(now) {
				return true
			}
		}
	}
	return false
}

// revokeToken revokes one access or refresh token; false if it is not a
// token of this seed.
func (c *credentialStore) revokeToken(token string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, kind := range []tokenKind{tokenAccess, tokenRefresh} {
		if t, ok := c.knownLocked(kind, token); ok {
			t.revoked = true
			return true
		}
	}
	return false
}

// lookupAccess returns a copy of what is known of an access token: any
// token of this seed, whichever instance issued it.
func (c *credentialStore) lookupAccess(token string) (grantToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.knownLocked(tokenAccess, token)
	if !ok {
		return grantToken{}, false
	}
	return *t, true
}
