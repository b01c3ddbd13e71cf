package authflow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestRevoke(t *testing.T) {
	const token = "rt_secret_revoke_me_0123456789"

	t.Run("posts the refresh token to the broker's revoke endpoint", func(t *testing.T) {
		broker := newFakeBroker(t)
		forms := make(chan url.Values, 1)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.ParseForm() != nil {
				t.Errorf("revoke: %s, form error", r.Method)
			}
			forms <- r.PostForm
			writeJSON(w, http.StatusOK, map[string]any{"revoked": true})
		})
		flow, logs := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)

		if err := flow.Revoke(context.Background(), token); err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		form := <-forms
		if form.Get("token") != token || form.Get("token_type_hint") != "refresh_token" || form.Get("client_id") != DefaultClientID {
			t.Errorf("form = %v", form)
		}
		assertNoSecrets(t, "the log", logs.String(), map[string]string{"refresh token": token})
	})

	// Issue 12: the app took any 2xx as "revoked", including the broker's
	// old {"already_invalid":true} for a token Stripe refused.
	t.Run("a 200 that does not say revoked is not taken as revoked", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"already_invalid": true, "detail": "nothing to revoke"})
		})
		flow, _ := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		if err == nil || !errors.Is(err, domain.KindBrokerUnusable) {
			t.Fatalf("err = %v, want an unusable answer", err)
		}
	})

	t.Run("invalid_grant means the revocation is unconfirmed", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "Stripe no longer renews this refresh token."})
		})
		flow, _ := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		if k, _ := domain.KindOf(err); k != domain.KindRevokeUnconfirmed || !errors.Is(err, ErrRevokeUnconfirmed) {
			t.Fatalf("err = %v (kind %s)", err, k)
		}
	})

	t.Run("a failure after rotation hands back the new tokens, never in the error's text", func(t *testing.T) {
		const newAccess, newRefresh = "sk_test_newaccess_abcdef", "rt_newrefresh_abcdef0123"
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "temporarily_unavailable", "error_description": "Stripe is temporarily unavailable.",
				"access_token": newAccess, "refresh_token": newRefresh, "token_type": "bearer", "expires_in": 3600})
		})
		flow, logs := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		var rot *RotatedError
		if !errors.As(err, &rot) || rot.Token.RefreshToken != newRefresh || rot.Token.AccessToken != newAccess || rot.Token.Expiry.IsZero() {
			t.Fatalf("err = %v, want the rotated tokens", err)
		}
		if !errors.Is(err, domain.KindBrokerTrouble) {
			t.Errorf("err = %v, want broker trouble underneath", err)
		}
		secrets := map[string]string{"old refresh": token, "new refresh": newRefresh, "new access": newAccess}
		assertNoSecrets(t, "the error", err.Error(), secrets)
		assertNoSecrets(t, "the log", logs.String(), secrets)
	})

	t.Run("reports a refusal as a BrokerError without the token", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "bad token " + r.PostForm.Get("token")})
		})
		flow, logs := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)

		err := flow.Revoke(context.Background(), token)
		var be *BrokerError
		if !errors.As(err, &be) || be.Code != "invalid_request" || be.StatusCode != http.StatusBadRequest {
			t.Fatalf("err = %#v", err)
		}
		assertNoSecrets(t, "the error", err.Error(), map[string]string{"access token": token})
		assertNoSecrets(t, "the log", logs.String(), map[string]string{"access token": token})
	})

	t.Run("reports a broker that is down as ErrBrokerUnreachable", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		flow, _ := newTestFlow(t, down.URL, newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		if !errors.Is(err, ErrBrokerUnreachable) || strings.Contains(err.Error(), token) {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("follows no redirect", func(t *testing.T) {
		var elsewhere atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
		defer other.Close()
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/oauth/revoke", http.StatusTemporaryRedirect)
		})
		flow, _ := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		var be *BrokerError
		if !errors.As(err, &be) || be.StatusCode != http.StatusTemporaryRedirect {
			t.Errorf("err = %#v", err)
		}
		if elsewhere.Load() != 0 {
			t.Error("the token went to the redirect target")
		}
	})

	t.Run("stops with domain.ErrCanceled when ctx is canceled", func(t *testing.T) {
		broker := newFakeBroker(t)
		flow, _ := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := flow.Revoke(ctx, token); !errors.Is(err, domain.ErrCanceled) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("refuses an empty token without calling the broker", func(t *testing.T) {
		flow, _ := newTestFlow(t, newFakeBroker(t).URL(), newFakeBrowser(t, nil), nil)
		if err := flow.Revoke(context.Background(), ""); err == nil {
			t.Error("Revoke of nothing succeeded")
		}
	})
}
