package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

const (
	testAccess  = "sk_test_ACCESS_tok_77aa"
	testRefresh = "rt_test_REFRESH_tok_88bb"
	testAPIKey  = "rk_test_APIKEY_99cc"
)

func oauthCreds() Credentials {
	return Credentials{
		Method: domain.AuthOAuth, AccessToken: testAccess, RefreshToken: testRefresh,
		TokenType: "bearer", Scope: "stripe_apps",
		Expiry: time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
	}
}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range []string{testAccess, testRefresh, testAPIKey, "ACCESS_tok", "REFRESH_tok", "APIKEY_"} {
		if strings.Contains(text, s) {
			t.Fatalf("%s shows a secret (%q): %s", where, s, text)
		}
	}
}

func TestCredentialsRoundTrip(t *testing.T) {
	ctx := context.Background()
	mem := NewMemoryBackend()
	s := New(Options{Service: "Ledgerline-unit", Backend: mem})

	t.Run("OAuth tokens come back as saved, expiry in UTC", func(t *testing.T) {
		in := oauthCreds()
		if err := s.SaveCredentials(ctx, "conn_oauth", in); err != nil {
			t.Fatalf("Save: %v", err)
		}
		out, err := s.LoadCredentials(ctx, "conn_oauth")
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if out.Method != in.Method || out.AccessToken != in.AccessToken || out.RefreshToken != in.RefreshToken ||
			out.TokenType != in.TokenType || out.Scope != in.Scope || out.APIKey != "" {
			t.Fatalf("loaded %#v differs from saved", out) // redacted print; fields compared above
		}
		if !out.Expiry.Equal(in.Expiry) || out.Expiry.Location() != time.UTC {
			t.Fatalf("expiry %v (%v), want %v in UTC", out.Expiry, out.Expiry.Location(), in.Expiry)
		}
	})

	t.Run("the keychain holds one JSON value under the connection id", func(t *testing.T) {
		raw, err := mem.Get("Ledgerline-unit", "conn_oauth")
		if err != nil {
			t.Fatalf("raw item: %v", err)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatalf("item is not JSON: %v", err)
		}
		if doc["v"] != float64(1) || doc["method"] != "oauth" || doc["access_token"] != testAccess ||
			doc["refresh_token"] != testRefresh || doc["expiry"] != "2026-05-01T10:00:00Z" {
			t.Fatalf("unexpected document keys/values: %v", keysOf(doc))
		}
		if _, ok := doc["api_key"]; ok {
			t.Fatal("empty api_key was written")
		}
	})

	t.Run("an API key without expiry round-trips", func(t *testing.T) {
		in := Credentials{Method: domain.AuthAPIKey, APIKey: testAPIKey}
		if err := s.SaveCredentials(ctx, "conn_key", in); err != nil {
			t.Fatalf("Save: %v", err)
		}
		out, err := s.LoadCredentials(ctx, "conn_key")
		if err != nil || out.APIKey != testAPIKey || out.Method != domain.AuthAPIKey || !out.Expiry.IsZero() {
			t.Fatalf("Load = %v, %v", out, err)
		}
		raw, _ := mem.Get("Ledgerline-unit", "conn_key")
		if strings.Contains(raw, "expiry") {
			t.Fatalf("zero expiry was written: %s", strings.ReplaceAll(raw, testAPIKey, "…"))
		}
	})

	t.Run("loading a missing connection is ErrNotFound", func(t *testing.T) {
		_, err := s.LoadCredentials(ctx, "conn_missing")
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("delete removes the item, and deleting again is fine", func(t *testing.T) {
		if err := s.DeleteCredentials(ctx, "conn_key"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.LoadCredentials(ctx, "conn_key"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if err := s.DeleteCredentials(ctx, "conn_key"); err != nil {
			t.Fatalf("deleting a missing item: %v", err)
		}
	})

	t.Run("delete still reports a keychain that is unavailable", func(t *testing.T) {
		s := New(Options{Backend: failingBackend{errors.New("failed to unlock correct collection '/x'")}})
		if err := s.DeleteCredentials(ctx, "conn_a"); !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
	})
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestSaveRejectsIncompleteCredentials(t *testing.T) {
	s := New(Options{Backend: NewMemoryBackend()})
	for name, c := range map[string]Credentials{
		"no method":         {AccessToken: testAccess},
		"OAuth, no token":   {Method: domain.AuthOAuth, RefreshToken: testRefresh},
		"API key, no key":   {Method: domain.AuthAPIKey, AccessToken: testAccess},
		"unexpected method": {Method: "password", APIKey: testAPIKey},
	} {
		t.Run(name, func(t *testing.T) {
			err := s.SaveCredentials(context.Background(), "conn_a", c)
			if err == nil {
				t.Fatal("saved incomplete credentials")
			}
			assertNoSecret(t, "validation error", err.Error())
		})
	}
}

func TestCorruptItems(t *testing.T) {
	ctx := context.Background()
	cases := map[string]string{
		"truncated JSON holding a token": `{"v":1,"method":"oauth","access_token":"` + testAccess,
		"plain text token":               testAccess,
		"wrong field type":               `{"v":1,"method":"oauth","access_token":["` + testAccess + `"]}`,
		"unknown method":                 `{"v":1,"method":"` + testAPIKey + `","api_key":"` + testAPIKey + `"}`,
		"oauth without access token":     `{"v":1,"method":"oauth","refresh_token":"` + testRefresh + `"}`,
		"empty value":                    ``,
	}
	for name, raw := range cases {
		t.Run(name+" gives ErrCorrupt without echoing the value", func(t *testing.T) {
			mem := NewMemoryBackend()
			_ = mem.Set(DefaultService, "conn_a", raw)
			_, err := New(Options{Backend: mem}).LoadCredentials(ctx, "conn_a")
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			if e.Reason != "" {
				t.Fatalf("reason %q, want none", e.Reason)
			}
			assertNoSecret(t, "corrupt error", err.Error()+" | "+e.Detail)
		})
	}

	t.Run("a document from a newer version says to update", func(t *testing.T) {
		mem := NewMemoryBackend()
		_ = mem.Set(DefaultService, "conn_a", `{"v":2,"method":"oauth","access_token":"`+testAccess+`"}`)
		_, err := New(Options{Backend: mem}).LoadCredentials(ctx, "conn_a")
		var e *Error
		if !errors.Is(err, ErrCorrupt) || !errors.As(err, &e) || e.Reason != "newer_version" {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	c := oauthCreds()
	c.APIKey = testAPIKey

	t.Run("every fmt verb shows the redacted form", func(t *testing.T) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T %v"} {
			for _, arg := range []any{c, &c, []Credentials{c}, map[string]Credentials{"a": c}, struct{ C Credentials }{c}} {
				out := fmt.Sprintf(verb, arg)
				assertNoSecret(t, verb, out)
			}
		}
		if got := fmt.Sprint(c); !strings.Contains(got, "method=oauth") || !strings.Contains(got, "access=set(redacted)") ||
			!strings.Contains(got, "expiry=2026-05-01T10:00:00Z") {
			t.Fatalf("redacted form lost its useful parts: %s", got)
		}
		if got := fmt.Sprintf("%#v", c); !strings.HasPrefix(got, "secrets.Credentials{") {
			t.Fatalf("%%#v = %s", got)
		}
		if got := fmt.Sprint(Credentials{Method: domain.AuthAPIKey, APIKey: "x"}); !strings.Contains(got, "access=none") {
			t.Fatalf("absent tokens should read none: %s", got)
		}
	})

	t.Run("slog text and JSON handlers see the redacted form", func(t *testing.T) {
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("saved", "creds", c, "ptr", &c)
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("saved", "creds", c, slog.Any("any", c))
		assertNoSecret(t, "slog", buf.String())
		if !strings.Contains(buf.String(), "creds.access=set(redacted)") {
			t.Fatalf("slog output lacks the redacted group: %s", buf.String())
		}
	})

	t.Run("encoding/json sees the redacted form", func(t *testing.T) {
		out, err := json.Marshal(struct{ C Credentials }{c})
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, "json", string(out))
		if !strings.Contains(string(out), `"access":"set(redacted)"`) {
			t.Fatalf("json = %s", out)
		}
	})

	t.Run("keychain errors on save never contain a token", func(t *testing.T) {
		s := New(Options{Backend: failingBackend{fmt.Errorf("cannot store %q", testRefresh)}})
		err := s.SaveCredentials(context.Background(), "conn_a", c)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v", err)
		}
		assertNoSecret(t, "save error", err.Error()+" | "+e.Detail+" | "+fmt.Sprintf("%+v", e))
	})
}
