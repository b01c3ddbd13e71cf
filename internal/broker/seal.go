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

// Sealed envelope format (version 1):
//
//	envelope  = BASE64URL-NOPAD( version || nonce || ciphertext )
//	version   = 0x01 (1 byte)
//	nonce     = 12 random bytes
//	ciphertext= AES-256-GCM(key, nonce, plaintext, aad) including its 16-byte tag
//	aad       = "ledgerline-broker/v1/" + purpose        ("state" or "code")
//	plaintext = JSON {"p": purpose, "exp": unix milliseconds, "b": body}
//
// The purpose is bound twice: as additional authenticated data, so an
// envelope sealed for one purpose fails authentication when opened for the
// other, and inside the plaintext as a second check. Nothing in an envelope
// is readable without the key, so Stripe's authorization code can travel
// inside a broker code through the browser.
const (
	sealVersion      = 0x01
	sealingKeySize   = 32
	maxEnvelopeChars = 4096
	sealAADPrefix    = "ledgerline-broker/v1/"
	// sealingKeyInfo is the HKDF info string for keys derived from the
	// Stripe secret key; replicas sharing the secret key derive the same key.
	sealingKeyInfo = "ledgerline-broker sealing key v1"

	purposeState = "state"
	purposeCode  = "code"
)

var (
	// errSealInvalid covers every envelope that does not open: malformed,
	// tampered with, sealed by another key or for another purpose.
	errSealInvalid = errors.New("the sealed value is not valid")
	// errSealExpired is an authentic envelope whose lifetime is over.
	errSealExpired = errors.New("the sealed value has expired")
)

// sealer seals and opens envelopes with one AES-256-GCM key. It is safe for
// concurrent use. Random 96-bit nonces keep a key safe for about 2^32
// envelopes (NIST SP 800-38D); rotate BROKER_SEALING_KEY long before that.
type sealer struct {
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

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("set up AES: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("set up AES-GCM: %w", err)
	}
	return &sealer{aead: aead}, nil
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
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return "", fmt.Errorf("draw a nonce: %w", err)
	}
	out = s.aead.Seal(out, out[1:], plain, []byte(sealAADPrefix+purpose))
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
	ns := s.aead.NonceSize()
	if len(raw) < 1+ns+s.aead.Overhead() || raw[0] != sealVersion {
		return errSealInvalid
	}
	plain, err := s.aead.Open(nil, raw[1:1+ns], raw[1+ns:], []byte(sealAADPrefix+purpose))
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
