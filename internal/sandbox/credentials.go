package sandbox

import (
	"sync"
	"time"
)

// flavour is one of Stripe's two OAuth variants.
type flavour string

const (
	// flavourConnect is Connect OAuth: /oauth/authorize, /oauth/token,
	// access tokens that never expire, a refresh token that stays the same.
	flavourConnect flavour = "connect"
	// flavourApps is Stripe Apps OAuth: /oauth/v2/authorize, /v1/oauth/token,
	// access tokens that expire, refresh tokens that rotate on every use.
	flavourApps flavour = "apps"
)

// authCode is an authorization code waiting to be exchanged.
type authCode struct {
	flavour     flavour
	clientID    string
	accountID   string
	scope       string
	redirectURI string
	expires     time.Time
	used        bool
}

// grantToken is an issued OAuth access or refresh token.
type grantToken struct {
	flavour   flavour
	accountID string
	scope     string
	expires   time.Time // zero: never expires
	revoked   bool
	origin    string // the authorization code the grant began with; a replay of it revokes the token
}

// expired reports whether t has passed its lifetime at now.
func (t *grantToken) expired(now time.Time) bool {
	return !t.expires.IsZero() && !now.Before(t.expires)
}

// pendingAuthorization is an authorize page that was shown and not yet
// answered. Its nonce is the page's hidden field: the POST must carry it,
// and the request's parameters come from here, not from the form.
type pendingAuthorization struct {
	flavour     flavour
	clientID    string
	redirectURI string
	state       string
	scope       string
	expires     time.Time
}

// pendingLifetime is how long an authorize page stays answerable.
const pendingLifetime = time.Hour

// credentialStore holds everything issued at run time. One mutex guards it
// all: the sandbox serves tests, not traffic.
type credentialStore struct {
	mu          sync.Mutex
	codes       map[string]*authCode
	access      map[string]*grantToken
	refresh     map[string]*grantToken
	pending     map[string]*pendingAuthorization
	revokedKeys map[string]bool
	// createdKeys are restricted keys made at run time (POST /_sandbox/keys),
	// each mapped to its account id.
	createdKeys map[string]string
	accessTTL   time.Duration
}

func newCredentialStore(accessTTL time.Duration) *credentialStore {
	return &credentialStore{
		codes:       map[string]*authCode{},
		access:      map[string]*grantToken{},
		refresh:     map[string]*grantToken{},
		pending:     map[string]*pendingAuthorization{},
		revokedKeys: map[string]bool{},
		createdKeys: map[string]string{},
		accessTTL:   accessTTL,
	}
}

// setAccessTTL changes the lifetime of Stripe Apps access tokens issued from
// now on; tokens already issued keep theirs.
func (c *credentialStore) setAccessTTL(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.accessTTL = d
}

func (c *credentialStore) accessTokenTTL() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.accessTTL
}

// addPending records an authorize page and returns its nonce. Expired
// entries are swept on the way, so repeated page loads cannot pile up.
func (c *credentialStore) addPending(p pendingAuthorization, now time.Time) string {
	nonce := secretID("", nonceLen)
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.pending {
		if !now.Before(v.expires) {
			delete(c.pending, k)
		}
	}
	p.expires = now.Add(pendingLifetime)
	c.pending[nonce] = &p
	return nonce
}

// peekPending returns the authorization a nonce stands for, if it is still
// answerable, without using it up.
func (c *credentialStore) peekPending(nonce string, now time.Time) (pendingAuthorization, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pending[nonce]
	if !ok || !now.Before(p.expires) {
		return pendingAuthorization{}, false
	}
	return *p, true
}

// takePending uses up a nonce: each page can be answered once.
func (c *credentialStore) takePending(nonce string, now time.Time) (pendingAuthorization, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pending[nonce]
	delete(c.pending, nonce)
	if !ok || !now.Before(p.expires) {
		return pendingAuthorization{}, false
	}
	return *p, true
}

// addCode stores a fresh authorization code and returns it. Codes that
// expired long ago are swept on the way.
func (c *credentialStore) addCode(ac authCode) string {
	code := secretID("ac_", codeLen)
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.codes {
		// Keep used codes around for a while so a replay is recognised as one.
		if ac.expires.Sub(v.expires) > 24*time.Hour {
			delete(c.codes, k)
		}
	}
	c.codes[code] = &ac
	return code
}

// issueLocked creates an access token (and, when withRefresh, a refresh
// token) descending from the authorization code origin. Connect access
// tokens never expire; Stripe Apps ones live for the current access TTL and
// their refresh tokens for refreshTTL. Callers hold c.mu.
func (c *credentialStore) issueLocked(fl flavour, origin, accountID, scope string, now time.Time, refreshTTL time.Duration, withRefresh bool) (access, refresh string) {
	at := &grantToken{flavour: fl, accountID: accountID, scope: scope, origin: origin}
	if fl == flavourApps {
		at.expires = now.Add(c.accessTTL)
	}
	access = secretID("sk_test_", keyLen)
	c.access[access] = at
	if withRefresh {
		rt := &grantToken{flavour: fl, accountID: accountID, scope: scope, origin: origin}
		if fl == flavourApps {
			rt.expires = now.Add(refreshTTL)
		}
		refresh = secretID("rt_", refreshLen)
		c.refresh[refresh] = rt
	}
	return access, refresh
}

// revokeGrant revokes every access and refresh token of one account in one
// flavour (both flavours when fl is empty) and reports how many it revoked.
func (c *credentialStore) revokeGrant(fl flavour, accountID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
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
// access token in a flavour: whether the app is still "connected" to it.
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

// revokeToken revokes one access or refresh token; false if unknown.
func (c *credentialStore) revokeToken(token string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.access[token]; ok {
		t.revoked = true
		return true
	}
	if t, ok := c.refresh[token]; ok {
		t.revoked = true
		return true
	}
	return false
}

// revokeKey marks an API key (restricted or the platform secret key) revoked.
func (c *credentialStore) revokeKey(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.revokedKeys[key] = true
}

// createKey makes a new restricted key for an account, as the dashboard's
// "Create restricted key" does, and returns it.
func (c *credentialStore) createKey(accountID string) string {
	key := secretID("rk_test_", keyLen)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.createdKeys[key] = accountID
	return key
}

// createdKeyAccount returns the account of a key made by createKey.
func (c *credentialStore) createdKeyAccount(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.createdKeys[key]
	return id, ok
}

// keyRevoked reports whether revokeKey was called for key.
func (c *credentialStore) keyRevoked(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.revokedKeys[key]
}

// lookupAccess returns a copy of an access token's record.
func (c *credentialStore) lookupAccess(token string) (grantToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.access[token]
	if !ok {
		return grantToken{}, false
	}
	return *t, true
}
