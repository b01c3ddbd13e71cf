package broker

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

func testSealer(t testing.TB, secret string) *sealer {
	t.Helper()
	key, err := sealingKey(Config{SecretKey: secret})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealer(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := testSealer(t, testSecretKey)
	body := stateBody{RedirectURI: "http://127.0.0.1:1/callback", State: "xyz", Challenge: "c", Mode: "test"}

	t.Run("opens what it sealed, for the same purpose, before expiry", func(t *testing.T) {
		env, err := s.seal(purposeState, now.Add(time.Minute), body)
		if err != nil {
			t.Fatal(err)
		}
		var got stateBody
		if err := s.open(purposeState, env, now.Add(59*time.Second), &got); err != nil || got != body {
			t.Fatalf("open: %v %+v", err, got)
		}
		if bytes.Contains([]byte(env), []byte("xyz")) {
			t.Fatal("the envelope shows its content")
		}
	})

	t.Run("two seals of the same body differ", func(t *testing.T) {
		a, _ := s.seal(purposeState, now, body)
		b, _ := s.seal(purposeState, now, body)
		if a == b {
			t.Fatal("nonces are not fresh")
		}
	})

	t.Run("refuses another purpose, expiry, tampering and another key", func(t *testing.T) {
		env, _ := s.seal(purposeState, now.Add(time.Minute), body)
		var got stateBody
		if err := s.open(purposeCode, env, now, &got); !errors.Is(err, errSealInvalid) {
			t.Errorf("other purpose: %v", err)
		}
		if err := s.open(purposeState, env, now.Add(time.Minute), &got); !errors.Is(err, errSealExpired) {
			t.Errorf("at expiry: %v", err)
		}
		raw, _ := base64.RawURLEncoding.DecodeString(env)
		for i := range raw {
			bad := bytes.Clone(raw)
			bad[i] ^= 0x01
			if err := s.open(purposeState, base64.RawURLEncoding.EncodeToString(bad), now, &got); !errors.Is(err, errSealInvalid) {
				t.Fatalf("byte %d flipped: %v", i, err)
			}
		}
		if err := testSealer(t, "sk_test_other").open(purposeState, env, now, &got); !errors.Is(err, errSealInvalid) {
			t.Errorf("other key: %v", err)
		}
	})

	t.Run("the same secret key derives the same sealing key; an explicit key wins", func(t *testing.T) {
		a, _ := sealingKey(Config{SecretKey: testSecretKey})
		b, _ := sealingKey(Config{SecretKey: testSecretKey})
		c, _ := sealingKey(Config{SecretKey: "sk_test_other"})
		explicit := bytes.Repeat([]byte{9}, 32)
		d, _ := sealingKey(Config{SecretKey: testSecretKey, SealingKey: explicit})
		if !bytes.Equal(a, b) || bytes.Equal(a, c) || !bytes.Equal(d, explicit) || len(a) != 32 {
			t.Fatal("key derivation is not deterministic per secret, or ignores the explicit key")
		}
	})
}

func TestRedeemedCodes(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	t.Run("a code id is claimed once until its code expires", func(t *testing.T) {
		r := newRedeemedCodes(10)
		if !r.claim("a", now.Add(time.Minute), now) || r.claim("a", now.Add(time.Minute), now.Add(time.Second)) {
			t.Fatal("second claim within the lifetime succeeded")
		}
		if !r.claim("b", now.Add(2*time.Minute), now.Add(time.Minute)) || r.len() != 1 {
			t.Fatalf("expired entries were not dropped: %d left", r.len())
		}
	})

	t.Run("stays bounded, dropping the oldest", func(t *testing.T) {
		r := newRedeemedCodes(3)
		for _, id := range []string{"a", "b", "c", "d"} {
			r.claim(id, now.Add(time.Minute), now)
		}
		if r.len() != 3 || !r.claim("a", now.Add(time.Minute), now) {
			t.Fatal("not bounded to 3 with the oldest evicted")
		}
	})

	t.Run("a released id can be claimed again", func(t *testing.T) {
		r := newRedeemedCodes(3)
		r.claim("a", now.Add(time.Minute), now)
		r.release("a")
		if !r.claim("a", now.Add(time.Minute), now) {
			t.Fatal("release did not forget the id")
		}
	})
}

func TestLoopbackRedirects(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:1/callback", "http://127.0.0.1:65535/callback", "http://[::1]:8080/callback"} {
		if !validLoopbackRedirect(ok) {
			t.Errorf("refused %s", ok)
		}
	}
	for _, bad := range []string{"http://127.0.0.1:99999/callback", "http://127.0.0.1:-1/callback", "http://[::1]/callback", "http://[0:0:0:0:0:0:0:1]:80/callback", "http://127.0.0.1:80/callback\x00"} {
		if validLoopbackRedirect(bad) {
			t.Errorf("accepted %q", bad)
		}
	}
}

// BenchmarkSealOpenCode measures one broker code's seal and open, the
// per-sign-in crypto cost a replica pays.
func BenchmarkSealOpenCode(b *testing.B) {
	s := testSealer(b, testSecretKey)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	body := codeBody{ID: "0123456789abcdef0123456789abcdef", StripeCode: "ac_" + randHex(16),
		RedirectURI: "http://127.0.0.1:49152/callback", Challenge: newTestApp().challenge, Mode: "test"}
	for b.Loop() {
		env, err := s.seal(purposeCode, now.Add(time.Minute), body)
		if err != nil {
			b.Fatal(err)
		}
		var got codeBody
		if err := s.open(purposeCode, env, now, &got); err != nil {
			b.Fatal(err)
		}
	}
}
