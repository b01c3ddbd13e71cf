package broker

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSealingKeyRotation(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	body := stateBody{RedirectURI: "http://127.0.0.1:1/callback", State: "s", Challenge: "c", Mode: "test"}
	mustSealer := func(keys ...SealingKey) *sealer {
		t.Helper()
		s, err := newSealerKeys(keys)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := mustSealer(SealingKey{"2026a", oldKey})
	during := mustSealer(SealingKey{"2026b", newKey}, SealingKey{"2026a", oldKey})
	after := mustSealer(SealingKey{"2026b", newKey})

	sealedBefore, _ := before.seal(purposeState, now.Add(time.Minute), body)
	sealedDuring, _ := during.seal(purposeState, now.Add(time.Minute), body)
	var got stateBody
	t.Run("the newest key seals, and its id is in the envelope", func(t *testing.T) {
		raw, _ := base64.RawURLEncoding.DecodeString(sealedDuring)
		if raw[0] != sealVersion || string(raw[2:2+raw[1]]) != "2026b" {
			t.Fatalf("envelope head %v", raw[:8])
		}
		if err := after.open(purposeState, sealedDuring, now, &got); err != nil || got != body {
			t.Fatalf("the new key alone does not open it: %v", err)
		}
	})
	t.Run("every key held opens what it sealed", func(t *testing.T) {
		if err := during.open(purposeState, sealedBefore, now, &got); err != nil || got != body {
			t.Fatalf("an envelope of the old key, during rotation: %v", err)
		}
	})
	t.Run("a dropped key's envelopes no longer open", func(t *testing.T) {
		if err := after.open(purposeState, sealedBefore, now, &got); !errors.Is(err, errSealInvalid) {
			t.Fatalf("after rotation: %v", err)
		}
	})
	t.Run("an envelope relabelled with another key's id does not open", func(t *testing.T) {
		raw, _ := base64.RawURLEncoding.DecodeString(sealedBefore) // sealed by 2026a
		copy(raw[2:], "2026b")
		if err := during.open(purposeState, base64.RawURLEncoding.EncodeToString(raw), now, &got); !errors.Is(err, errSealInvalid) {
			t.Fatalf("relabelled: %v", err)
		}
	})
	t.Run("bad key lists are refused", func(t *testing.T) {
		for name, keys := range map[string][]SealingKey{
			"none":        nil,
			"repeated id": {{"a", oldKey}, {"a", newKey}},
			"empty id":    {{"", oldKey}},
			"id too long": {{strings.Repeat("x", 17), oldKey}},
			"odd id":      {{"a b", oldKey}},
			"short key":   {{"a", oldKey[:16]}},
		} {
			if _, err := newSealerKeys(keys); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
	})

	t.Run("a sign-in started before a rotation finishes after it, across replicas", func(t *testing.T) {
		env := newTestEnv(t, FlavorApps, func(c *Config) { c.SealingKeys = []SealingKey{{"2026a", oldKey}} })
		env.stripe.expect("POST /v1/oauth/token")
		app := newTestApp()
		sealed := env.authorize(app) // sealed by the old key
		rotated := *env
		cfg := env.broker.cfg
		cfg.SealingKeys = []SealingKey{{"2026b", newKey}, {"2026a", oldKey}}
		replica := newReplicaWith(t, cfg)
		resp, err := env.http.Get(replica.URL + pathStripeCallback + "?" + url.Values{"code": {env.stripe.approve("acct_rot")}, "state": {sealed}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		code := mustRedirect(t, resp).Query().Get("code")
		rotated.srv = replica
		if status, body := rotated.exchange(app, code); status != http.StatusOK {
			t.Fatalf("exchange at the rotated replica: %d %v", status, body)
		}
	})
}

func TestSealingKeysFromEnv(t *testing.T) {
	k1, k2 := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32)), base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{2}, 32))
	e := goodEnv()
	e["BROKER_SEALING_KEYS"] = "2026b:" + k2 + ", 2026a:" + k1
	c, err := ConfigFromEnv(envOf(e))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.SealingKeys) != 2 || c.SealingKeys[0].ID != "2026b" || c.SealingKeys[0].Key[0] != 2 || c.SealingKeys[1].ID != "2026a" {
		t.Fatalf("keys %v", c.sealingKeyIDs())
	}
	if s := c.String(); strings.Contains(s, k1) || strings.Contains(s, k2) || !strings.Contains(s, "2026b") {
		t.Fatalf("String() = %s", s)
	}
	for name, bad := range map[string]string{
		"no id":       k1,
		"bad base64":  "a:!!!",
		"repeated id": "a:" + k1 + ",a:" + k2,
	} {
		e := goodEnv()
		e["BROKER_SEALING_KEYS"] = bad
		if _, err := ConfigFromEnv(envOf(e)); err == nil || strings.Contains(err.Error(), k1) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	e["BROKER_SEALING_KEY"] = k1
	if _, err := ConfigFromEnv(envOf(e)); err == nil {
		t.Error("both BROKER_SEALING_KEYS and BROKER_SEALING_KEY were accepted")
	}
}
