package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Credentials is what Ledgerline holds for one connection: OAuth tokens or a
// restricted API key. It never prints its secrets: fmt (every verb, %#v
// included), slog and encoding/json all see a redacted form that says only
// whether each secret is set.
type Credentials struct {
	Method       domain.AuthMethod
	AccessToken  string
	RefreshToken string
	TokenType    string // e.g. "bearer"; not secret
	Scope        string // e.g. "read_only" or "stripe_apps"; not secret
	Expiry       time.Time
	APIKey       string
}

// credentialsVersion is the "v" of the JSON this package writes.
const credentialsVersion = 1

// storedCredentials is the JSON document kept in the keychain item.
type storedCredentials struct {
	Version      int               `json:"v"`
	Method       domain.AuthMethod `json:"method"`
	AccessToken  string            `json:"access_token,omitempty"`
	RefreshToken string            `json:"refresh_token,omitempty"`
	TokenType    string            `json:"token_type,omitempty"`
	Scope        string            `json:"scope,omitempty"`
	Expiry       time.Time         `json:"expiry,omitzero"`
	APIKey       string            `json:"api_key,omitempty"`
}

// validate checks that c can be used: a known method and its secret.
func (c Credentials) validate() error {
	switch c.Method {
	case domain.AuthOAuth:
		if c.AccessToken == "" {
			return errors.New("OAuth credentials have no access token")
		}
	case domain.AuthAPIKey:
		if c.APIKey == "" {
			return errors.New("API-key credentials have no key")
		}
	default:
		return errors.New("credentials have no known method (oauth or api_key)")
	}
	return nil
}

// SaveCredentials stores c as connID's keychain item, replacing any earlier
// one. It rejects credentials without a known method or without that
// method's secret (a plain error naming the problem, never the value).
// Keychain errors are as for Store.Set; none contains a token or key.
func (s *Store) SaveCredentials(ctx context.Context, connID string, c Credentials) error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("secrets: not saving credentials for %s: %w", connID, err)
	}
	doc, err := json.Marshal(storedCredentials{
		Version: credentialsVersion, Method: c.Method,
		AccessToken: c.AccessToken, RefreshToken: c.RefreshToken,
		TokenType: c.TokenType, Scope: c.Scope, Expiry: c.Expiry.UTC(), APIKey: c.APIKey,
	})
	if err != nil { // cannot happen for these field types
		return fmt.Errorf("secrets: encoding credentials for %s failed", connID)
	}
	return s.set(ctx, connID, string(doc), []string{c.AccessToken, c.RefreshToken, c.APIKey})
}

// LoadCredentials reads connID's credentials. Errors: ErrNotFound when the
// keychain has no item; ErrCorrupt (an *Error) when the item is not valid
// Ledgerline credentials, without echoing what it holds; otherwise as for
// Store.Get.
func (s *Store) LoadCredentials(ctx context.Context, connID string) (Credentials, error) {
	doc, err := s.Get(ctx, connID)
	if err != nil {
		return Credentials{}, err
	}
	var st storedCredentials
	if err := json.Unmarshal([]byte(doc), &st); err != nil {
		// json's own message can quote a character of the value: keep it out.
		return Credentials{}, corrupt(connID, "the value is not a JSON credentials document")
	}
	if st.Version > credentialsVersion {
		return Credentials{}, &Error{Kind: ErrCorrupt, Op: "read", Account: connID,
			Detail: "format version " + strconv.Itoa(st.Version), Reason: "newer_version"}
	}
	c := Credentials{
		Method: st.Method, AccessToken: st.AccessToken, RefreshToken: st.RefreshToken,
		TokenType: st.TokenType, Scope: st.Scope, Expiry: st.Expiry, APIKey: st.APIKey,
	}
	if err := c.validate(); err != nil {
		return Credentials{}, corrupt(connID, err.Error())
	}
	return c, nil
}

// corrupt is the ErrCorrupt error; detail must not contain the value.
func corrupt(connID, detail string) error {
	return &Error{Kind: ErrCorrupt, Op: "read", Account: connID, Detail: detail}
}

// DeleteCredentials removes connID's item. A missing item is not an error:
// after the call the keychain holds nothing for connID either way, which is
// all a disconnect needs. Other keychain errors are as for Store.Delete.
func (s *Store) DeleteCredentials(ctx context.Context, connID string) error {
	if err := s.Delete(ctx, connID); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// String is the redacted form, e.g.
// Credentials{method=oauth access=set(redacted) refresh=set(redacted) type=bearer scope=stripe_apps expiry=2026-05-01T10:00:00Z api_key=none}.
func (c Credentials) String() string {
	return "Credentials{method=" + string(c.Method) +
		" access=" + presence(c.AccessToken) +
		" refresh=" + presence(c.RefreshToken) +
		" type=" + c.TokenType +
		" scope=" + c.Scope +
		" expiry=" + expiryText(c.Expiry) +
		" api_key=" + presence(c.APIKey) + "}"
}

// GoString is the redacted form for %#v.
func (c Credentials) GoString() string {
	return fmt.Sprintf("secrets.Credentials{Method:%q, AccessToken:%q, RefreshToken:%q, TokenType:%q, Scope:%q, Expiry:%q, APIKey:%q}",
		string(c.Method), presence(c.AccessToken), presence(c.RefreshToken), c.TokenType, c.Scope,
		expiryText(c.Expiry), presence(c.APIKey))
}

// Format makes every fmt verb print the redacted form, so even %d or %x
// cannot reach the fields.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(c.GoString()))
		return
	}
	_, _ = f.Write([]byte(c.String()))
}

// LogValue is the redacted form for log/slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("method", string(c.Method)),
		slog.String("access", presence(c.AccessToken)),
		slog.String("refresh", presence(c.RefreshToken)),
		slog.String("type", c.TokenType),
		slog.String("scope", c.Scope),
		slog.String("expiry", expiryText(c.Expiry)),
		slog.String("api_key", presence(c.APIKey)),
	)
}

// MarshalJSON writes the redacted form; the keychain's own document is
// written by SaveCredentials, not through this.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"method": string(c.Method), "access": presence(c.AccessToken), "refresh": presence(c.RefreshToken),
		"type": c.TokenType, "scope": c.Scope, "expiry": expiryText(c.Expiry), "api_key": presence(c.APIKey),
	})
}

func presence(secret string) string {
	if secret == "" {
		return "none"
	}
	return "set(redacted)"
}

func expiryText(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}
