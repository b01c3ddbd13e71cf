package sandbox

import (
	crand "crypto/rand"
	"math/rand/v2"
	"strings"
)

// alphanumeric is the alphabet of Stripe's ids and keys.
const alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Lengths of the random part after each prefix, close to what Stripe issues.
const (
	accountIDLen = 16 // acct_1Nv0FGQ9RKHgCVdK
	clientIDLen  = 32 // ca_…
	keyLen       = 99 // sk_test_…, rk_test_…, pk_test_…
	codeLen      = 32 // ac_…
	refreshLen   = 76 // rt_…
	requestIDLen = 14 // req_…
	nonceLen     = 32
)

// seededIDs draws the sandbox's fixed identities (accounts, client id,
// platform keys) from a PCG source seeded with Options.Seed, so the same seed
// always yields the same start line.
type seededIDs struct{ r *rand.Rand }

// newSeededIDs returns a source whose whole output depends only on seed.
func newSeededIDs(seed int64) seededIDs {
	// The second PCG word is a fixed, arbitrary stream selector.
	return seededIDs{r: rand.New(rand.NewPCG(uint64(seed), 0x1ed9e71e5a4db0c5))}
}

// id returns prefix followed by n alphanumeric characters.
func (s seededIDs) id(prefix string, n int) string {
	var b strings.Builder
	b.Grow(len(prefix) + n)
	b.WriteString(prefix)
	for range n {
		b.WriteByte(alphanumeric[s.r.IntN(len(alphanumeric))])
	}
	return b.String()
}

// secretID returns prefix followed by n unpredictable alphanumeric
// characters from crypto/rand. Codes, keys and nonces issued at run time
// are credentials, so they must not follow from the seed. (OAuth tokens are
// minted in tokens.go: random nonces under a MAC keyed by the seed.)
func secretID(prefix string, n int) string {
	var b strings.Builder
	b.Grow(len(prefix) + n)
	b.WriteString(prefix)
	buf := make([]byte, n+n/2)
	for b.Len() < len(prefix)+n {
		_, _ = crand.Read(buf) // crypto/rand.Read never fails on supported platforms
		for _, c := range buf {
			// 248 = 4×62: rejecting larger bytes keeps every character equally likely.
			if c < 248 && b.Len() < len(prefix)+n {
				b.WriteByte(alphanumeric[c%62])
			}
		}
	}
	return b.String()
}

// mask hides a credential the way Stripe's error messages do: the prefix
// (such as "sk_test_" or "ac_") and the last four characters stay, the rest
// becomes asterisks. Used only in responses, never in logs.
func mask(secret string) string {
	prefix := ""
	for _, p := range []string{"sk_test_", "rk_test_", "pk_test_", "sk_live_", "rk_live_", "pk_live_"} {
		if strings.HasPrefix(secret, p) {
			prefix = p
			break
		}
	}
	if prefix == "" {
		if i := strings.IndexByte(secret, '_'); i >= 0 && i < 8 {
			prefix = secret[:i+1]
		}
	}
	rest := secret[len(prefix):]
	if len(rest) <= 4 {
		return prefix + "****"
	}
	return prefix + strings.Repeat("*", len(rest)-4) + rest[len(rest)-4:]
}
