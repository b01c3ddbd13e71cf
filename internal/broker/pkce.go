package broker

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// PKCE (RFC 7636) as RFC 8252 §8.1 and RFC 9700 §2.1.1 require of native
// apps. Only S256 is accepted: plain would hand the verifier to anyone who
// sees the authorization request.

// validS256Challenge accepts exactly what BASE64URL-NOPAD(SHA-256(…))
// produces: 43 characters that decode strictly to 32 bytes.
func validS256Challenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(c)
	return err == nil && len(b) == sha256.Size
}

// validVerifier accepts RFC 7636 §4.1's code_verifier: 43–128 characters
// of A–Z a–z 0–9 "-" "." "_" "~".
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// s256 is RFC 7636 §4.2's S256 transformation.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// pkceMatches compares S256(verifier) with the bound challenge in constant time.
func pkceMatches(verifier, challenge string) bool {
	return subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(challenge)) == 1
}
