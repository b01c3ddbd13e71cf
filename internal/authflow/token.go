package authflow

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Result is a finished sign-in: the tokens and the Stripe account they
// open. Format it only through LogValue; Token holds secrets.
type Result struct {
	// Token carries the access and refresh tokens; Expiry is zero for
	// tokens that don't expire (Stripe Connect). Its extras are only scope,
	// stripe_user_id, livemode and stripe_publishable_key.
	Token          *oauth2.Token
	AccountID      string // Stripe's acct_… id (stripe_user_id)
	Livemode       bool
	Scope          string
	PublishableKey string
}

// LogValue shows a Result in logs without its tokens.
func (r *Result) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("account", r.AccountID),
		slog.Bool("livemode", r.Livemode),
		slog.String("scope", r.Scope),
	)
}

// finish turns the matching callback into a Result: an OAuth error from
// the browser, or a code to exchange at the broker.
func (f *Flow) finish(ctx context.Context, p callbackParams, redirectURI, state, verifier string) (*Result, error) {
	secrets := []string{p.code, state, verifier}
	switch {
	case p.errorCode == "access_denied":
		return nil, ErrDenied
	case p.errorCode != "":
		return nil, newBrokerError(p.errorCode, p.errorDescription, 0, secrets)
	case p.code == "":
		return nil, newBrokerError(codeInvalidResponse, "no authorization code in the sign-in response", 0, nil)
	}
	tok, err := f.OAuth2Config(redirectURI).Exchange(f.OAuth2Context(ctx), p.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, f.ClassifyError(ctx, err, secrets...)
	}
	return f.resultFrom(tok)
}

// resultFrom checks the broker's token response and keeps only what
// Ledgerline needs.
func (f *Flow) resultFrom(tok *oauth2.Token) (*Result, error) {
	// RFC 6749 §7.1: a client must not use a token type it doesn't know.
	if tok.TokenType != "" && !strings.EqualFold(tok.TokenType, "bearer") {
		return nil, newBrokerError(codeInvalidResponse, "token type is not bearer", 0, nil)
	}
	res := &Result{
		AccountID:      extraString(tok, "stripe_user_id"),
		Livemode:       extraBool(tok, "livemode"),
		Scope:          extraString(tok, "scope"),
		PublishableKey: extraString(tok, "stripe_publishable_key"),
	}
	if !strings.HasPrefix(res.AccountID, "acct_") {
		return nil, newBrokerError(codeInvalidResponse, "no Stripe account in the answer", 0, nil)
	}
	clean := &oauth2.Token{
		AccessToken:  tok.AccessToken,
		TokenType:    tok.TokenType,
		RefreshToken: tok.RefreshToken,
		ExpiresIn:    tok.ExpiresIn,
	}
	if tok.ExpiresIn > 0 {
		clean.Expiry = f.now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	res.Token = clean.WithExtra(map[string]any{
		"scope":                  res.Scope,
		"stripe_user_id":         res.AccountID,
		"livemode":               res.Livemode,
		"stripe_publishable_key": res.PublishableKey,
	})
	return res, nil
}

func extraString(tok *oauth2.Token, key string) string {
	switch v := tok.Extra(key).(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func extraBool(tok *oauth2.Token, key string) bool {
	switch v := tok.Extra(key).(type) {
	case bool:
		return v
	case string:
		b, _ := strconv.ParseBool(v)
		return b
	default:
		return false
	}
}
