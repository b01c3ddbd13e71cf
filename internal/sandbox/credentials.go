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

// authCode is an authorization code waiting to be exchanged. Codes live in
// memory only: they are exchanged by the instance that issued them.
type authCode struct {
	flavour     flavour
	clientID    string
	accountID   string
	scope       string
	redirectURI string
	expires     time.Time
	used        bool
	grant       grantID // set when the code is exchanged
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
//
// OAuth tokens are self-validating (see tokens.go), so a token any sandbox
// with the same seed issued is accepted here. What a token cannot say is
// kept here, per instance:
//   - access and refresh hold every token this instance issued or verified,
//     with its revoked flag. Revoking a token (POST /_sandbox/revoke), a
//     deauthorization, a replayed code and a rotating refresh (the used
//     refresh token) mark it here, so another instance still accepts it
//     until it expires: a known difference from Stripe, fine for a test
//     double whose instances are meant to share tokens, not revocations.
//   - revokedGrants are authorizations whose code was replayed, and
//     deauthorized the time each (flavour, account) was last deauthorized,
//     so that tokens from another instance first seen later are refused
//     too when they belong to a revoked grant or were issued before then.
type credentialStore struct {
	mu            sync.Mutex
	minter        *tokenMinter
	codes         map[string]*authCode
	access        map[string]*grantToken
	refresh       map[string]*grantToken
	revokedGrants map[grantID]bool
	deauthorized  map[grantKey]time.Time
	pending       map[string]*pendingAuthorization
	revokedKeys   map[string]bool
	// createdKeys are restricted keys made at run time (POST /_sandbox/keys),
	// each mapped to its account id.
	createdKeys map[string]string
	accessTTL   time.Duration
}

func newCredentialStore(accessTTL time.Duration, minter *tokenMinter) *credentialStore {
	return &credentialStore{
		minter:        minter,
		codes:         map[string]*authCode{},
		access:        map[string]*grantToken{},
		refresh:       map[string]*grantToken{},
		revokedGrants: map[grantID]bool{},
		deauthorized:  map[grantKey]time.Time{},
		pending:       map[string]*pendingAuthorization{},
		revokedKeys:   map[string]bool{},
		createdKeys:   map[string]string{},
		accessTTL:     accessTTL,
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
