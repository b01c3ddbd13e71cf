package sandbox

import (
	"bytes"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"
)

func testMinter(seed int64) *tokenMinter {
	ids := newIdentities(seed, 3, "Ledgerline")
	var accts []string
	for _, a := range ids.accounts {
		accts = append(accts, a.ID)
	}
	return newTokenMinter(seed, ids.platform.APIKey, accts)
}

func TestTokenCodec(t *testing.T) {
	t.Run("the byte sizes are the most the digits hold", func(t *testing.T) {
		for _, c := range []struct{ digits, size int }{{accessDigits, accessBytes}, {refreshDigits, refreshBytes}} {
			limit := new(big.Int).Exp(big.NewInt(62), big.NewInt(int64(c.digits)), nil)
			fits := func(n int) bool { return new(big.Int).Lsh(big.NewInt(1), uint(8*n)).Cmp(limit) <= 0 }
			if !fits(c.size) || fits(c.size+1) {
				t.Fatalf("%d digits: %d bytes is not the most that fit", c.digits, c.size)
			}
			if c.size-claimsLen-tokenMACLen < 8 {
				t.Fatalf("%d digits leave a nonce of only %d bytes", c.digits, c.size-claimsLen-tokenMACLen)
			}
		}
	})

	t.Run("base 62 round-trips the largest and smallest numbers and refuses overflow", func(t *testing.T) {
		for _, b := range [][]byte{bytes.Repeat([]byte{0xff}, accessBytes), make([]byte, accessBytes), []byte("\x01" + strings.Repeat("\x00", accessBytes-1))} {
			s := encodeBase62(b, accessDigits)
			if len(s) != accessDigits {
				t.Fatalf("%d digits, want %d", len(s), accessDigits)
			}
			got, ok := decodeBase62(s, accessBytes)
			if !ok || !bytes.Equal(got, b) {
				t.Fatalf("round trip of %x gave %x, %v", b, got, ok)
			}
			want := new(big.Int).SetBytes(b).Text(62) // math/big's digits are 0-9a-zA-Z
			if strings.TrimLeft(s, "0") != strings.TrimLeft(swapCase(want), "0") {
				t.Fatalf("%x encodes as %s, math/big says %s", b, s, want)
			}
		}
		if _, ok := decodeBase62(strings.Repeat("z", accessDigits), accessBytes); ok {
			t.Fatal("62^99-1 decoded into 73 bytes")
		}
		if _, ok := decodeBase62(strings.Repeat("0", accessDigits-1)+"-", accessBytes); ok {
			t.Fatal("a character outside the alphabet decoded")
		}
	})
}

// swapCase maps math/big's base-62 alphabet onto the sandbox's.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

func TestTokenMinter(t *testing.T) {
	m := testMinter(1)
	now := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)
	claims := tokenClaims{kind: tokenAccess, flavour: flavourApps, accountID: m.accounts[2], scope: appsScope,
		issued: now, expires: now.Add(time.Hour), grant: grantID{1, 2, 3, 4, 5, 6, 7, 8}}
	access := m.mint(claims)
	refreshClaims := claims
	refreshClaims.kind, refreshClaims.flavour, refreshClaims.scope, refreshClaims.expires = tokenRefresh, flavourConnect, "read_write", time.Time{}
	refresh := m.mint(refreshClaims)

	t.Run("tokens have Stripe's prefixes, one length per kind and the key alphabet", func(t *testing.T) {
		if !regexp.MustCompile(`^sk_test_[0-9A-Za-z]{99}$`).MatchString(access) {
			t.Fatalf("access token of length %d has the wrong shape", len(access))
		}
		if !regexp.MustCompile(`^rt_[0-9A-Za-z]{76}$`).MatchString(refresh) {
			t.Fatalf("refresh token of length %d has the wrong shape", len(refresh))
		}
	})

	t.Run("a token verifies to the claims it was minted with", func(t *testing.T) {
		for tok, want := range map[string]tokenClaims{access: claims, refresh: refreshClaims} {
			got, ok := m.verify(tok)
			if !ok || got != want {
				t.Fatalf("verify: %v %+v, want %+v", ok, got, want)
			}
		}
	})

	t.Run("a minter with the same seed verifies it, one with another seed does not", func(t *testing.T) {
		if _, ok := testMinter(1).verify(access); !ok {
			t.Fatal("a second minter with seed 1 refused the token")
		}
		if _, ok := testMinter(2).verify(access); ok {
			t.Fatal("a minter with seed 2 accepted the token")
		}
	})

	t.Run("equal claims make different tokens", func(t *testing.T) {
		if m.mint(claims) == access {
			t.Fatal("two tokens with equal claims are equal: no nonce")
		}
	})

	t.Run("a change to any one character is refused", func(t *testing.T) {
		for tok, prefix := range map[string]string{access: accessPrefix, refresh: refreshPrefix} {
			for i := len(prefix); i < len(tok); i++ {
				b := []byte(tok)
				b[i] = alphanumeric[(base62Digit(b[i])+1)%62]
				if _, ok := m.verify(string(b)); ok {
					t.Fatalf("changed character %d and the token still verifies", i)
				}
			}
		}
	})
}

func BenchmarkTokenVerify(b *testing.B) {
	m := testMinter(1)
	now := time.Now()
	tok := m.mint(tokenClaims{kind: tokenAccess, flavour: flavourApps, accountID: m.accounts[0], scope: appsScope,
		issued: now, expires: now.Add(time.Hour)})
	for b.Loop() {
		if _, ok := m.verify(tok); !ok {
			b.Fatal("refused")
		}
	}
}
