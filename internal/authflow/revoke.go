package authflow

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// ErrRevokeUnconfirmed: the broker could not revoke because Stripe no
// longer renews the refresh token (revoked, expired, or replaced), so
// nobody can say whether the grant is gone at Stripe.
var ErrRevokeUnconfirmed error = domain.KindRevokeUnconfirmed

// RotatedError is a revocation that failed after Stripe had already
// rotated the refresh token: Token holds the new tokens, which replace the
// old ones (now dead) before anything else, so that trying again works.
// Its text never holds a token.
type RotatedError struct {
	Err   error
	Token *oauth2.Token
}

func (e *RotatedError) Error() string {
	return e.Err.Error() + " (the broker handed back renewed tokens)"
}
func (e *RotatedError) Unwrap() error { return e.Err }

// Revoke asks the broker to end Ledgerline's grant at Stripe (POST
// /oauth/revoke with token_type_hint=refresh_token): the broker renews the
// refresh token, learns the account and deauthorizes it. nil means Stripe
// holds no grant any more — the broker said {"revoked":true}.
//
// Errors: ErrRevokeUnconfirmed when Stripe no longer renews the token;
// a *RotatedError around the cause when the broker failed after rotating
// the token; ErrBrokerUnreachable for network failures; a *BrokerError for
// other refusals and for a 200 that does not say revoked; an error
// matching domain.ErrCanceled when ctx is canceled.
func (f *Flow) Revoke(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return errors.New("authflow: no refresh token to revoke with")
	}
	secrets := []string{refreshToken}
	form := url.Values{"token": {refreshToken}, "token_type_hint": {"refresh_token"}, "client_id": {f.clientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.endpoint("revoke"), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := f.http.Do(req)
	if err != nil {
		return f.ClassifyError(ctx, err, refreshToken)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return f.ClassifyError(ctx, err, refreshToken)
	}
	var answer struct {
		Revoked          bool   `json:"revoked"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		AccessToken      string `json:"access_token"`
		RefreshToken     string `json:"refresh_token"`
		TokenType        string `json:"token_type"`
		ExpiresIn        int64  `json:"expires_in"`
	}
	_ = json.Unmarshal(body, &answer) // a non-JSON answer leaves everything empty: reported by status
	secrets = append(secrets, answer.AccessToken, answer.RefreshToken)
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		if !answer.Revoked {
			berr := newBrokerError(codeInvalidResponse, "the answer does not say the access was revoked", resp.StatusCode, secrets)
			f.log.Warn("Stripe revoke unconfirmed", "error", berr.Error())
			return berr
		}
		f.log.Info("Stripe access revoked", "broker", f.broker.Host)
		return nil
	}
	berr := newBrokerError(answer.Error, answer.ErrorDescription, resp.StatusCode, secrets)
	f.log.Warn("Stripe revoke failed", "error", berr.Error())
	if answer.Error == "invalid_grant" {
		return domain.E(domain.KindRevokeUnconfirmed, berr)
	}
	if answer.RefreshToken != "" && answer.AccessToken != "" && answer.RefreshToken != refreshToken {
		tok := &oauth2.Token{AccessToken: answer.AccessToken, RefreshToken: answer.RefreshToken, TokenType: answer.TokenType, ExpiresIn: answer.ExpiresIn}
		if answer.ExpiresIn > 0 {
			tok.Expiry = f.now().Add(time.Duration(answer.ExpiresIn) * time.Second)
		}
		return &RotatedError{Err: berr, Token: tok}
	}
	return berr
}
