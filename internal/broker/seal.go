package broker

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Sealed envelope format (version 2):
//
//	envelope  = BASE64URL-NOPAD( version || idlen || id || nonce || ciphertext )
//	version   = 0x02 (1 byte)
//	idlen, id = the sealing key's id: 1 byte of length (1..16), then the id
//	nonce     = 12 random bytes
//	ciphertext= AES-256-GCM(key, nonce, plaintext, aad) including its 16-byte tag
//	aad       = "ledgerline-broker/v2/" + purpose + "/" + id   (purpose "state" or "code")
//	plaintext = JSON {"p": purpose, "exp": unix milliseconds, "b": body}
//
// The purpose is bound twice: as additional authenticated data, so an
// envelope sealed for one purpose fails authentication when opened for the
// other, and inside the plaintext as a second check. Nothing in an envelope
// is readable without the key, so Stripe's authorization code can travel
// inside a broker code through the browser.
//
// Rotation: the broker holds several keys, each with an id; the first
// (newest) seals, and an envelope opens with the key its id names. To
// rotate, put a new key first and keep the old one until every envelope
// it sealed has expired (10 minutes: the state's lifetime), then drop it.
// Version 1 envelopes (no key id, before rotation existed) are refused:
// they lived at most 10 minutes.
const (
	sealVersion      = 0x02
	sealingKeySize   = 32
	maxKeyIDLen      = 16
	maxEnvelopeChars = 4096
	sealAADPrefix    = "ledgerline-broker/v2/"
	// sealingKeyInfo is the HKDF info string for keys derived from the
	// Stripe secret key; replicas sharing the secret key derive the same key.
	sealingKeyInfo = "ledgerline-broker sealing key v1"
	// defaultKeyID names the one key of a broker configured without ids
	// (BROKER_SEALING_KEY, or the key derived from the secret key).
	defaultKeyID = "0"

	purposeState = "state"
	purposeCode  = "code"
)

// SealingKey is one AES-256 key with its id, as BROKER_SEALING_KEYS lists
// them. The id travels in every envelope the key seals: 1 to 16 of
// a-z A-Z 0-9 - _.
type SealingKey struct {
	ID  string
	Key []byte
}

var (
	// errSealInvalid covers every envelope that does not open: malformed,
	// tampered with, sealed by another key or for another purpose.
	errSealInvalid = errors.New("the sealed value is not valid")
	// errSealExpired is an authentic envelope whose lifetime is over.
	errSealExpired = errors.New("the sealed value has expired")
)

// sealer seals with its first key and opens with any of its keys, chosen
// by the id in the envelope. It is safe for concurrent use. Random 96-bit
// nonces keep a key safe for about 2^32 envelopes (NIST SP 800-38D);
// rotate long before that.
type sealer struct {
	keys []sealKey // keys[0] seals
}

type sealKey struct {
	id   string
	aead cipher.AEAD
}

type sealedEnvelope struct {
	Purpose string          `json:"p"`
	Expires int64           `json:"exp"`
	Body    json.RawMessage `json:"b"`
}

// sealingKey returns the configured key, or one derived from the secret key
// with HKDF-SHA256 (RFC 5869) so replicas that share the config agree.
func sealingKey(c Config) ([]byte, error) {
	if c.SealingKey != nil {
		if len(c.SealingKey) != sealingKeySize {
			return nil, fmt.Errorf("the sealing key must be %d bytes, not %d", sealingKeySize, len(c.SealingKey))
		}
		return bytes.Clone(c.SealingKey), nil
	}
	key, err := hkdf.Key(sha256.New, []byte(c.SecretKey), nil, sealingKeyInfo, sealingKeySize)
	if err != nil {
		return nil, fmt.Errorf("derive the sealing key: %w", err)
	}
	return key, nil
}

// newSealer is a sealer with one key, under defaultKeyID.
func newSealer(key []byte) (*sealer, error) {
	return newSealerKeys([]SealingKey{{ID: defaultKeyID, Key: key}})
}

// newSealerKeys is a sealer that seals with keys[0] and opens with any.
func newSealerKeys(keys []SealingKey) (*sealer, error) {
	if len(keys) == 0 {
		return nil, errors.New("no sealing key")
	}
	s := &sealer{}
	seen := map[string]bool{}
	for _, k := range keys {
		if !validKeyID(k.ID) || seen[k.ID] {
			return nil, fmt.Errorf("sealing key id %q is repeated or not 1 to %d of a-z A-Z 0-9 - _", clip(k.ID), maxKeyIDLen)
		}
		seen[k.ID] = true
		if len(k.Key) != sealingKeySize {
			return nil, fmt.Errorf("sealing key %s must be %d bytes, not %d", k.ID, sealingKeySize, len(k.Key))
		}
		block, err := aes.NewCipher(k.Key)
		if err != nil {
			return nil, fmt.Errorf("set up AES: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("set up AES-GCM: %w", err)
		}
		s.keys = append(s.keys, sealKey{id: k.ID, aead: aead})
	}
	return s, nil
}

func validKeyID(id string) bool {
	if id == "" || len(id) > maxKeyIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// seal encrypts body (marshalled as JSON) for purpose until expires.
func (s *sealer) seal(purpose string, expires time.Time, body any) (string, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("encode sealed body: %w", err)
	}
	plain, err := json.Marshal(sealedEnvelope{Purpose: purpose, Expires: expires.UnixMilli(), Body: b})
	if err != nil {
		return "", fmt.Errorf("encode envelope: %w", err)
	}
	k := s.keys[0]
	head := 2 + len(k.id)
	ns := k.aead.NonceSize()
	out := make([]byte, head+ns, head+ns+len(plain)+k.aead.Overhead())
	out[0], out[1] = sealVersion, byte(len(k.id))
	copy(out[2:], k.id)
	if _, err := rand.Read(out[head:]); err != nil {
		return "", fmt.Errorf("draw a nonce: %w", err)
	}
	out = k.aead.Seal(out, out[head:], plain, []byte(sealAADPrefix+purpose+"/"+k.id))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// open authenticates and decrypts an envelope sealed for purpose, checks it
// has not expired at now, and decodes its body into dst. It returns
// errSealInvalid or errSealExpired and never panics on any input.
func (s *sealer) open(purpose, envelope string, now time.Time, dst any) error {
	if envelope == "" || len(envelope) > maxEnvelopeChars {
		return errSealInvalid
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(envelope)
	if err != nil {
		return errSealInvalid
	}
	if len(raw) < 2 || raw[0] != sealVersion || int(raw[1]) > maxKeyIDLen || len(raw) < 2+int(raw[1]) {
		return errSealInvalid
	}
	id := string(raw[2 : 2+int(raw[1])])
	var k *sealKey
	for i := range s.keys {
		if s.keys[i].id == id {
			k = &s.keys[i]
		}
	}
	if k == nil {
		return errSealInvalid // a retired key's, or another broker's
	}
	head, ns := 2+len(id), k.aead.NonceSize()
	if len(raw) < head+ns+k.aead.Overhead() {
		return errSealInvalid
	}
	plain, err := k.aead.Open(nil, raw[head:head+ns], raw[head+ns:], []byte(sealAADPrefix+purpose+"/"+id))
	if err != nil {
		return errSealInvalid
	}
	var env sealedEnvelope
	if err := json.Unmarshal(plain, &env); err != nil || env.Purpose != purpose {
		return errSealInvalid
	}
	if !now.Before(time.UnixMilli(env.Expires)) {
		return errSealExpired
	}
	if err := json.Unmarshal(env.Body, dst); err != nil {
		return errSealInvalid
	}
	return nil
}
