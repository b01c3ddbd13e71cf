package authflow

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Revoke asks the broker to revoke accessToken (POST /oauth/revoke, RFC
// 7009), which deauthorizes Ledgerline at Stripe. A token the broker no
// longer knows counts as revoked (RFC 7009 §2.2).
//
// Errors: ErrBrokerUnreachable for network failures; a *BrokerError when the
// broker refuses; an error matching domain.ErrCanceled when ctx is canceled.
func (f *Flow) Revoke(ctx context.Context, accessToken string) error {
	if accessToken == "" {
		return errors.New("authflow: no access token to revoke")
	}
	form := url.Values{"token": {accessToken}, "client_id": {f.clientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.endpoint("revoke"), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := f.http.Do(req)
	if err != nil {
		return f.ClassifyError(ctx, err, accessToken)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return f.ClassifyError(ctx, err, accessToken)
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		f.log.Info("Stripe access revoked", "broker", f.broker.Host)
		return nil
	}
	var oe struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &oe) // a non-JSON answer leaves Code empty: reported by status
	berr := newBrokerError(oe.Error, oe.ErrorDescription, resp.StatusCode, []string{accessToken})
	f.log.Warn("Stripe revoke failed", "error", berr.Error())
	return berr
}
