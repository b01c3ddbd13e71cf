package sandbox

import (
	"crypto/hkdf"
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"time"
)

// OAuth access and refresh tokens are self-validating, so that every
// sandbox with the same seed and accounts accepts the tokens any of them
// issued: `ledgerline --sandbox` in one process and `ledgerline --sandbox
// sync` in another each run their own sandbox, with no state in common.
//
// A token is its prefix (sk_test_ for access tokens, rt_ for refresh
// tokens) followed by a fixed number of base-62 digits (0-9A-Za-z) that
// encode, big-endian, payload ‖ MAC:
//
//	offset  size  field
//	0       1     version (1)
//	1       1     kind: 1 access, 2 refresh
//	2       1     flavour: 1 Connect, 2 Stripe Apps
//	3       1     scope: 1 read_only, 2 read_write, 3 stripe_apps
//	4       2     account: index among the connected accounts
//	6       8     issued at, Unix nanoseconds
//	14      8     expires at, Unix nanoseconds; 0 never
//	22      8     grant: random, shared by every token descending from one authorization code
//	30      n     nonce: random (27 bytes in an access token, 10 in a refresh token)
//	30+n    16    MAC: HMAC-SHA256(key, payload ‖ account id), truncated
//
// The key is HKDF-SHA256 of the seed and the platform's secret key, so a
// token from another seed, or with any digit changed, fails the MAC (or does
// not decode) and is unknown. Anyone who knows the seed can forge tokens:
// this is a test double, and its seed is no secret.
//
// What a token cannot carry stays in memory, per instance: revocations and
// used (rotated) refresh tokens. See credentialStore.
const (
	tokenVersion = 1
	tokenMACLen  = 16
	claimsLen    = 30 // the payload before the nonce

	accessPrefix  = "sk_test_"
	refreshPrefix = "rt_"
	// Digits after the prefix, and the bytes they hold: the most that fit,
	// floor(digits × log2(62) / 8), so every token of a kind has one length.
	accessDigits  = keyLen // as long as Stripe's own sk_test_ keys
	accessBytes   = 73
	refreshDigits = refreshLen
	refreshBytes  = 56
)

// tokenKind tells access tokens from refresh tokens inside the payload.
type tokenKind byte

const (
	tokenAccess  tokenKind = 1
	tokenRefresh tokenKind = 2
)

// grantID names one authorization: the tokens issued for a code and every
// token refreshed from them share it, so a replayed code can revoke them all.
type grantID [8]byte

// newGrantID returns a random grant id.
func newGrantID() grantID {
	var g grantID
	_, _ = crand.Read(g[:]) // crypto/rand.Read never fails on supported platforms
	return g
}

// tokenClaims is what a token says about itself.
type tokenClaims struct {
	kind      tokenKind
	flavour   flavour
	accountID string
	scope     string
	issued    time.Time
	expires   time.Time // zero: never expires
	grant     grantID
}

// Wire codes of flavours and scopes, in table order; 0 is never valid.
var (
	wireFlavours = [...]flavour{flavourConnect, flavourApps}
	wireScopes   = [...]string{"read_only", "read_write", appsScope}
)

// wireCode returns the code of v in table (its position plus one), or 0.
func wireCode[T comparable](table []T, v T) byte {
	for i, t := range table {
		if t == v {
			return byte(i + 1)
		}
	}
	return 0
}

// wireValue returns the entry a code stands for, or ok false.
func wireValue[T any](table []T, code byte) (v T, ok bool) {
	if code == 0 || int(code) > len(table) {
		return v, false
	}
	return table[code-1], true
}

// tokenMinter mints and verifies tokens for one seed and account list. It
// holds no mutable state, so it is safe for concurrent use.
type tokenMinter struct {
	key      []byte
	accounts []string       // connected account ids, by index
	index    map[string]int // the inverse of accounts
}

// newTokenMinter derives the MAC key from seed and the platform secret key
// (which the seed decides too; both go in so the key follows the whole
// identity of the sandbox).
func newTokenMinter(seed int64, platformKey string, accountIDs []string) *tokenMinter {
	secret := binary.BigEndian.AppendUint64(nil, uint64(seed))
	secret = append(secret, platformKey...)
	// hkdf.Key fails only for a key length beyond 255 hash lengths.
	key, err := hkdf.Key(sha256.New, secret, []byte("ledgerline sandbox"), "oauth token mac v1", sha256.Size)
	if err != nil {
		panic("sandbox: derive token key: " + err.Error())
	}
	m := &tokenMinter{key: key, accounts: accountIDs, index: make(map[string]int, len(accountIDs))}
	for i, id := range accountIDs {
		m.index[id] = i
	}
	return m
}

// mint returns a new token carrying c, with a fresh random nonce. c's
// account must be one of the minter's, and its flavour and scope known:
// the sandbox only issues tokens for what it offered.
func (m *tokenMinter) mint(c tokenClaims) string {
	idx, ok := m.index[c.accountID]
	fc, sc := wireCode(wireFlavours[:], c.flavour), wireCode(wireScopes[:], c.scope)
	if !ok || fc == 0 || sc == 0 {
		panic("sandbox: token for an unknown account, flavour or scope (account " + c.accountID +
			", flavour " + string(c.flavour) + ", scope " + c.scope + ")")
	}
	prefix, digits, size := accessPrefix, accessDigits, accessBytes
	if c.kind == tokenRefresh {
		prefix, digits, size = refreshPrefix, refreshDigits, refreshBytes
	}
	raw := make([]byte, size)
	raw[0], raw[1], raw[2], raw[3] = tokenVersion, byte(c.kind), fc, sc
	binary.BigEndian.PutUint16(raw[4:], uint16(idx))
	binary.BigEndian.PutUint64(raw[6:], uint64(c.issued.UnixNano()))
	if !c.expires.IsZero() {
		binary.BigEndian.PutUint64(raw[14:], uint64(c.expires.UnixNano()))
	}
	copy(raw[22:], c.grant[:])
	payload := raw[:size-tokenMACLen]
	_, _ = crand.Read(payload[claimsLen:])
	copy(raw[len(payload):], m.mac(payload, c.accountID))
	return prefix + encodeBase62(raw, digits)
}

// verify returns the claims of a token this minter (or one with the same
// seed and accounts) made. It reports false for anything else: a wrong
// prefix or length, a character outside the alphabet, a bad MAC, unknown
// codes. It says nothing about expiry or revocation.
func (m *tokenMinter) verify(token string) (tokenClaims, bool) {
	var (
		kind tokenKind
		body string
		size int
	)
	switch {
	case len(token) == len(accessPrefix)+accessDigits && token[:len(accessPrefix)] == accessPrefix:
		kind, body, size = tokenAccess, token[len(accessPrefix):], accessBytes
	case len(token) == len(refreshPrefix)+refreshDigits && token[:len(refreshPrefix)] == refreshPrefix:
		kind, body, size = tokenRefresh, token[len(refreshPrefix):], refreshBytes
	default:
		return tokenClaims{}, false
	}
	raw, ok := decodeBase62(body, size)
	if !ok || raw[0] != tokenVersion || tokenKind(raw[1]) != kind {
		return tokenClaims{}, false
	}
	idx := int(binary.BigEndian.Uint16(raw[4:]))
	if idx >= len(m.accounts) {
		return tokenClaims{}, false
	}
	payload, mac := raw[:size-tokenMACLen], raw[size-tokenMACLen:]
	if !hmac.Equal(mac, m.mac(payload, m.accounts[idx])) {
		return tokenClaims{}, false
	}
	fl, okF := wireValue(wireFlavours[:], raw[2])
	scope, okS := wireValue(wireScopes[:], raw[3])
	if !okF || !okS {
		return tokenClaims{}, false
	}
	c := tokenClaims{kind: kind, flavour: fl, accountID: m.accounts[idx], scope: scope,
		issued: time.Unix(0, int64(binary.BigEndian.Uint64(raw[6:]))).UTC()}
	if exp := int64(binary.BigEndian.Uint64(raw[14:])); exp != 0 {
		c.expires = time.Unix(0, exp).UTC()
	}
	copy(c.grant[:], raw[22:30])
	return c, true
}

// mac is the truncated HMAC of a payload, bound to the account id as well
// as its index, so sandboxes whose account lists differ reject each
// other's tokens rather than mix accounts up.
func (m *tokenMinter) mac(payload []byte, accountID string) []byte {
	h := hmac.New(sha256.New, m.key)
	h.Write(payload)
	h.Write([]byte(accountID))
	return h.Sum(nil)[:tokenMACLen]
}

// encodeBase62 writes b, a big-endian number, as exactly digits base-62
// digits, leading zeros included. b must be below 62^digits (the lengths
// above guarantee it); b is not changed.
func encodeBase62(b []byte, digits int) string {
	num := append([]byte(nil), b...)
	out := make([]byte, digits)
	for i := digits - 1; i >= 0; i-- {
		rem := 0
		for j, d := range num {
			x := rem<<8 | int(d)
			num[j], rem = byte(x/62), x%62
		}
		out[i] = alphanumeric[rem]
	}
	for _, d := range num {
		if d != 0 {
			panic("sandbox: " + strconv.Itoa(len(b)) + " bytes do not fit in " + strconv.Itoa(digits) + " base-62 digits")
		}
	}
	return string(out)
}

// decodeBase62 reads base-62 digits as a big-endian number of exactly size
// bytes; false if a character is not a digit or the number does not fit.
func decodeBase62(s string, size int) ([]byte, bool) {
	out := make([]byte, size)
	for i := range len(s) {
		carry := base62Digit(s[i])
		if carry < 0 {
			return nil, false
		}
		for j := size - 1; j >= 0; j-- {
			x := int(out[j])*62 + carry
			out[j], carry = byte(x), x>>8
		}
		if carry != 0 {
			return nil, false
		}
	}
	return out, true
}

// base62Digit is the value of one character of alphanumeric, or -1.
func base62Digit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 36
	}
	return -1
}
